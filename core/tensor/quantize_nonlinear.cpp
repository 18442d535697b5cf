// Types with levels that are not evenly spaced or not binary (IQ4: quantize_iq4.cpp): the FP4
// (E2M1) formats MXFP4 and NVFP4 and the ternary TQ1_0 and TQ2_0, as ggml's reference quantizers,
// which ignore importance.

#include "tensor/quantize_kernels.h"
#include "tensor/tables/iq_tables.h"

namespace matryx::quantizers {

namespace {

// Index of the FP4 level (doubled E2M1 values times e) nearest to x; the first on ties.
int nearestFp4(float x, float e) noexcept {
    int best = 0;
    float bestErr = std::fabs(float(iq::kFp4Values[0]) * e - x);
    for (int i = 1; i < 16; ++i) {
        const float err = std::fabs(float(iq::kFp4Values[i]) * e - x);
        if (err < bestErr) {
            best = i;
            bestErr = err;
        }
    }
    return best;
}

// f32 -> unsigned E4M3 (bias 7), rounding half up on the mantissa and saturating at 448, as
// ggml_fp32_to_ue4m3 does; zero, negatives and NaN give 0.
uint8_t toUe4m3(float x) noexcept {
    if (!(x > 0.0f)) return 0;
    if (x > 448.0f) x = 448.0f;
    const uint32_t bits = std::bit_cast<uint32_t>(x);
    int exponent = int((bits >> 23) & 0xff) - 127 + 7;
    if (exponent <= 0) {
        const int mantissa = cMin(7, truncToInt32(x * 512.0f + 0.5f));
        return mantissa < 1 ? 0 : uint8_t(mantissa);
    }
    if (exponent >= 15) return 0x7e;
    int mantissa = int((bits >> 20) & 7) + int((bits >> 19) & 1);
    if (mantissa > 7) {
        mantissa = 0;
        if (++exponent >= 15) return 0x7e;
    }
    return uint8_t((exponent << 3) | mantissa);
}

// -1, 0, 1 -> 0, 1, 2 for x scaled by id. lroundf is glibc's, as in ggml, so that even NaN and
// out-of-range products give ggml's trit.
inline int trit(float x, float id) noexcept {
    return int(std::lround(x * id) + 1);
}

} // namespace

void mxfp4(const float* x, std::byte* y, int64_t n, const float*) noexcept {
    for (int64_t b = 0; b < n / 32; ++b, x += 32, y += 17) {
        float amax = 0;
        for (int j = 0; j < 32; ++j)
            if (amax < std::fabs(x[j])) amax = std::fabs(x[j]);
        // Subnormal maxima give a negative exponent; the cast keeps its low byte, as ggml's does.
        const uint8_t e = amax > 0.0f ? uint8_t(truncToInt32(std::floor(std::log2(amax)) - 2 + 127)) : 0;
        const float d = e8m0ToF32Half(e);
        y[0] = std::byte(e);
        for (int j = 0; j < 16; ++j)
            y[1 + j] = std::byte(uint8_t(nearestFp4(x[j], d) | (nearestFp4(x[j + 16], d) << 4)));
    }
}

void nvfp4(const float* x, std::byte* y, int64_t n, const float*) noexcept {
    for (int64_t b = 0; b < n / 64; ++b, y += 36) {
        for (int s = 0; s < 4; ++s, x += 16) {
            float amax = 0;
            for (int j = 0; j < 16; ++j)
                if (amax < std::fabs(x[j])) amax = std::fabs(x[j]);
            const uint8_t scale = toUe4m3(amax / 6.0f);
            y[s] = std::byte(scale);
            const float d = ue4m3ToF32Half(scale);
            for (int j = 0; j < 8; ++j)
                y[4 + 8 * s + j] = std::byte(uint8_t(nearestFp4(x[j], d) | (nearestFp4(x[j + 8], d) << 4)));
        }
    }
}

// Five trits per byte as a base-3 fraction of 256 (rounded up), so that the trits are the top
// digits of byte * 3^k: 48 bytes for 240 values, then 4 bytes holding four trits each.
void tq1_0(const float* x, std::byte* y, int64_t n, const float*) noexcept {
    const auto pack = [](unsigned q) { return std::byte(uint8_t((q * 256 + 242) / 243)); };
    for (int64_t b = 0; b < n / 256; ++b, y += 54) {
        float amax = 0;
        for (int j = 0; j < 256; ++j)
            amax = cMax(amax, std::fabs(x[j]));
        const float id = amax != 0.0f ? 1.0f / amax : 0.0f;
        storeU16(y + 52, f32ToFp16(amax));
        // Bytes 0..31 hold values m + 32k, bytes 32..47 the next 80 values as m + 16k.
        for (const auto [first, stride, count] : {std::array{0, 32, 32}, std::array{32, 16, 16}}) {
            for (int m = 0; m < count; ++m) {
                uint8_t q = 0;
                for (int k = 0; k < 5; ++k)
                    q = uint8_t(uint8_t(q * 3) + trit(x[m + k * stride], id));
                y[first + m] = pack(q);
            }
            x += 5 * stride;
        }
        for (int j = 0; j < 4; ++j) {
            uint8_t q = 0;
            for (int k = 0; k < 4; ++k)
                q = uint8_t(uint8_t(q * 3) + trit(x[j + 4 * k], id));
            y[48 + j] = pack(uint8_t(q * 3));
        }
        x += 16;
    }
}

// Four trits per byte, two bits each: byte m of each 32-byte half holds values m + 32k.
void tq2_0(const float* x, std::byte* y, int64_t n, const float*) noexcept {
    for (int64_t b = 0; b < n / 256; ++b, y += 66) {
        float amax = 0;
        for (int j = 0; j < 256; ++j)
            amax = cMax(amax, std::fabs(x[j]));
        const float id = amax != 0.0f ? 1.0f / amax : 0.0f;
        storeU16(y + 64, f32ToFp16(amax));
        for (int half = 0; half < 2; ++half, x += 128)
            for (int m = 0; m < 32; ++m) {
                uint8_t q = 0;
                for (int k = 0; k < 4; ++k)
                    q = uint8_t(q + ((trit(x[m + 32 * k], id) & 3) << (2 * k)));
                y[32 * half + m] = std::byte(q);
            }
    }
}

} // namespace matryx::quantizers
