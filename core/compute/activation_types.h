#pragma once

// Which type activations take before they meet a weight matrix, and the conversion itself.
//
// Like ggml's CPU backend (its vec_dot_type table), each weight type is multiplied with
// activations quantized to a matching type, so that dot products run on integers per block:
//   Q4_0, Q5_0, Q8_0, IQ4_NL             Q8_0   (32 values, fp16 scale)
//   Q4_1, Q5_1                           Q8_1   (32 values, fp16 scale and scaled sum)
//   Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_XS Q8_K   (256 values, f32 scale, per-16 sums)
//   F16                                  F16
//   BF16                                 BF16
//   F32 and every other type             F32 (the other types are dequantized row by row)
// The quantized bytes are the ones ggml's CPU backend writes on x86-64 with AVX2.

#include "base/error.h"
#include "compute/cpu_features.h"
#include "tensor/tensor_type.h"

#include <cstddef>
#include <span>

namespace matryx {

TensorType activationTypeFor(TensorType weight) noexcept;

// True where a kernel reads the weight type as stored; false for the types multiply() handles by
// dequantizing one row at a time (IQ1/IQ2/IQ3, TQ, MXFP4, NVFP4, Q1_0, Q2_0, F64, integers).
bool hasDirectKernel(TensorType weight) noexcept;

// True for every weight type multiply() accepts: the direct ones and all that can be dequantized.
bool canMultiply(TensorType weight) noexcept;

// Converts the floats in x to `activationType` (one of the six above) in out, which must be
// exactly bytesFor(activationType, x.size()) bytes. Fails, writing nothing, on another type, on
// a size that is not a whole number of blocks, or on a wrong output size. Every level writes the
// same bytes.
Status quantizeActivationRow(TensorType activationType, std::span<const float> x, std::span<std::byte> out,
                             CpuKernelLevel level = bestCpuKernelLevel());

} // namespace matryx
