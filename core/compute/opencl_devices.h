#pragma once

// What OpenCL offers on this machine: every device of every platform, numbered in one list
// (platform order, then device order) as `matryx-cli devices` shows it and `opencl:N` selects it.
//
// Discovery never crashes or hangs when OpenCL is missing: with no ICD file, no platform or a
// broken driver it returns an error naming the cause, and the caller uses the CPU.

#include "base/error.h"
#include "compute/device_request.h"
#include "compute/opencl_api.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace matryx {

enum class OpenClDeviceType { Gpu, Accelerator, Cpu, Other };
std::string_view openClDeviceTypeName(OpenClDeviceType type) noexcept; // "GPU", "accelerator", ...

struct OpenClDeviceInfo {
    unsigned index = 0;         // position in the list, the N of opencl:N
    unsigned platformIndex = 0;
    std::string platformName;
    std::string platformVendor;
    std::string platformVersion;
    std::string name;
    std::string vendor;
    std::string version;        // CL_DEVICE_VERSION, e.g. "OpenCL 3.0 PoCL ..."
    std::string driverVersion;
    std::string openClCVersion; // CL_DEVICE_OPENCL_C_VERSION
    OpenClDeviceType type = OpenClDeviceType::Other;
    uint32_t computeUnits = 0;
    uint32_t maxClockMHz = 0;
    uint64_t globalMemBytes = 0;
    uint64_t maxAllocBytes = 0;
    uint64_t localMemBytes = 0;
    bool localMemDedicated = false; // CL_LOCAL (on-chip) rather than CL_GLOBAL
    size_t maxWorkGroupSize = 0;
    bool fp16 = false;              // cl_khr_fp16
    bool fp64 = false;              // cl_khr_fp64
    bool denormals = false;         // single precision keeps denormals (CL_FP_DENORM)
    bool hostUnifiedMemory = false; // device and host share memory (CPU devices, integrated GPUs)
    bool available = false;         // CL_DEVICE_AVAILABLE and a compiler
    cl_platform_id platform = nullptr;
    cl_device_id id = nullptr;      // valid for the life of the process

    // "pthread-haswell-AMD EPYC (Portable Computing Language, CPU)"
    std::string label() const;
};

// All devices, or an error when OpenCL cannot be used at all (no ICD loader configuration, no
// platform). A platform whose devices cannot be listed is skipped with a logged warning.
Result<std::vector<OpenClDeviceInfo>> listOpenClDevices();

// The device a request names among `devices`: opencl:N gives device N; opencl the first
// available one; auto the first available GPU, else accelerator, else CPU device. Fails with the
// reason (no device, index out of range, device not available); a cpu request always fails.
Result<unsigned> chooseOpenClDevice(const DeviceRequest& request, const std::vector<OpenClDeviceInfo>& devices);

} // namespace matryx
