#include "compute/value_stats_dispatch.h"

#include "compute/opencl_dequantize.h"
#include "compute/opencl_value_stats.h"
#include "tensor/dequantize.h"

namespace matryx {

namespace {

// Only inputs the CPU path accepts reach OpenCL, so that a failure there is the device's.
bool openClCanTake(const std::shared_ptr<OpenClContext>& context, TensorType type, size_t bytes, uint64_t elements,
                   std::span<const double> edges) {
    if (!context || !openClCanComputeValueStats(context->device()) || !checkHistogramEdges(edges))
        return false;
    if (type != TensorType::F32 && !openClCanDequantize(type))
        return false;
    const TypeTraits* traits = typeTraits(uint32_t(type));
    const auto expected = bytesFor(type, elements);
    return traits && elements % traits->blockSize == 0 && expected && *expected == bytes;
}

} // namespace

Result<ValueStats> valueStatsOn(ComputeDevice& device, std::span<const float> values, std::span<const double> edges) {
    return valueStatsOn(device, TensorType::F32, std::as_bytes(values), values.size(), edges);
}

Result<ValueStats> valueStatsOn(ComputeDevice& device, TensorType type, std::span<const std::byte> data,
                                uint64_t elements, std::span<const double> edges) {
    const auto cpu = [&] { return valueStatsCpu(type, data, elements, edges); };
    if (!openClCanTake(device.openCl(), type, data.size(), elements, edges))
        return cpu();
    return device.run(
        "value statistics",
        [&](OpenClContext& context) { return valueStatsOpenCl(context, type, data, elements, edges); }, cpu);
}

} // namespace matryx
