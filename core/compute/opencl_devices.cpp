#include "compute/opencl_devices.h"

#include "base/log.h"
#include "compute/opencl_error.h"

#include <algorithm>
#include <array>

namespace matryx {

namespace {

// More than any real machine has; bounds what a broken driver can make us allocate.
constexpr cl_uint kMaxEntries = 64;

std::string platformString(cl_platform_id platform, cl_platform_info what) {
    size_t size = 0;
    if (clGetPlatformInfo(platform, what, 0, nullptr, &size) != CL_SUCCESS || size == 0 || size > (1u << 20))
        return {};
    std::string text(size, '\0');
    if (clGetPlatformInfo(platform, what, size, text.data(), nullptr) != CL_SUCCESS)
        return {};
    text.resize(text.find('\0') == std::string::npos ? text.size() : text.find('\0'));
    return text;
}

std::string deviceString(cl_device_id device, cl_device_info what) {
    size_t size = 0;
    if (clGetDeviceInfo(device, what, 0, nullptr, &size) != CL_SUCCESS || size == 0 || size > (1u << 20))
        return {};
    std::string text(size, '\0');
    if (clGetDeviceInfo(device, what, size, text.data(), nullptr) != CL_SUCCESS)
        return {};
    text.resize(text.find('\0') == std::string::npos ? text.size() : text.find('\0'));
    return text;
}

template <class T>
T deviceValue(cl_device_id device, cl_device_info what) {
    T value{};
    if (clGetDeviceInfo(device, what, sizeof value, &value, nullptr) != CL_SUCCESS)
        return T{};
    return value;
}

bool hasExtension(const std::string& extensions, std::string_view name) {
    size_t pos = 0;
    while ((pos = extensions.find(name, pos)) != std::string::npos) {
        const size_t end = pos + name.size();
        const bool startOk = pos == 0 || extensions[pos - 1] == ' ';
        const bool endOk = end == extensions.size() || extensions[end] == ' ';
        if (startOk && endOk)
            return true;
        pos = end;
    }
    return false;
}

OpenClDeviceType typeOf(cl_device_type type) {
    if (type & CL_DEVICE_TYPE_GPU)
        return OpenClDeviceType::Gpu;
    if (type & CL_DEVICE_TYPE_ACCELERATOR)
        return OpenClDeviceType::Accelerator;
    if (type & CL_DEVICE_TYPE_CPU)
        return OpenClDeviceType::Cpu;
    return OpenClDeviceType::Other;
}

OpenClDeviceInfo describe(cl_platform_id platform, cl_device_id device) {
    OpenClDeviceInfo info;
    info.platform = platform;
    info.id = device;
    info.name = deviceString(device, CL_DEVICE_NAME);
    info.vendor = deviceString(device, CL_DEVICE_VENDOR);
    info.version = deviceString(device, CL_DEVICE_VERSION);
    info.driverVersion = deviceString(device, CL_DRIVER_VERSION);
    info.openClCVersion = deviceString(device, CL_DEVICE_OPENCL_C_VERSION);
    info.type = typeOf(deviceValue<cl_device_type>(device, CL_DEVICE_TYPE));
    info.computeUnits = deviceValue<cl_uint>(device, CL_DEVICE_MAX_COMPUTE_UNITS);
    info.maxClockMHz = deviceValue<cl_uint>(device, CL_DEVICE_MAX_CLOCK_FREQUENCY);
    info.globalMemBytes = deviceValue<cl_ulong>(device, CL_DEVICE_GLOBAL_MEM_SIZE);
    info.maxAllocBytes = deviceValue<cl_ulong>(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE);
    info.localMemBytes = deviceValue<cl_ulong>(device, CL_DEVICE_LOCAL_MEM_SIZE);
    info.localMemDedicated = deviceValue<cl_device_local_mem_type>(device, CL_DEVICE_LOCAL_MEM_TYPE) == CL_LOCAL;
    info.maxWorkGroupSize = deviceValue<size_t>(device, CL_DEVICE_MAX_WORK_GROUP_SIZE);
    const std::string extensions = deviceString(device, CL_DEVICE_EXTENSIONS);
    info.fp16 = hasExtension(extensions, "cl_khr_fp16");
    info.fp64 = hasExtension(extensions, "cl_khr_fp64");
    info.denormals = (deviceValue<cl_device_fp_config>(device, CL_DEVICE_SINGLE_FP_CONFIG) & CL_FP_DENORM) != 0;
    info.hostUnifiedMemory = deviceValue<cl_bool>(device, CL_DEVICE_HOST_UNIFIED_MEMORY) == CL_TRUE;
    info.available = deviceValue<cl_bool>(device, CL_DEVICE_AVAILABLE) == CL_TRUE &&
                     deviceValue<cl_bool>(device, CL_DEVICE_COMPILER_AVAILABLE) == CL_TRUE;
    info.platformName = platformString(platform, CL_PLATFORM_NAME);
    info.platformVendor = platformString(platform, CL_PLATFORM_VENDOR);
    info.platformVersion = platformString(platform, CL_PLATFORM_VERSION);
    return info;
}

int preference(OpenClDeviceType type) {
    switch (type) {
    case OpenClDeviceType::Gpu: return 0;
    case OpenClDeviceType::Accelerator: return 1;
    case OpenClDeviceType::Cpu: return 2;
    case OpenClDeviceType::Other: return 3;
    }
    return 3;
}

} // namespace

std::string_view openClDeviceTypeName(OpenClDeviceType type) noexcept {
    switch (type) {
    case OpenClDeviceType::Gpu: return "GPU";
    case OpenClDeviceType::Accelerator: return "accelerator";
    case OpenClDeviceType::Cpu: return "CPU";
    case OpenClDeviceType::Other: return "other";
    }
    return "other";
}

std::string OpenClDeviceInfo::label() const {
    return name + " (" + platformName + ", " + std::string(openClDeviceTypeName(type)) + ")";
}

Result<std::vector<OpenClDeviceInfo>> listOpenClDevices() {
    cl_uint platformCount = 0;
    // The ICD loader answers CL_PLATFORM_NOT_FOUND_KHR when no vendor file names a usable library.
    const cl_int status = clGetPlatformIDs(0, nullptr, &platformCount);
    if (status == CL_PLATFORM_NOT_FOUND_KHR || (status == CL_SUCCESS && platformCount == 0))
        return openClError("clGetPlatformIDs", CL_PLATFORM_NOT_FOUND_KHR,
                           "no OpenCL platform is installed (no ICD in /etc/OpenCL/vendors or "
                           "OCL_ICD_VENDORS; on Debian: apt install pocl-opencl-icd or a GPU driver)");
    if (status != CL_SUCCESS)
        return openClError("clGetPlatformIDs", status);

    std::vector<cl_platform_id> platforms(std::min(platformCount, kMaxEntries));
    cl_uint got = 0;
    if (cl_int s = clGetPlatformIDs(cl_uint(platforms.size()), platforms.data(), &got); s != CL_SUCCESS)
        return openClError("clGetPlatformIDs", s);
    platforms.resize(std::min<size_t>(got, platforms.size()));

    std::vector<OpenClDeviceInfo> devices;
    for (size_t p = 0; p < platforms.size(); ++p) {
        cl_uint count = 0;
        const cl_int s = clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 0, nullptr, &count);
        if (s == CL_DEVICE_NOT_FOUND || (s == CL_SUCCESS && count == 0))
            continue;
        if (s != CL_SUCCESS) {
            logWarning("OpenCL platform " + std::to_string(p) + " (" +
                       platformString(platforms[p], CL_PLATFORM_NAME) + ") skipped: " +
                       openClError("clGetDeviceIDs", s).message);
            continue;
        }
        std::vector<cl_device_id> ids(std::min(count, kMaxEntries));
        cl_uint listed = 0;
        if (cl_int s2 = clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, cl_uint(ids.size()), ids.data(), &listed);
            s2 != CL_SUCCESS) {
            logWarning("OpenCL platform " + std::to_string(p) + " skipped: " +
                       openClError("clGetDeviceIDs", s2).message);
            continue;
        }
        ids.resize(std::min<size_t>(listed, ids.size()));
        for (cl_device_id id : ids) {
            OpenClDeviceInfo info = describe(platforms[p], id);
            info.platformIndex = unsigned(p);
            info.index = unsigned(devices.size());
            devices.push_back(std::move(info));
        }
    }
    return devices;
}

