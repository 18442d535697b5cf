#pragma once

// Small helpers for the host wrappers: setting kernel arguments in one call and launching a 1-D
// range whose size is rounded up to whole work-groups (kernels check their index against n).

#include "base/error.h"
#include "compute/opencl_api.h"
#include "compute/opencl_error.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace matryx {

// A __local argument of this many bytes.
struct LocalBytes {
    size_t bytes;
};

namespace detail {
inline cl_int setKernelArg(cl_kernel kernel, cl_uint index, LocalBytes local) {
    return clSetKernelArg(kernel, index, local.bytes, nullptr);
}
template <class T>
cl_int setKernelArg(cl_kernel kernel, cl_uint index, const T& value) {
    return clSetKernelArg(kernel, index, sizeof(T), &value);
}
} // namespace detail

// Sets arguments 0, 1, ... from `args` (cl_mem, scalars of the kernel's exact types, LocalBytes).
template <class... Args>
Status setKernelArgs(cl_kernel kernel, std::string_view kernelName, const Args&... args) {
    cl_uint index = 0;
    cl_int status = CL_SUCCESS;
    ((status == CL_SUCCESS ? (status = detail::setKernelArg(kernel, index++, args)) : status), ...);
    if (status != CL_SUCCESS)
        return openClError("clSetKernelArg (" + std::string(kernelName) + " argument " + std::to_string(index - 1) + ")",
                           status);
    return {};
}

// Enqueues `items` work-items (rounded up to a multiple of workGroup) of a 1-D kernel.
inline Status enqueue1D(cl_command_queue queue, cl_kernel kernel, size_t items, size_t workGroup,
                        std::string_view kernelName) {
    const size_t global = (items + workGroup - 1) / workGroup * workGroup;
    if (cl_int s = clEnqueueNDRangeKernel(queue, kernel, 1, nullptr, &global, &workGroup, 0, nullptr, nullptr);
        s != CL_SUCCESS)
        return openClError("clEnqueueNDRangeKernel (" + std::string(kernelName) + ")", s);
    return {};
}

} // namespace matryx
