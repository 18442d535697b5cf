#pragma once

// Quantization on whatever a ComputeDevice uses: the OpenCL kernels for the types and importance
// they cover (opencl_quantize.h), matryx::quantize (tensor/quantize.h) for the rest, for CPU
// devices and after a fallback. The bytes are the same either way.

#include "base/error.h"
#include "compute/compute_device.h"
#include "tensor/tensor_type.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace matryx {

// Quantizes src, whole rows of rowLength floats, into dst as matryx::quantize does (same
// arguments, same failures); on an OpenCL device also fails as ComputeDevice::run() describes.
// `threads` is the CPU path's OpenMP thread count.
Status quantizeOn(ComputeDevice& device, TensorType type, std::span<const float> src, int64_t rowLength,
                  std::span<std::byte> dst, const float* importance = nullptr, int threads = 1);

// The device a request names, for quantization. `auto` differs from ComputeDevice::open: it uses
// OpenCL only when the device auto picks is a GPU or an accelerator, since on a CPU device (PoCL)
// the kernels share the cores with, and run slower than, the vectorized CPU quantizers; otherwise
// it returns a CPU device and logs why at info level. cpu and opencl[:N] open as
// ComputeDevice::open does (opencl fails when the device cannot be used).
Result<std::shared_ptr<ComputeDevice>> openQuantizeDevice(const DeviceRequest& request,
                                                          const OpenClOptions& options = {});

// True when quantizeOn would use OpenCL for `type` (with importance or not) on `device` now.
bool quantizesOnOpenCl(const ComputeDevice& device, TensorType type, bool withImportance) noexcept;

} // namespace matryx
