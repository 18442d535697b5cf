#pragma once

// The OpenCL C sources of core/compute/kernels/, compiled into the library by
// matryx_embed_kernels() (embed_kernels.cmake), so that the program needs no files at run time.

#include <optional>
#include <span>
#include <string_view>

namespace matryx {

struct EmbeddedKernelSource {
    std::string_view file; // "dequantize_kquants.cl"
    std::string_view text;
};

// Every embedded file, in the order CMake listed them.
std::span<const EmbeddedKernelSource> embeddedKernelSources() noexcept;

// The text of one file, or nullopt when no such file was embedded.
std::optional<std::string_view> embeddedKernelSource(std::string_view file) noexcept;

} // namespace matryx
