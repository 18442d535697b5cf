#include "quant/matryoshka_slice.h"

#include "tensor/float_convert.h"

namespace matryx {

float sliceStep(uint16_t scale, int bits) noexcept {
    return fp16ToF32(scale) * float(1 << (kMatryoshkaBits - bits));
}

// One product and one sum, in this order and never fused (the file builds with
// -ffp-contract=off): ggml's Q4_1 and Q5_1 dequantize the same way, which is what makes those
// exports exact.
void sliceValues(const int8_t* codes, const uint16_t* scales, const uint16_t* mins, int64_t values, int bits,
                 float* dst) noexcept {
    for (int64_t g = 0; g < values / kMatryoshkaGroup; ++g) {
        const float step = sliceStep(scales[g], bits);
        const float m = fp16ToF32(mins[g]);
        const int8_t* q = codes + g * kMatryoshkaGroup;
        float* out = dst + g * kMatryoshkaGroup;
        for (int j = 0; j < kMatryoshkaGroup; ++j)
            out[j] = float(sliceCode(matryoshkaCode(q[j]), bits)) * step + m;
    }
}

} // namespace matryx
