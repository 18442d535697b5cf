#pragma once

// Dequantization to f32 on an OpenCL device, bit-identical to matryx::dequantize
// (tensor/dequantize.h) for every value that is not a NaN. NaNs stay NaNs at the same places;
// their sign and payload follow the device's arithmetic (IEEE 754 leaves them open), except for
// F16 and BF16, which convert bit patterns and keep them exactly.
//
// Types: F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_NL, IQ4_XS
// (what llama.cpp's presets produce). Others are the CPU's (openClCanDequantize is false).

#include "base/error.h"
#include "compute/opencl_api.h"
#include "tensor/tensor_type.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace matryx {

class OpenClContext;

// True for the types listed above.
bool openClCanDequantize(TensorType type) noexcept;

// Converts src, holding dst.size() elements of `type`, into dst. Fails, writing nothing that the
// caller may rely on, with the same size errors as matryx::dequantize, for a type without a
// kernel, or with the OpenCL error of the failing call (dst is then partly written).
// Works in chunks bounded by the device's largest allocation; waits until dst is complete.
Status dequantizeOpenCl(OpenClContext& context, TensorType type, std::span<const std::byte> src,
                        std::span<float> dst);

// For device-side pipelines: enqueues the kernel that turns `blocks` blocks of `type` in the
// device buffer src into blocks * blockSize floats in dst (for F16 and BF16 a block is one
// value). Returns once enqueued. blocks * the kernel's items per block must stay below 2^31.
Status enqueueDequantize(OpenClContext& context, TensorType type, cl_mem src, cl_mem dst, uint64_t blocks);

// The largest number of blocks one enqueueDequantize call may take.
uint64_t maxDequantizeBlocksPerLaunch(TensorType type) noexcept;

} // namespace matryx
