#pragma once

// The "bits" shorthand of a plan: a bit width names one ggml type, so that a user can pick 4 bits
// where a ggml type name would be too fine-grained.
//
//   bits  2     3     4     5     6     8     16   32
//   type  Q2_K  Q3_K  Q4_K  Q5_K  Q6_K  Q8_0  F16  F32
//
// The K-quants (block of 256 values) are the default at 2..6 bits because llama.cpp's mixtures are
// built on them; a tensor whose rows are not a multiple of 256 falls back as llama.cpp does
// (type_fallback.h). 8 bits is Q8_0, the only 8-bit weight type; 16 is F16.

#include "tensor/tensor_type.h"

#include <optional>

namespace matryx {

// The type for a bit width in the table above; nullopt for any other number.
std::optional<TensorType> typeForBits(int bits) noexcept;

// True for the types a plan may give a weight: F32, F16, BF16 and ggml's block types that store
// weights (every quantized type except Q8_1 and Q8_K, which ggml uses only for activations).
bool isWeightType(TensorType type) noexcept;

} // namespace matryx
