#include "compute/device_request.h"

#include <charconv>
#include <cstdlib>

namespace matryx {

Result<DeviceRequest> parseDeviceRequest(std::string_view text) {
    DeviceRequest request;
    if (text == "auto" || text.empty())
        return request;
    if (text == "cpu") {
        request.kind = DeviceRequest::Kind::Cpu;
        return request;
    }
    if (text.starts_with("opencl")) {
        request.kind = DeviceRequest::Kind::OpenCl;
        std::string_view rest = text.substr(6);
        if (rest.empty())
            return request;
        if (rest.front() == ':' && rest.size() > 1) {
            unsigned index = 0;
            const auto* end = rest.data() + rest.size();
            const auto [ptr, ec] = std::from_chars(rest.data() + 1, end, index);
            if (ec == std::errc() && ptr == end) {
                request.index = index;
                return request;
            }
        }
    }
    return makeError("device", {}, std::nullopt,
                     "unknown device '" + std::string(text) + "' (use auto, cpu, opencl or opencl:N)");
}

Result<DeviceRequest> deviceRequestFromEnvironment() {
    const char* value = std::getenv("MATRYX_DEVICE");
    if (!value)
        return DeviceRequest{};
    auto request = parseDeviceRequest(value);
    if (!request)
        return makeError("MATRYX_DEVICE", {}, std::nullopt, request.error().message);
    return request;
}

std::string toString(const DeviceRequest& request) {
    switch (request.kind) {
    case DeviceRequest::Kind::Auto: return "auto";
    case DeviceRequest::Kind::Cpu: return "cpu";
    case DeviceRequest::Kind::OpenCl:
        return request.index ? "opencl:" + std::to_string(*request.index) : std::string("opencl");
    }
    return "auto";
}

} // namespace matryx
