#include "compute/activation_types.h"

#include "compute/dot_kernels.h"
#include "tensor/dequantize.h"

#include <string>

namespace matryx {

TensorType activationTypeFor(TensorType weight) noexcept {
    switch (weight) {
    case TensorType::Q4_0:
    case TensorType::Q5_0:
    case TensorType::Q8_0:
    case TensorType::IQ4_NL:
        return TensorType::Q8_0;
    case TensorType::Q4_1:
    case TensorType::Q5_1:
        return TensorType::Q8_1;
    case TensorType::Q2_K:
    case TensorType::Q3_K:
    case TensorType::Q4_K:
    case TensorType::Q5_K:
    case TensorType::Q6_K:
    case TensorType::IQ4_XS:
        return TensorType::Q8_K;
    case TensorType::F16:
        return TensorType::F16;
    case TensorType::BF16:
        return TensorType::BF16;
    default:
        return TensorType::F32;
    }
}

bool hasDirectKernel(TensorType weight) noexcept {
    return dot::scalarRowDot(weight) != nullptr;
}

bool canMultiply(TensorType weight) noexcept {
    return hasDirectKernel(weight) || canDequantize(weight);
}

Status quantizeActivationRow(TensorType activationType, std::span<const float> x, std::span<std::byte> out,
                             CpuKernelLevel level) {
    const dot::QuantizeRowFn fn = dot::quantizeRow(level, activationType);
    if (!fn)
        return makeError("<activations>", "type", std::nullopt,
                         std::string(typeName(activationType)) + " is not an activation type");
    const auto bytes = bytesFor(activationType, x.size());
    if (!bytes)
        return makeError("<activations>", "size", std::nullopt,
                         std::to_string(x.size()) + " values are not whole " +
                             std::string(typeName(activationType)) + " blocks");
    if (*bytes != out.size())
        return makeError("<activations>", "size", std::nullopt,
                         "output holds " + std::to_string(out.size()) + " bytes, " + std::to_string(*bytes) +
                             " needed");
    if (!cpuSupports(level))
        return makeError("<activations>", "level", std::nullopt,
                         "this CPU cannot run " + std::string(cpuKernelLevelName(level)) + " kernels");
    fn(x.data(), out.data(), int64_t(x.size()));
    return {};
}

} // namespace matryx
