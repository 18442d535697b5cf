#pragma once

// A read position over a span of untrusted bytes. Every read checks the bytes left first and
// fails (returns false, position unchanged) instead of reading past the end. Numbers are
// little-endian, which is also the host order on every platform Matryx builds for.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>

namespace matryx {

static_assert(std::endian::native == std::endian::little, "file parsers assume a little-endian host");

class ByteCursor {
public:
    explicit ByteCursor(std::span<const std::byte> bytes, uint64_t position = 0) noexcept
        : bytes_(bytes), position_(position <= bytes.size() ? position : bytes.size()) {}

    uint64_t position() const noexcept { return position_; }
    uint64_t size() const noexcept { return bytes_.size(); }
    uint64_t remaining() const noexcept { return bytes_.size() - position_; }

    // Whether `count` items of at least `minBytes` each can still fit (without overflow).
    bool canHold(uint64_t count, uint64_t minBytes) const noexcept {
        return minBytes == 0 || count <= remaining() / minBytes;
    }

    template <class T> bool read(T& out) noexcept {
        static_assert(std::is_trivially_copyable_v<T>);
        if (remaining() < sizeof(T)) return false;
        std::memcpy(&out, bytes_.data() + position_, sizeof(T));
        position_ += sizeof(T);
        return true;
    }

    // A view of the next `length` bytes (into the underlying buffer), then skips them.
    bool readBytes(uint64_t length, std::span<const std::byte>& out) noexcept {
        if (length > remaining()) return false;
        out = bytes_.subspan(static_cast<size_t>(position_), static_cast<size_t>(length));
        position_ += length;
        return true;
    }

    bool readChars(uint64_t length, std::string_view& out) noexcept {
        std::span<const std::byte> raw;
        if (!readBytes(length, raw)) return false;
        out = {reinterpret_cast<const char*>(raw.data()), raw.size()};
        return true;
    }

    bool skip(uint64_t length) noexcept {
        if (length > remaining()) return false;
        position_ += length;
        return true;
    }

    bool seek(uint64_t position) noexcept {
        if (position > size()) return false;
        position_ = position;
        return true;
    }

private:
    std::span<const std::byte> bytes_;
    uint64_t position_;
};

} // namespace matryx
