#pragma once

// Which tensors a quantization plan leaves in their stored type, as llama.cpp's quantizer does:
// tensors with fewer than two dimensions (counting only up to the last dimension above 1),
// names that do not end in "weight", norms, MoE routers, position and token-type embeddings,
// small convolution, RWKV and multimodal tensors, and the other exceptions llama.cpp lists.
// Keeping exactly llama.cpp's set is what lets a preset give the same file as llama-quantize.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace matryx {

// Why the tensor is never quantized ("1-D tensor", "norm", ...), or nullopt when a plan may
// choose its type. `shape` is in ggml order; `architecture` is general.architecture (a few
// exceptions apply to one architecture only).
std::optional<std::string_view> reasonNotQuantized(std::string_view name, std::span<const int64_t> shape,
                                                   std::string_view architecture) noexcept;

// ggml_n_dims: the number of dimensions up to the last one above 1, at least 1.
int significantDims(std::span<const int64_t> shape) noexcept;

} // namespace matryx
