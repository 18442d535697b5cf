// Ternary formats (values -1, 0, +1 times one fp16 scale per 256): TQ1_0 packs five trits per byte
// in base 3, TQ2_0 four 2-bit codes per byte.

#include "tensor/dequantize_kernels.h"

namespace matryx::kernels {

namespace {

constexpr uint8_t kPow3[5] = {1, 3, 9, 27, 81};

// Trit n of a TQ1_0 byte. The byte stores ceil(v * 256 / 243) for a base-3 number v, so
// multiplying by 3^n (mod 256) moves trit n to the top and (x * 3) >> 8 reads it.
inline int trit(uint8_t byte, int n) noexcept {
    const auto shifted = uint8_t(byte * kPow3[n]);
    return (int(shifted) * 3) >> 8;
}

} // namespace

// TQ1_0: qs[48] (32 bytes for 160 values, then 16 bytes for 80), qh[4] (4 trits each, 16
// values), d.
MATRYX_KERNEL void tq1_0(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 54, dst += 256) {
        const uint8_t* qs = bytes(src);
        const uint8_t* qh = bytes(src + 48);
        const float d = loadFp16(src + 52);
        float* y = dst;
        for (int n = 0; n < 5; ++n, y += 32)
            for (int m = 0; m < 32; ++m)
                y[m] = float(trit(qs[m], n) - 1) * d;
        for (int n = 0; n < 5; ++n, y += 16)
            for (int m = 0; m < 16; ++m)
                y[m] = float(trit(qs[32 + m], n) - 1) * d;
        for (int n = 0; n < 4; ++n, y += 4)
            for (int m = 0; m < 4; ++m)
                y[m] = float(trit(qh[m], n) - 1) * d;
    }
}

// TQ2_0: qs[64] (codes 0..2 for -1, 0, +1; 32 consecutive values share a bit pair), d.
MATRYX_KERNEL void tq2_0(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 66, dst += 256) {
        const uint8_t* qs = bytes(src);
        const float d = loadFp16(src + 64);
        float* y = dst;
        for (int j = 0; j < 64; j += 32)
            for (int shift = 0; shift < 8; shift += 2, y += 32)
                for (int m = 0; m < 32; ++m)
                    y[m] = float(((qs[j + m] >> shift) & 3) - 1) * d;
    }
}

} // namespace matryx::kernels
