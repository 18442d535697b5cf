#pragma once

// Matryoshka nesting (quant/matryoshka_quantizer.h: nestValues) on an OpenCL device, one
// work-item per group of kOpenClNestGroup values: the same codes, scales and minimums, bit for
// bit, NaN and infinities included. The kernels need correctly rounded division: a device
// without it fails to build the program, and the caller falls back to the CPU.

#include "base/error.h"

#include <cstdint>
#include <span>

namespace matryx {

class OpenClContext;

inline constexpr int64_t kOpenClNestGroup = 32; // values per scale and minimum

// Nests src (a multiple of kOpenClNestGroup floats) into one stored code (q - 128) per value and
// one fp16 scale and minimum per group; the spans must have exactly those sizes. Works in chunks
// bounded by the context's chunk size; waits until the outputs are complete. Fails, with the
// outputs unspecified, on wrong sizes or with the OpenCL error of the failing call.
Status nestMatryoshkaOpenCl(OpenClContext& context, std::span<const float> src, std::span<int8_t> codes,
                            std::span<uint16_t> scales, std::span<uint16_t> mins);

} // namespace matryx
