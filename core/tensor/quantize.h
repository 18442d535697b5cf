#pragma once

// Quantization of f32 rows to ggml's block types, writing the bytes llama.cpp writes.
//
// The default quantizer of each type is the one llama-quantize runs (ggml_quantize_chunk in
// ggml.c): ggml's reference quantizer when no importance is given, and for the types that take one
// (Q4_0 .. Q5_1, Q2_K .. Q6_K, IQ4_NL, IQ4_XS) ggml's importance-weighted search when it is. The
// output is bit-exact with ggml: the same products and sums in the same order, no fused
// multiply-add, and C's float-to-integer conversions as x86-64 performs them, so that even
// non-finite intermediate values (a block of subnormals, say) give ggml's bytes. Q8_K, which ggml
// uses only for activations, follows quantize_row_q8_K_ref. F32, F16 and BF16 convert as
// convertFromFloat does.
//
// Importance ("imatrix") is one non-negative weight per column, the mean squared activation that
// column of the weight matrix saw on calibration text; llama.cpp passes it to ggml as
// quant_weights. With importance, Q4_0 .. Q5_1 also weigh values by the mean square of their whole
// row, so rows are the unit of work; without it every block is quantized on its own.

#include "base/error.h"
#include "tensor/tensor_type.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace matryx {

// True for Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q1_0, Q2_0, Q2_K .. Q6_K, Q8_K, IQ4_NL, IQ4_XS, TQ1_0,
// TQ2_0, MXFP4, NVFP4, F32, F16 and BF16. The other IQ types need ggml's lattice searches and are
// not implemented.
bool canQuantize(TensorType type) noexcept;

// True where the importance vector changes the output (see the header comment); for the other
// quantizable types it is accepted and ignored, as ggml ignores it.
bool usesImportance(TensorType type) noexcept;

// Quantizes src, whole rows of rowLength floats each, into dst, which must be exactly
// bytesFor(type, src.size()) bytes. rowLength must be a positive multiple of the type's block
// size. `importance`, if not null, points to rowLength weights (the caller owns them; they are
// only read). Rows are split over up to `threads` OpenMP threads (values below 1 mean 1); the
// bytes do not depend on the thread count. Fails, writing nothing, on a type that cannot be
// quantized or on sizes that do not fit; any float values are accepted (NaN and infinities give
// the bytes ggml gives).
Status quantize(TensorType type, std::span<const float> src, int64_t rowLength, std::span<std::byte> dst,
                const float* importance = nullptr, int threads = 1);

// The unchecked kernel for hot loops: quantizes `rows` rows of rowLength floats from src into
// rows * bytesFor(type, rowLength) bytes at dst, single-threaded. rowLength must be a positive
// multiple of the block size and both buffers large enough; importance is null or rowLength
// weights. nullptr if canQuantize(type) is false.
using QuantizeRowsFn = void (*)(const float* src, std::byte* dst, int64_t rows, int64_t rowLength,
                                const float* importance) noexcept;
QuantizeRowsFn quantizeRowsFunction(TensorType type) noexcept;

} // namespace matryx
