#include "quant/bit_width.h"

namespace matryx {

std::optional<TensorType> typeForBits(int bits) noexcept {
    switch (bits) {
    case 2:
        return TensorType::Q2_K;
    case 3:
        return TensorType::Q3_K;
    case 4:
        return TensorType::Q4_K;
    case 5:
        return TensorType::Q5_K;
    case 6:
        return TensorType::Q6_K;
    case 8:
        return TensorType::Q8_0;
    case 16:
        return TensorType::F16;
    case 32:
        return TensorType::F32;
    default:
        return std::nullopt;
    }
}

bool isWeightType(TensorType type) noexcept {
    const TypeTraits* traits = typeTraits(static_cast<uint32_t>(type));
    if (!traits || !traits->ggml) return false;
    if (type == TensorType::F32 || type == TensorType::F16 || type == TensorType::BF16) return true;
    return traits->quantized && type != TensorType::Q8_1 && type != TensorType::Q8_K;
}

} // namespace matryx
