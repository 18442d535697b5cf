#pragma once

// The device that compute work runs on, chosen once from a DeviceRequest (device_request.h):
//   cpu         the CPU only;
//   auto        the OpenCL device chooseOpenClDevice() picks, else the CPU, with the reason
//               logged at info level (no platform, no device, context creation failed);
//   opencl[:N]  that OpenCL device; open() fails when it cannot be used.
// Every operation has a CPU path with the same result, so the choice changes speed only.
//
// Fallback at run time: when an OpenCL operation fails, an auto device logs a warning with the
// CL error, uses the CPU from then on (one broken kernel rarely comes alone) and returns the
// CPU's result; an opencl device returns the error, since the user asked for OpenCL explicitly.
//
// Shared by all threads of a job through std::shared_ptr; every member is thread-safe.

#include "base/error.h"
#include "compute/device_request.h"
#include "compute/opencl_context.h"

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace matryx {

class ComputeDevice {
public:
    static Result<std::shared_ptr<ComputeDevice>> open(const DeviceRequest& request,
                                                       const OpenClOptions& options = {});
    // A device that always computes on the CPU.
    static std::shared_ptr<ComputeDevice> cpu();

    const DeviceRequest& request() const noexcept { return request_; }
    // The OpenCL context in use, or nullptr when work runs on the CPU (from the start or after
    // a fallback). Callers keep the pointer for the length of one operation.
    std::shared_ptr<OpenClContext> openCl() const;
    // "OpenCL 0: <name> (<platform>, GPU)" or "CPU".
    std::string description() const;
    // Why the CPU is used although the request allowed OpenCL; empty otherwise.
    std::string cpuReason() const;

    // Runs onOpenCl(OpenClContext&) when OpenCL is in use, else onCpu(); both return Status or
    // the same Result<T>. On an OpenCL failure, falls back as described above.
    template <class OpenClOp, class CpuOp>
    auto run(std::string_view what, OpenClOp&& onOpenCl, CpuOp&& onCpu) -> decltype(onCpu());

    // Stops using OpenCL, logging `reason` as a warning; used by run() and by callers that find
    // a wrong result. Does nothing for an explicit opencl request or a CPU device.
    void fallBack(std::string reason);

private:
    ComputeDevice() = default;

    DeviceRequest request_;
    mutable std::mutex mutex_;
    std::shared_ptr<OpenClContext> context_;
    std::string label_;
    std::string cpuReason_;
};

template <class OpenClOp, class CpuOp>
auto ComputeDevice::run(std::string_view what, OpenClOp&& onOpenCl, CpuOp&& onCpu) -> decltype(onCpu()) {
    const std::shared_ptr<OpenClContext> context = openCl();
    if (!context)
        return onCpu();
    decltype(onCpu()) result = onOpenCl(*context);
    if (result || request_.kind == DeviceRequest::Kind::OpenCl)
        return result;
    fallBack(std::string(what) + " failed on OpenCL (" + result.error().toString() + ")");
    return onCpu();
}

} // namespace matryx
