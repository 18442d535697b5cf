#pragma once

// Test-side GGUF byte builder, written independently of the GGUF writer: it lays out a valid
// file the way gguf_format.h describes it and records where every field starts, so a test can
// break exactly one thing (patch a count, a type, an offset; cut the file) and assert the
// reader's error names that field at that byte.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace matryx::test {

// Little-endian encoding of GGUF values, for raw key/value bytes.
class GgufBytes {
public:
    template <class T> GgufBytes& put(T v) {
        const size_t at = bytes.size();
        bytes.resize(at + sizeof(T));
        std::memcpy(bytes.data() + at, &v, sizeof(T));
        return *this;
    }
    GgufBytes& str(std::string_view s) {
        put<uint64_t>(s.size());
        for (const char c : s)
            bytes.push_back(static_cast<std::byte>(c));
        return *this;
    }
    GgufBytes& raw(const std::vector<std::byte>& b) {
        bytes.insert(bytes.end(), b.begin(), b.end());
        return *this;
    }
    GgufBytes& arrayHeader(uint32_t elementType, uint64_t count) { return put(elementType).put(count); }

    std::vector<std::byte> bytes;
};

// Value type ids (gguf.h), spelled out here so the builder does not depend on the code it tests.
enum GgufTypeId : uint32_t {
    kU8 = 0,
    kI8 = 1,
    kU16 = 2,
    kI16 = 3,
    kU32 = 4,
    kI32 = 5,
    kF32 = 6,
    kBool = 7,
    kString = 8,
    kArray = 9,
    kU64 = 10,
    kI64 = 11,
    kF64 = 12,
};

struct GgufLayout {
    struct Kv {
        uint64_t key = 0, type = 0, value = 0;
    };
    struct Tensor {
        uint64_t name = 0, nDims = 0, dims = 0, type = 0, offset = 0; // field offsets
        uint64_t data = 0;                                            // absolute data offset
        uint64_t bytes = 0;
    };
    std::vector<std::byte> bytes;
    std::vector<Kv> kvs;
    std::vector<Tensor> tensors;
    uint64_t dataStart = 0;

    void patchU32(uint64_t at, uint32_t v) { std::memcpy(bytes.data() + at, &v, 4); }
    void patchU64(uint64_t at, uint64_t v) { std::memcpy(bytes.data() + at, &v, 8); }
    void patchI64(uint64_t at, int64_t v) { std::memcpy(bytes.data() + at, &v, 8); }
};

class GgufBuilder {
public:
    GgufBuilder& version(uint32_t v) {
        version_ = v;
        return *this;
    }
    // Layout alignment; add a general.alignment key separately if the file should say so.
    GgufBuilder& alignment(uint64_t a) {
        alignment_ = a;
        return *this;
    }

    GgufBuilder& kv(std::string key, uint32_t type, std::vector<std::byte> value) {
        kvs_.push_back({std::move(key), type, std::move(value)});
        return *this;
    }
    GgufBuilder& kvU32(std::string key, uint32_t v) {
        return kv(std::move(key), kU32, GgufBytes().put(v).bytes);
    }
    GgufBuilder& kvString(std::string key, std::string_view v) {
        return kv(std::move(key), kString, GgufBytes().str(v).bytes);
    }

    // bytes: the data size (the caller computes it from the type's block layout).
    GgufBuilder& tensor(std::string name, uint32_t type, std::vector<int64_t> dims, uint64_t bytes) {
        tensors_.push_back({std::move(name), type, std::move(dims), bytes});
        return *this;
    }

    // Tensor data is byte (i * 7 + tensorIndex * 13) & 0xFF, padding is zeros: tests can check
    // any tensor's span against dataByte().
    GgufLayout build() const {
        GgufLayout out;
        GgufBytes b;
        b.put('G').put('G').put('U').put('F').put(version_);
        b.put<uint64_t>(tensors_.size()).put<uint64_t>(kvs_.size());
        for (const auto& kv : kvs_) {
            GgufLayout::Kv at;
            at.key = b.bytes.size();
            b.str(kv.key);
            at.type = b.bytes.size();
            b.put(kv.type);
            at.value = b.bytes.size();
            b.raw(kv.value);
            out.kvs.push_back(at);
        }
        uint64_t next = 0;
        for (const auto& t : tensors_) {
            GgufLayout::Tensor at;
            at.name = b.bytes.size();
            b.str(t.name);
            at.nDims = b.bytes.size();
            b.put<uint32_t>(static_cast<uint32_t>(t.dims.size()));
            at.dims = b.bytes.size();
            for (const int64_t d : t.dims)
                b.put(d);
            at.type = b.bytes.size();
            b.put(t.type);
            at.offset = b.bytes.size();
            b.put(next);
            at.data = next; // relative for now
            at.bytes = t.bytes;
            next = pad(next + t.bytes);
            out.tensors.push_back(at);
        }
        while (b.bytes.size() % alignment_ != 0)
            b.bytes.push_back(std::byte{0});
        out.dataStart = b.bytes.size();
        for (size_t i = 0; i < tensors_.size(); ++i) {
            auto& at = out.tensors[i];
            at.data += out.dataStart;
            b.bytes.resize(at.data, std::byte{0});
            for (uint64_t j = 0; j < at.bytes; ++j)
                b.bytes.push_back(dataByte(i, j));
            b.bytes.resize(out.dataStart + pad(at.data - out.dataStart + at.bytes), std::byte{0});
        }
        out.bytes = std::move(b.bytes);
        return out;
    }

    static std::byte dataByte(size_t tensor, uint64_t i) {
        return static_cast<std::byte>((i * 7 + tensor * 13) & 0xFF);
    }

private:
    uint64_t pad(uint64_t v) const { return (v + alignment_ - 1) / alignment_ * alignment_; }

    struct Kv {
        std::string key;
        uint32_t type;
        std::vector<std::byte> value;
    };
    struct Tensor {
        std::string name;
        uint32_t type;
        std::vector<int64_t> dims;
        uint64_t bytes;
    };
    uint32_t version_ = 3;
    uint64_t alignment_ = 32;
    std::vector<Kv> kvs_;
    std::vector<Tensor> tensors_;
};

} // namespace matryx::test
