#include "opencl_test_support.h"

#include "compute/opencl_devices.h"

namespace matryx::test {

namespace {

Result<OpenClDeviceInfo> autoDevice() {
    auto devices = listOpenClDevices();
    if (!devices)
        return devices.error();
    auto index = chooseOpenClDevice(DeviceRequest{}, *devices);
    if (!index)
        return index.error();
    return (*devices)[*index];
}

} // namespace

std::unique_ptr<OpenClContext> newOpenClContext(const OpenClOptions& options, std::string* why) {
    auto device = autoDevice();
    if (!device) {
        if (why)
            *why = device.error().toString();
        return nullptr;
    }
    auto context = OpenClContext::create(*device, options);
    if (!context) {
        if (why)
            *why = context.error().toString();
        return nullptr;
    }
    return std::move(*context);
}

OpenClContext* sharedOpenClContext(std::string* why) {
    static TempDir cache;
    static std::string reason;
    // Small chunks, so that every test crosses chunk seams.
    static std::unique_ptr<OpenClContext> context = newOpenClContext({cache.path(), 64 * 1024}, &reason);
    if (why)
        *why = reason;
    return context.get();
}

} // namespace matryx::test
