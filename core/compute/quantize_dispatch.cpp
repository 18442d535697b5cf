#include "compute/quantize_dispatch.h"

#include "base/log.h"
#include "compute/opencl_devices.h"
#include "compute/opencl_quantize.h"
#include "tensor/quantize.h"

namespace matryx {

namespace {

// Inputs the CPU path would reject go to it directly, so that a caller's mistake is reported
// as such and never mistaken for a device failure.
bool sizesMatch(TensorType type, size_t values, int64_t rowLength, size_t dstBytes) {
    const TypeTraits* traits = typeTraits(uint32_t(type));
    if (!traits || rowLength <= 0 || rowLength % traits->blockSize != 0 || values % uint64_t(rowLength) != 0)
        return false;
    const auto expected = bytesFor(type, values);
    return expected && *expected == dstBytes;
}

} // namespace

Result<std::shared_ptr<ComputeDevice>> openQuantizeDevice(const DeviceRequest& request,
                                                          const OpenClOptions& options) {
    if (request.kind != DeviceRequest::Kind::Auto)
        return ComputeDevice::open(request, options);
    auto devices = listOpenClDevices();
    if (!devices) {
        logInfo("quantizing on the CPU: " + devices.error().toString());
        return ComputeDevice::cpu();
    }
    auto index = chooseOpenClDevice(request, *devices);
    if (!index) {
        logInfo("quantizing on the CPU: " + index.error().toString());
        return ComputeDevice::cpu();
    }
    const OpenClDeviceInfo& info = (*devices)[*index];
    if (info.type != OpenClDeviceType::Gpu && info.type != OpenClDeviceType::Accelerator) {
        logInfo("quantizing on the CPU: the OpenCL device " + info.label() +
                " runs on the CPU too, where the CPU quantizers are faster (use --device opencl to force it)");
        return ComputeDevice::cpu();
    }
    return ComputeDevice::open(request, options);
}

bool quantizesOnOpenCl(const ComputeDevice& device, TensorType type, bool withImportance) noexcept {
    return device.openCl() && openClCanQuantize(type, withImportance);
}

Status quantizeOn(ComputeDevice& device, TensorType type, std::span<const float> src, int64_t rowLength,
                  std::span<std::byte> dst, const float* importance, int threads) {
    const auto cpu = [&] { return quantize(type, src, rowLength, dst, importance, threads); };
    if (src.empty() || !openClCanQuantize(type, importance != nullptr) ||
        !sizesMatch(type, src.size(), rowLength, dst.size()))
        return cpu();
    return device.run(
        "quantize",
        [&](OpenClContext& context) { return quantizeOpenCl(context, type, src, rowLength, dst, importance); },
        cpu);
}

} // namespace matryx
