#pragma once

// Part of the GGUF writer: encodes key/value pairs (see gguf_format.h). Not a public API.

#include "base/error.h"
#include "format/metadata.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace matryx {

// Appends little-endian numbers and GGUF strings to a byte vector.
class GgufByteWriter {
public:
    explicit GgufByteWriter(std::vector<std::byte>& out) : out_(out) {}

    template <class T> void put(T value) {
        static_assert(std::is_trivially_copyable_v<T>);
        const size_t at = out_.size();
        out_.resize(at + sizeof(T));
        std::memcpy(out_.data() + at, &value, sizeof(T));
    }
    void putString(std::string_view s) {
        put<uint64_t>(s.size());
        const auto* p = reinterpret_cast<const std::byte*>(s.data());
        out_.insert(out_.end(), p, p + s.size());
    }
    void padTo(uint64_t alignment) {
        while (out_.size() % alignment != 0)
            out_.push_back(std::byte{0});
    }
    size_t size() const noexcept { return out_.size(); }

private:
    std::vector<std::byte>& out_;
};

// Appends key, type and value. Fails, naming `file` and the field ("metadata['a.b'][3]"), when
// the key is empty, an integer does not fit its type, an array item is not of the array's
// element type, or arrays nest deeper than gguf::kMaxArrayDepth: the reader would refuse it.
Status encodeGgufKv(GgufByteWriter& out, std::string_view key, const MetaValue& value,
                    const std::string& file);

} // namespace matryx
