#pragma once

// What llama.cpp stores a tensor in when its rows do not split into whole blocks of the chosen
// type (a row of 576 values cannot hold 256-value K-quant blocks): a type with 32-value blocks
// of about the same size, and F16 when even that does not fit.
//
//   IQ1_S IQ1_M IQ2_XXS IQ2_XS IQ2_S IQ3_XXS IQ3_S IQ4_XS  -> IQ4_NL
//   Q2_0 Q2_K Q3_K TQ1_0 TQ2_0                             -> Q4_0
//   Q4_K -> Q5_0     Q5_K -> Q5_1     Q6_K -> Q8_0
//   any type with blocks of 32 or fewer                    -> F16
//   any other type (Q1_0, NVFP4, ...)                      -> F16 (llama.cpp refuses these)

#include "tensor/tensor_type.h"

#include <cstdint>

namespace matryx {

// `type` itself when rowLength is a multiple of its block size, otherwise the fallback above.
TensorType rowFallbackType(TensorType type, int64_t rowLength) noexcept;

} // namespace matryx
