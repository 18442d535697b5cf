#pragma once

// Builds safetensors bytes by hand for the reader tests: an 8-byte little-endian header size,
// the header text exactly as given, then the data bytes.

#include "base/byte_source.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace matryx::test {

inline std::vector<std::byte> safetensorsBytes(std::string_view header, size_t dataBytes = 0,
                                               std::optional<uint64_t> headerSize = std::nullopt) {
    const uint64_t n = headerSize.value_or(header.size());
    std::vector<std::byte> out;
    for (int i = 0; i < 8; ++i)
        out.push_back(std::byte((n >> (8 * i)) & 0xFF));
    for (const char c : header)
        out.push_back(std::byte(static_cast<unsigned char>(c)));
    for (size_t i = 0; i < dataBytes; ++i)
        out.push_back(std::byte(i & 0xFF));
    return out;
}

inline std::shared_ptr<const ByteSource>
safetensorsSource(std::string_view header, size_t dataBytes = 0,
                  std::optional<uint64_t> headerSize = std::nullopt) {
    return ByteSource::own(safetensorsBytes(header, dataBytes, headerSize), "test.safetensors");
}

} // namespace matryx::test
