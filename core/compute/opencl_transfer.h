#pragma once

// Moves host spans to and from a device, chunk by chunk, in the cheapest way the device allows.
// Where device and host share memory (CPU devices such as PoCL, integrated GPUs) the buffers
// wrap the host memory itself (CL_MEM_USE_HOST_PTR) and nothing is copied; elsewhere device
// buffers are allocated once, reused for every chunk, and filled and read back by the queue.

#include "base/error.h"
#include "compute/opencl_handle.h"

#include <cstddef>
#include <span>

namespace matryx {

class OpenClContext;

class DeviceStaging {
public:
    struct Buffers {
        cl_mem input;  // holds the input bytes once commands enqueued after bind() run
        cl_mem output; // results written here reach the host span at finish()
    };

    explicit DeviceStaging(OpenClContext& context);
    ~DeviceStaging();
    DeviceStaging(const DeviceStaging&) = delete;
    DeviceStaging& operator=(const DeviceStaging&) = delete;

    // Buffers for one chunk. `input` must stay valid and unchanged until finish() returns;
    // `output` is written by finish(). Either span may be empty (a 1-byte dummy is bound).
    Result<Buffers> bind(std::span<const std::byte> input, std::span<std::byte> output);
    // Waits for the chunk's commands and brings the output to the host.
    Status finish();

private:
    Result<cl_mem> deviceBuffer(ClBuffer& buffer, size_t& capacity, size_t bytes, cl_mem_flags flags);

    OpenClContext& context_;
    bool zeroCopy_ = false;
    ClBuffer input_;
    ClBuffer output_;
    size_t inputCapacity_ = 0;
    size_t outputCapacity_ = 0;
    std::span<std::byte> pendingOutput_;
};

} // namespace matryx
