#pragma once

// Dot products of one fp16 vector with many fp16 rows, accumulated in f32: attention's q·k over
// the keys of a KV cache and its weights·v over the rows of a transposed value cache.
//
// fp16 products are exact in f32, so the result depends only on the order of the additions. Two
// orders are offered, those of ggml's CPU backend (AVX2 build) for the same products, so that
// attention agrees with llama.cpp's bit for bit:
//   Blocked      one accumulator of 8 lanes: element i goes to lane i % 8, lanes are summed as
//                ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7)); a partial last group of 8 is
//                padded with zeros. ggml's tiled matrix product (several query rows at once).
//   Interleaved  four accumulators of 8 lanes over steps of 32: element i goes to accumulator
//                (i % 32) / 8, lane i % 8; they are added as (a0 + a2) + (a1 + a3), then the
//                lanes as ((l0 + l4) + (l1 + l5)) + ((l2 + l6) + (l3 + l7)). What is left after
//                the last whole step is added in double one element at a time, or, with
//                `padded`, treated as a step padded with zeros. ggml's vector dot product (one
//                query row).
// Scalar and AVX2 kernels give the same bits.

#include "compute/cpu_features.h"

#include <cstddef>
#include <cstdint>

namespace matryx {

enum class F16DotOrder { Blocked, Interleaved };

// out[c] = sum over i < k of x[i] * rows[c * rowStride + i] for c < count, in `order`. rowStride
// is in elements; x holds k values and each row at least k. Reads nothing past k. No checks.
void dotF16Rows(const uint16_t* x, const uint16_t* rows, size_t rowStride, int64_t count, int64_t k, float* out,
                F16DotOrder order, bool padded = false, CpuKernelLevel level = bestCpuKernelLevel()) noexcept;

} // namespace matryx
