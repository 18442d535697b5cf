#include "quant/type_fallback.h"

namespace matryx {

namespace {

bool fits(TensorType type, int64_t rowLength) noexcept {
    return rowLength % static_cast<int64_t>(typeTraits(type).blockSize) == 0;
}

} // namespace

TensorType rowFallbackType(TensorType type, int64_t rowLength) noexcept {
    if (fits(type, rowLength)) return type;
    using T = TensorType;
    T next = T::F16;
    switch (type) {
    case T::IQ1_S:
    case T::IQ1_M:
    case T::IQ2_XXS:
    case T::IQ2_XS:
    case T::IQ2_S:
    case T::IQ3_XXS:
    case T::IQ3_S:
    case T::IQ4_XS:
        next = T::IQ4_NL;
        break;
    case T::Q2_0:
    case T::Q2_K:
    case T::Q3_K:
    case T::TQ1_0:
    case T::TQ2_0:
        next = T::Q4_0;
        break;
    case T::Q4_K:
        next = T::Q5_0;
        break;
    case T::Q5_K:
        next = T::Q5_1;
        break;
    case T::Q6_K:
        next = T::Q8_0;
        break;
    default:
        // llama.cpp stops here for block types larger than 32 without a fallback; F16 always fits.
        break;
    }
    return fits(next, rowLength) ? next : T::F16;
}

} // namespace matryx
