#pragma once

// The statistics primitive of value_stats.h on an OpenCL device (kernels/value_stats.cl), with
// the same results as the CPU path: counts, min, max and histogram counts exactly, sum and sum
// of squares within 1e-9 relative. Quantized tensors are dequantized on the device, so only the
// quantized bytes cross the bus. Needs double precision on the device (cl_khr_fp64).

#include "base/error.h"
#include "compute/value_stats.h"
#include "tensor/tensor_type.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace matryx {

class OpenClContext;
struct OpenClDeviceInfo;

// False without cl_khr_fp64; the dispatcher then uses the CPU.
bool openClCanComputeValueStats(const OpenClDeviceInfo& device) noexcept;

// Statistics of f32 values. Fails for bad edges (checkHistogramEdges), a device without fp64,
// or with the OpenCL error of the failing call.
Result<ValueStats> valueStatsOpenCl(OpenClContext& context, std::span<const float> values,
                                    std::span<const double> edges = {});

// Statistics of tensor data of `type` (F32 or a type with openClCanDequantize) holding `elements`
// values. Fails like the f32 form, for other types, or when the sizes do not match.
Result<ValueStats> valueStatsOpenCl(OpenClContext& context, TensorType type, std::span<const std::byte> data,
                                    uint64_t elements, std::span<const double> edges = {});

} // namespace matryx
