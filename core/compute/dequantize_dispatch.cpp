#include "compute/dequantize_dispatch.h"

#include "compute/opencl_dequantize.h"
#include "tensor/dequantize.h"

namespace matryx {

namespace {

// Inputs the CPU path would reject go to it directly, so that a caller's mistake is reported
// as such and never mistaken for a device failure.
bool sizesMatch(TensorType type, size_t srcBytes, size_t elements) {
    const TypeTraits* traits = typeTraits(uint32_t(type));
    if (!traits || elements % traits->blockSize != 0)
        return false;
    const auto expected = bytesFor(type, elements);
    return expected && *expected == srcBytes;
}

} // namespace

Status dequantizeOn(ComputeDevice& device, TensorType type, std::span<const std::byte> src, std::span<float> dst,
                    int threads) {
    const auto cpu = [&] { return dequantize(type, src, dst, threads); };
    if (dst.empty() || !openClCanDequantize(type) || !sizesMatch(type, src.size(), dst.size()))
        return cpu();
    return device.run(
        "dequantize", [&](OpenClContext& context) { return dequantizeOpenCl(context, type, src, dst); }, cpu);
}

} // namespace matryx
