#pragma once

// Which compute device the user asked for: MATRYX_DEVICE or the CLI's --device, one of
//   auto        OpenCL when a device works, else the CPU (the default)
//   cpu         the CPU path only
//   opencl      the first OpenCL device, failing if there is none
//   opencl:N    OpenCL device N in the order `matryx-cli devices` lists them

#include "base/error.h"

#include <optional>
#include <string>
#include <string_view>

namespace matryx {

struct DeviceRequest {
    enum class Kind { Auto, Cpu, OpenCl };
    Kind kind = Kind::Auto;
    std::optional<unsigned> index; // OpenCL device index, when given

    friend bool operator==(const DeviceRequest&, const DeviceRequest&) = default;
};

// Parses a request; an error names the text and the accepted forms.
Result<DeviceRequest> parseDeviceRequest(std::string_view text);
// The request in MATRYX_DEVICE, or Auto when unset; a malformed value is an error.
Result<DeviceRequest> deviceRequestFromEnvironment();
std::string toString(const DeviceRequest& request);

} // namespace matryx
