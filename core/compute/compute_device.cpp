#include "compute/compute_device.h"

#include "base/log.h"

namespace matryx {

Result<std::shared_ptr<ComputeDevice>> ComputeDevice::open(const DeviceRequest& request, const OpenClOptions& options) {
    std::shared_ptr<ComputeDevice> device(new ComputeDevice);
    device->request_ = request;
    if (request.kind == DeviceRequest::Kind::Cpu)
        return device;

    const bool required = request.kind == DeviceRequest::Kind::OpenCl;
    const auto useCpu = [&](const Error& why) -> Result<std::shared_ptr<ComputeDevice>> {
        if (required)
            return why;
        device->cpuReason_ = why.toString();
        logInfo("OpenCL is not used, computing on the CPU: " + device->cpuReason_);
        return device;
    };

    auto devices = listOpenClDevices();
    if (!devices)
        return useCpu(devices.error());
    auto index = chooseOpenClDevice(request, *devices);
    if (!index)
        return useCpu(index.error());
    const OpenClDeviceInfo& info = (*devices)[*index];
    auto context = OpenClContext::create(info, options);
    if (!context)
        return useCpu(context.error());
    device->context_ = std::move(*context);
    device->label_ = "OpenCL " + std::to_string(info.index) + ": " + info.label();
    logInfo("computing on " + device->label_);
    return device;
}

std::shared_ptr<ComputeDevice> ComputeDevice::cpu() {
    std::shared_ptr<ComputeDevice> device(new ComputeDevice);
    device->request_.kind = DeviceRequest::Kind::Cpu;
    return device;
}

std::shared_ptr<OpenClContext> ComputeDevice::openCl() const {
    std::lock_guard lock(mutex_);
    return context_;
}

std::string ComputeDevice::description() const {
    std::lock_guard lock(mutex_);
    return context_ ? label_ : std::string("CPU");
}

std::string ComputeDevice::cpuReason() const {
    std::lock_guard lock(mutex_);
    return context_ ? std::string() : cpuReason_;
}

void ComputeDevice::fallBack(std::string reason) {
    if (request_.kind != DeviceRequest::Kind::Auto)
        return;
    std::shared_ptr<OpenClContext> released; // destroyed outside the lock: it waits for its queue
    {
        std::lock_guard lock(mutex_);
        if (!context_)
            return; // another thread fell back first and has logged
        released = std::move(context_);
        cpuReason_ = reason;
    }
    logWarning("OpenCL disabled, falling back to the CPU: " + reason);
}

} // namespace matryx
