// Types whose levels are not evenly spaced: the IQ4 codebook (IQ4_NL, IQ4_XS), the FP4 (E2M1)
// formats MXFP4 and NVFP4, and the ternary TQ1_0 and TQ2_0. IQ4 follows ggml's quantize_iq4_nl and
// quantize_iq4_xs (what ggml_quantize_chunk calls, with seven scale trials either side); the others
// follow their reference quantizers, which ignore importance.

#include "tensor/quantize_kernels.h"
#include "tensor/quantize_search.h"
#include "tensor/tables/iq_tables.h"

namespace matryx::quantizers {

namespace {

constexpr int kIq4Trials = 7;

// One IQ4 super-block of `size` values in groups of 32 (size 32 for IQ4_NL, 256 for IQ4_XS). For
// IQ4_XS the group scales are 6-bit multiples of d = -max/32, low nibbles in scalesLow and two
// high bits each in the 16-bit scalesHigh; IQ4_NL stores its one scale as d. qw: `size` weights or
// null (then x^2 weighs each value).
void iq4SuperBlock(int size, const float* x, std::byte* d, uint8_t* scalesLow, std::byte* scalesHigh,
                   uint8_t* q4, const float* qw) noexcept {
    const int8_t* values = iq::kIq4nlValues;
    float sigma2 = 0;
    for (int j = 0; j < size; ++j)
        sigma2 += x[j] * x[j];
    sigma2 *= 2.0f / float(size);

    uint8_t L[256];
    float scales[8], weight[32];
    float maxScale = 0, amaxScale = 0;
    const int groups = size / 32;
    for (int g = 0; g < groups; ++g) {
        const float* xb = x + 32 * g;
        uint8_t* Lb = L + 32 * g;
        for (int j = 0; j < 32; ++j)
            weight[j] = qw ? qw[32 * g + j] * std::sqrt(sigma2 + xb[j] * xb[j]) : xb[j] * xb[j];
        float amax = 0, max = 0;
        for (int j = 0; j < 32; ++j)
            if (std::fabs(xb[j]) > amax) {
                amax = std::fabs(xb[j]);
                max = xb[j];
            }
        if (amax < kGroupMaxEps) {
            scales[g] = 0;
            continue;
        }
        float dg = -max / float(values[0]);
        float id = 1 / dg;
        float sumqx = 0, sumq2 = 0;
        for (int j = 0; j < 32; ++j) {
            const int l = nearestLevel(16, values, id * xb[j]);
            Lb[j] = uint8_t(l);
            const float q = float(values[l]);
            sumqx += weight[j] * q * xb[j];
            sumq2 += weight[j] * q * q;
        }
        dg = sumq2 > 0 ? sumqx / sumq2 : 0.0f;
        float best = dg * sumqx;
        for (int trial = -kIq4Trials; trial <= kIq4Trials; ++trial) {
            id = float(trial + values[0]) / max;
            sumqx = sumq2 = 0;
            for (int j = 0; j < 32; ++j) {
                const float q = float(values[nearestLevel(16, values, id * xb[j])]);
                sumqx += weight[j] * q * xb[j];
                sumq2 += weight[j] * q * q;
            }
            if (sumq2 > 0 && sumqx * sumqx > best * sumq2) {
                dg = sumqx / sumq2;
                best = dg * sumqx;
            }
        }
        scales[g] = dg;
        if (std::fabs(dg) > amaxScale) {
            amaxScale = std::fabs(dg);
            maxScale = dg;
        }
    }

    if (groups > 1) {
        const float ds = -maxScale / 32;
        storeU16(d, f32ToFp16(ds));
        const float id = ds != 0.0f ? 1 / ds : 0.0f;
        uint16_t high = 0;
        for (int g = 0; g < groups; ++g) {
            int l = cMax(-32, cMin(31, nearestInt(id * scales[g])));
            const float dl = ds * float(l);
            const float idl = dl != 0.0f ? 1 / dl : 0.0f;
            for (int j = 0; j < 32; ++j)
                L[32 * g + j] = uint8_t(nearestLevel(16, values, idl * x[32 * g + j]));
            l += 32;
            if (g % 2 == 0)
                scalesLow[g / 2] = uint8_t(l & 0xf);
            else
                scalesLow[g / 2] = uint8_t(scalesLow[g / 2] | ((l & 0xf) << 4));
            high = uint16_t(high | ((l >> 4) << (2 * g)));
        }
        storeU16(scalesHigh, high);
    } else {
        storeU16(d, f32ToFp16(scales[0]));
        const float id = scales[0] != 0.0f ? 1 / scales[0] : 0.0f;
        for (int j = 0; j < size; ++j)
            L[j] = uint8_t(nearestLevel(16, values, id * x[j]));
    }
    for (int i = 0; i < size / 32; ++i)
        for (int j = 0; j < 16; ++j)
            q4[16 * i + j] = uint8_t(L[32 * i + j] | (L[32 * i + 16 + j] << 4));
}

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

void iq4_nl(const float* x, std::byte* y, int64_t n, const float* qw) noexcept {
    for (int64_t b = 0; b < n / 32; ++b, x += 32, y += 18)
        iq4SuperBlock(32, x, y, nullptr, nullptr, bytes(y + 2), qw ? qw + 32 * b : nullptr);
}

void iq4_xs(const float* x, std::byte* y, int64_t n, const float* qw) noexcept {
    for (int64_t b = 0; b < n / 256; ++b, x += 256, y += 136)
        iq4SuperBlock(256, x, y, bytes(y + 4), y + 2, bytes(y + 8), qw ? qw + 256 * b : nullptr);
}

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
