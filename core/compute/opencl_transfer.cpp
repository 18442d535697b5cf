#include "compute/opencl_transfer.h"

#include "compute/opencl_context.h"
#include "compute/opencl_error.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace matryx {

DeviceStaging::DeviceStaging(OpenClContext& context)
    : context_(context), zeroCopy_(context.device().hostUnifiedMemory) {}

DeviceStaging::~DeviceStaging() {
    // After an error the queue may still hold commands that use these buffers or host spans.
    if (!pendingOutput_.empty() || input_ || output_)
        clFinish(context_.queue());
}

Result<cl_mem> DeviceStaging::deviceBuffer(ClBuffer& buffer, size_t& capacity, size_t bytes, cl_mem_flags flags) {
    bytes = std::max<size_t>(bytes, 1);
    if (buffer && capacity >= bytes)
        return buffer.get();
    buffer.reset();
    cl_int status = CL_SUCCESS;
    buffer = ClBuffer(clCreateBuffer(context_.context(), flags, bytes, nullptr, &status));
    if (status != CL_SUCCESS || !buffer)
        return openClError("clCreateBuffer (" + std::to_string(bytes) + " bytes)", status);
    capacity = bytes;
    return buffer.get();
}

Result<DeviceStaging::Buffers> DeviceStaging::bind(std::span<const std::byte> input, std::span<std::byte> output) {
    pendingOutput_ = output;
    if (zeroCopy_) {
        // The queue owns nothing between chunks: each chunk wraps its own host memory.
        input_.reset();
        output_.reset();
        cl_int status = CL_SUCCESS;
        if (!input.empty()) {
            // The device only reads it (CL_MEM_READ_ONLY), so casting away const is safe.
            input_ = ClBuffer(clCreateBuffer(context_.context(), CL_MEM_READ_ONLY | CL_MEM_USE_HOST_PTR, input.size(),
                                             const_cast<std::byte*>(input.data()), &status));
            if (status != CL_SUCCESS || !input_)
                return openClError("clCreateBuffer (input, host memory)", status);
        } else if (auto b = deviceBuffer(input_, inputCapacity_, 1, CL_MEM_READ_ONLY); !b) {
            return std::move(b).error();
        }
        if (!output.empty()) {
            output_ = ClBuffer(clCreateBuffer(context_.context(), CL_MEM_WRITE_ONLY | CL_MEM_USE_HOST_PTR,
                                              output.size(), output.data(), &status));
            if (status != CL_SUCCESS || !output_)
                return openClError("clCreateBuffer (output, host memory)", status);
        } else if (auto b = deviceBuffer(output_, outputCapacity_, 1, CL_MEM_WRITE_ONLY); !b) {
            return std::move(b).error();
        }
        inputCapacity_ = outputCapacity_ = 0;
        return Buffers{input_.get(), output_.get()};
    }

    auto in = deviceBuffer(input_, inputCapacity_, input.size(), CL_MEM_READ_ONLY);
    if (!in)
        return std::move(in).error();
    auto out = deviceBuffer(output_, outputCapacity_, output.size(), CL_MEM_WRITE_ONLY);
    if (!out)
        return std::move(out).error();
    if (!input.empty())
        if (cl_int s = clEnqueueWriteBuffer(context_.queue(), *in, CL_FALSE, 0, input.size(), input.data(), 0, nullptr,
                                            nullptr);
            s != CL_SUCCESS)
            return openClError("clEnqueueWriteBuffer", s);
    return Buffers{*in, *out};
}

Status DeviceStaging::finish() {
    const auto output = pendingOutput_;
    pendingOutput_ = {};
    if (output.empty()) {
        if (cl_int s = clFinish(context_.queue()); s != CL_SUCCESS)
            return openClError("clFinish", s);
        return {};
    }
    if (zeroCopy_) {
        // Mapping synchronises the host memory behind the buffer with what the kernel wrote.
        cl_int status = CL_SUCCESS;
        void* mapped = clEnqueueMapBuffer(context_.queue(), output_.get(), CL_TRUE, CL_MAP_READ, 0, output.size(), 0,
                                          nullptr, nullptr, &status);
        if (status != CL_SUCCESS || !mapped)
            return openClError("clEnqueueMapBuffer (output)", status);
        // The mapping is the host memory itself (the OpenCL spec says so for CL_MEM_USE_HOST_PTR); a
        // driver that maps a copy anyway gets it copied over.
        if (mapped != output.data())
            std::memcpy(output.data(), mapped, output.size());
        const cl_int unmap = clEnqueueUnmapMemObject(context_.queue(), output_.get(), mapped, 0, nullptr, nullptr);
        const cl_int done = clFinish(context_.queue());
        if (unmap != CL_SUCCESS)
            return openClError("clEnqueueUnmapMemObject (output)", unmap);
        if (done != CL_SUCCESS)
            return openClError("clFinish", done);
        return {};
    }
    if (cl_int s = clEnqueueReadBuffer(context_.queue(), output_.get(), CL_TRUE, 0, output.size(), output.data(), 0,
                                       nullptr, nullptr);
        s != CL_SUCCESS)
        return openClError("clEnqueueReadBuffer", s);
    return {};
}

} // namespace matryx
