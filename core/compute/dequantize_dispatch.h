#pragma once

// Dequantization on whatever a ComputeDevice uses: the OpenCL kernels for the types they cover
// (opencl_dequantize.h), matryx::dequantize (tensor/dequantize.h) for the rest, for CPU devices,
// and after a fallback. The output is the same either way (bit-identical except NaN payloads).

#include "base/error.h"
#include "compute/compute_device.h"
#include "tensor/tensor_type.h"

#include <cstddef>
#include <span>

namespace matryx {

// Converts src, holding dst.size() elements of `type`, to floats in dst. Fails like
// matryx::dequantize; on an OpenCL device also as ComputeDevice::run() describes. `threads` is
// the CPU path's OpenMP thread count.
Status dequantizeOn(ComputeDevice& device, TensorType type, std::span<const std::byte> src, std::span<float> dst,
                    int threads = 1);

} // namespace matryx