Result<unsigned> chooseOpenClDevice(const DeviceRequest& request, const std::vector<OpenClDeviceInfo>& devices) {
    const std::string asked = toString(request);
    if (request.kind == DeviceRequest::Kind::Cpu)
        return openClProblem("device " + asked, "the CPU was requested, not OpenCL");
    if (devices.empty())
        return openClProblem("device " + asked, "no OpenCL device found (the platforms list none)");
    if (request.index) {
        if (*request.index >= devices.size())
            return openClProblem("device " + asked, "there is no OpenCL device " + std::to_string(*request.index) +
                                                        " (devices are numbered 0 to " +
                                                        std::to_string(devices.size() - 1) + ")");
        const auto& d = devices[*request.index];
        if (!d.available)
            return openClProblem("device " + asked, d.label() + " is not available or has no compiler");
        return d.index;
    }
    const OpenClDeviceInfo* best = nullptr;
    for (const auto& d : devices) {
        if (!d.available)
            continue;
        if (request.kind == DeviceRequest::Kind::OpenCl)
            return d.index;
        if (!best || preference(d.type) < preference(best->type))
            best = &d;
    }
    if (!best)
        return openClProblem("device " + asked, "no OpenCL device is available (all are busy or have no compiler)");
    return best->index;
}

} // namespace matryx
