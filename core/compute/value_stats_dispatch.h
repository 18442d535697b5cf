#pragma once

// The statistics primitive (value_stats.h) on whatever a ComputeDevice uses: OpenCL where the
// device has double precision and a kernel covers the type, else the CPU. Same results either
// way, within the tolerance value_stats.h states for the two sums.

#include "base/error.h"
#include "compute/compute_device.h"
#include "compute/value_stats.h"
#include "tensor/tensor_type.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace matryx {

// Statistics of f32 values. Fails for bad edges; on an OpenCL device also as
// ComputeDevice::run() describes.
Result<ValueStats> valueStatsOn(ComputeDevice& device, std::span<const float> values,
                                std::span<const double> edges = {});

// Statistics of tensor data of `type` holding `elements` values. Fails for bad edges, a type that
// cannot be dequantized or sizes that do not match; on an OpenCL device also as
// ComputeDevice::run() describes.
Result<ValueStats> valueStatsOn(ComputeDevice& device, TensorType type, std::span<const std::byte> data,
                                uint64_t elements, std::span<const double> edges = {});

} // namespace matryx
