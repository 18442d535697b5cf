#pragma once

// Quantization of f32 rows to ggml block types on an OpenCL device, byte-identical to
// matryx::quantize (tensor/quantize.h) for every input, NaN and infinities included.
//
// Types: Q8_0, Q4_0, Q4_1, Q5_0, Q5_1 without importance, Q4_K and Q6_K with or without it
// (openClCanQuantize). Q8_0 ignores importance, as ggml does; for Q4_0 .. Q5_1 importance makes the
// whole row one unit of work (its mean square weighs every block), which stays on the CPU.
// The kernels need correctly rounded division and square root: a device without them fails to
// build the program, and the caller falls back to the CPU.

#include "base/error.h"
#include "tensor/tensor_type.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace matryx {

class OpenClContext;

// True where a kernel covers `type`, with importance when withImportance is set.
bool openClCanQuantize(TensorType type, bool withImportance = false) noexcept;

// Quantizes src, whole rows of rowLength floats, into dst, which must be exactly
// bytesFor(type, src.size()) bytes. `importance`, if not null, points to rowLength weights (the
// caller owns them; they are read during the call only). Fails, with dst unspecified, with the
// size errors of matryx::quantize, for a type (or importance) without a kernel, or with the OpenCL
// error of the failing call. Works in chunks bounded by the context's chunk size; waits until dst
// is complete.
Status quantizeOpenCl(OpenClContext& context, TensorType type, std::span<const float> src, int64_t rowLength,
                      std::span<std::byte> dst, const float* importance = nullptr);

} // namespace matryx
