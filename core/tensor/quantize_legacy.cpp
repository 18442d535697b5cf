// The block formats of 32 values (Q4_0 .. Q8_0), 128 (Q1_0) and 64 (Q2_0) with one fp16 scale and,
// for Q4_1 and Q5_1, an fp16 minimum. Without importance each block is quantized on its own
// (quantize_row_*_ref); with importance, Q4_0 .. Q5_1 weight each value by its column's importance
// times sqrt(sigma^2 + x^2), sigma^2 being the mean square of the whole row.

#include "tensor/quantize_kernels.h"
#include "tensor/quantize_lanes.h"
#include "tensor/quantize_search.h"
#include "tensor/quantize_simd.h"

#include <cfloat>

namespace matryx::quantizers {

namespace {

struct Range {
    float min, max;
};
// The first of 32 values whose bits make it equal to `value`: among equal values only zeros can
// differ (in sign), and ggml's sequential comparisons keep the first one they meet.
inline float firstEqual(const float* x, float value) noexcept {
    for (int j = 0; j < 32; ++j)
        if (x[j] == value) return x[j];
    return value;
}

// signedAbsMax for one 32-value block in vectors. NaN never wins ggml's comparison, nor a lane's,
// so the largest magnitude is order-independent; the first value that has it is ggml's.
[[gnu::always_inline]] inline float signedAbsMax32(const float* x, const simd::F8* v) noexcept {
    using namespace simd;
    F8 a = splat(0.0f);
    for (int k = 0; k < 4; ++k)
        a = abs(v[k]) > a ? abs(v[k]) : a;
    const float amax = horizontalMax(a);
    if (amax == 0.0f) return 0.0f;
    for (int j = 0; j < 32; ++j)
        if (std::fabs(x[j]) == amax) return x[j];
    return 0.0f;
}

// blockRange for one 32-value block in vectors (NaN ignored as ggml's comparisons ignore it).
[[gnu::always_inline]] inline Range blockRange32(const float* x, const simd::F8* v) noexcept {
    using namespace simd;
    F8 lo = splat(FLT_MAX), hi = splat(-FLT_MAX);
    for (int k = 0; k < 4; ++k) {
        lo = v[k] < lo ? v[k] : lo;
        hi = v[k] > hi ? v[k] : hi;
    }
    Range r{-horizontalMax(-lo), horizontalMax(hi)};
    if (r.min == 0.0f) r.min = firstEqual(x, 0.0f);
    if (r.max == 0.0f) r.max = firstEqual(x, 0.0f);
    return r;
}

// min(top, int8_t(t)) for a float t as ggml's 4- and 5-bit codes compute it, then the low byte.
[[gnu::always_inline]] inline simd::I8 clampedCode(simd::F8 t, int top) noexcept {
    using namespace simd;
    const I8 narrowed = (truncToInt32(t) << 24) >> 24; // int8_t(...), sign-extended
    return (narrowed > splat(top) ? splat(top) : narrowed) & splat(0xff);
}

[[gnu::always_inline]] inline void storeCodes(const simd::I8* codes, uint8_t* levels) noexcept {
    for (int k = 0; k < 4; ++k) {
        const auto narrowed = __builtin_convertvector(codes[k], simd::Bytes8);
        std::memcpy(levels + 8 * k, &narrowed, 8);
    }
}

// Codes of values j and j + 16 share byte j: low nibble, high nibble.
[[gnu::always_inline]] inline void packNibbles(const simd::I8* codes, std::byte* out) noexcept {
    for (int k = 0; k < 2; ++k) {
        const auto packed = __builtin_convertvector(codes[k] | (codes[k + 2] << 4), simd::Bytes8);
        std::memcpy(out + 8 * k, &packed, 8);
    }
}

// sigma^2 of a row and the weights ggml derives from it for one block.
inline float rowMeanSquare(const float* x, int64_t n) noexcept {
    float sum = 0;
    for (int64_t j = 0; j < n; ++j)
        sum += x[j] * x[j];
    return sum / float(n);
}
inline void blockWeights(const float* x, const float* qw, float sigma2, float* weight, int n) noexcept {
    for (int j = 0; j < n; ++j)
        weight[j] = qw[j] * std::sqrt(sigma2 + x[j] * x[j]);
}

// The fifth bits of 32 levels (value j at bit j), for Q5_0 and Q5_1.
inline void packFiveBit(const uint8_t* levels, std::byte* qh, std::byte* qs) noexcept {
    uint32_t high = 0;
    for (int j = 0; j < 16; ++j) {
        const uint8_t lo = levels[j], hi = levels[j + 16];
        qs[j] = std::byte(uint8_t((lo & 0x0f) | ((hi & 0x0f) << 4)));
        high |= ((lo & 0x10u) >> 4) << j;
        high |= ((hi & 0x10u) >> 4) << (j + 16);
    }
    storeU32(qh, high);
}

// The importance-weighted searches of the 32-value formats, sixteen blocks at a time (the rest one
// by one): emit(block, scale, levels) writes each block. sigma^2 is the whole row's.
template <class Emit>
void weightedSymmetric(const float* x, const float* qw, int64_t n, int nmax, Emit emit) noexcept {
    const float sigma2 = rowMeanSquare(x, n);
    const int64_t blocks = n / 32;
    float weight[32 * kLanes], scales[kLanes];
    int8_t L[32 * kLanes];
    int64_t b = 0;
    for (; b + kLanes <= blocks; b += kLanes) {
        for (int k = 0; k < kLanes; ++k)
            blockWeights(x + 32 * (b + k), qw + 32 * (b + k), sigma2, weight + 32 * k, 32);
        symmetricScaleLanes(32, nmax, x + 32 * b, L, weight, scales);
        for (int k = 0; k < kLanes; ++k)
            emit(b + k, scales[k], L + 32 * k);
    }
    for (; b < blocks; ++b) {
        blockWeights(x + 32 * b, qw + 32 * b, sigma2, weight, 32);
        emit(b, symmetricScale(32, nmax, x + 32 * b, L, weight), L);
    }
}

// As weightedSymmetric for the formats with a minimum: emit(block, scale, negated minimum, levels).
template <class Emit>
void weightedAffine(const float* x, const float* qw, int64_t n, int nmax, Emit emit) noexcept {
    const float sigma2 = rowMeanSquare(x, n);
    const int64_t blocks = n / 32;
    float weight[32 * kLanes], scales[kLanes], negMins[kLanes];
    uint8_t L[32 * kLanes], Laux[32];
    int64_t b = 0;
    for (; b + kLanes <= blocks; b += kLanes) {
        for (int k = 0; k < kLanes; ++k)
            blockWeights(x + 32 * (b + k), qw + 32 * (b + k), sigma2, weight + 32 * k, 32);
        affineScaleClampedLanes(32, nmax, x + 32 * b, weight, L, scales, negMins, -0.9f, 0.05f, 36);
        for (int k = 0; k < kLanes; ++k)
            emit(b + k, scales[k], negMins[k], L + 32 * k);
    }
    for (; b < blocks; ++b) {
        blockWeights(x + 32 * b, qw + 32 * b, sigma2, weight, 32);
        float negMin;
        const float d = affineScaleClamped(32, nmax, x + 32 * b, weight, L, &negMin, Laux, -0.9f, 0.05f, 36);
        emit(b, d, negMin, L);
    }
}

} // namespace

MATRYX_SIMD_KERNEL void q4_0(const float* x, std::byte* y, int64_t n, const float* qw) noexcept {
    const int64_t blocks = n / 32;
    if (qw) {
        weightedSymmetric(x, qw, n, 8, [y](int64_t b, float d, const int8_t* L) {
            std::byte* out = y + 18 * b;
            storeU16(out, f32ToFp16(d));
            for (int j = 0; j < 16; ++j)
                out[2 + j] = std::byte(uint8_t(L[j] | (L[j + 16] << 4)));
        });
        return;
    }
    for (int64_t b = 0; b < blocks; ++b, x += 32, y += 18) {
        simd::F8 v[4];
        std::memcpy(v, x, sizeof v);
        const float d = signedAbsMax32(x, v) / -8;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        storeU16(y, f32ToFp16(d));
        simd::I8 codes[4];
        for (int k = 0; k < 4; ++k)
            codes[k] = clampedCode(v[k] * simd::splat(id) + simd::splat(8.5f), 15);
        packNibbles(codes, y + 2);
    }
}

MATRYX_SIMD_KERNEL void q4_1(const float* x, std::byte* y, int64_t n, const float* qw) noexcept {
    const int64_t blocks = n / 32;
    if (qw) {
        weightedAffine(x, qw, n, 15, [y](int64_t b, float d, float negMin, const uint8_t* L) {
            std::byte* out = y + 20 * b;
            storeU16(out, f32ToFp16(d));
            storeU16(out + 2, f32ToFp16(-negMin));
            for (int j = 0; j < 16; ++j)
                out[4 + j] = std::byte(uint8_t(L[j] | (L[j + 16] << 4)));
        });
        return;
    }
    for (int64_t b = 0; b < blocks; ++b, x += 32, y += 20) {
        simd::F8 v[4];
        std::memcpy(v, x, sizeof v);
        const Range r = blockRange32(x, v);
        const float d = (r.max - r.min) / 15;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        storeU16(y, f32ToFp16(d));
        storeU16(y + 2, f32ToFp16(r.min));
        simd::I8 codes[4];
        for (int k = 0; k < 4; ++k)
            codes[k] = clampedCode((v[k] - simd::splat(r.min)) * simd::splat(id) + simd::splat(0.5f), 15);
        packNibbles(codes, y + 4);
    }
}

MATRYX_SIMD_KERNEL void q5_0(const float* x, std::byte* y, int64_t n, const float* qw) noexcept {
    const int64_t blocks = n / 32;
    uint8_t levels[32];
    if (qw) {
        weightedSymmetric(x, qw, n, 16, [y](int64_t b, float d, const int8_t* L) {
            std::byte* out = y + 22 * b;
            storeU16(out, f32ToFp16(d));
            uint8_t unsignedLevels[32];
            for (int j = 0; j < 32; ++j)
                unsignedLevels[j] = uint8_t(L[j]);
            packFiveBit(unsignedLevels, out + 2, out + 6);
        });
        return;
    }
    for (int64_t b = 0; b < blocks; ++b, x += 32, y += 22) {
        simd::F8 v[4];
        std::memcpy(v, x, sizeof v);
        const float d = signedAbsMax32(x, v) / -16;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        storeU16(y, f32ToFp16(d));
        simd::I8 codes[4];
        for (int k = 0; k < 4; ++k)
            codes[k] = clampedCode(v[k] * simd::splat(id) + simd::splat(16.5f), 31);
        storeCodes(codes, levels);
        packFiveBit(levels, y + 2, y + 6);
    }
}

MATRYX_SIMD_KERNEL void q5_1(const float* x, std::byte* y, int64_t n, const float* qw) noexcept {
    const int64_t blocks = n / 32;
    uint8_t levels[32];
    if (qw) {
        weightedAffine(x, qw, n, 31, [y](int64_t b, float d, float negMin, const uint8_t* L) {
            std::byte* out = y + 24 * b;
            storeU16(out, f32ToFp16(d));
            storeU16(out + 2, f32ToFp16(-negMin));
            packFiveBit(L, out + 4, out + 8);
        });
        return;
    }
    for (int64_t b = 0; b < blocks; ++b, x += 32, y += 24) {
        simd::F8 v[4];
        std::memcpy(v, x, sizeof v);
        const Range r = blockRange32(x, v);
        const float d = (r.max - r.min) / 31;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        storeU16(y, f32ToFp16(d));
        storeU16(y + 2, f32ToFp16(r.min));
        simd::I8 codes[4];
        for (int k = 0; k < 4; ++k) // uint8_t(...): the low byte, no clamp
            codes[k] = simd::truncToInt32((v[k] - simd::splat(r.min)) * simd::splat(id) + simd::splat(0.5f));
        storeCodes(codes, levels);
        packFiveBit(levels, y + 4, y + 8);
    }
}

// Importance does not change Q8_0 in ggml either. Blocks without NaN take the vector path: their
// largest magnitude does not depend on the order of comparisons. ggml's running max propagates a
// NaN until the next number replaces it, so blocks with one follow the scalar loop.
MATRYX_SIMD_KERNEL void q8_0(const float* x, std::byte* y, int64_t n, const float*) noexcept {
    using namespace simd;
    for (int64_t b = 0; b < n / 32; ++b, x += 32, y += 34) {
        F8 v[4];
        std::memcpy(v, x, sizeof v);
        float amax = 0;
        if (anyNaN(v)) {
            for (int j = 0; j < 32; ++j)
                amax = cMax(amax, std::fabs(x[j]));
        } else {
            const F8 m01 = abs(v[0]) > abs(v[1]) ? abs(v[0]) : abs(v[1]);
            const F8 m23 = abs(v[2]) > abs(v[3]) ? abs(v[2]) : abs(v[3]);
            amax = horizontalMax(m01 > m23 ? m01 : m23);
        }
        const float d = amax / 127;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        storeU16(y, f32ToFp16(d));
        for (int k = 0; k < 4; ++k) {
            const auto q = __builtin_convertvector(roundToInt32(v[k] * splat(id)), Bytes8);
            std::memcpy(y + 2 + 8 * k, &q, 8);
        }
    }
}

// One sign bit per value (set for x >= 0), scaled by the mean magnitude.
void q1_0(const float* x, std::byte* y, int64_t n, const float*) noexcept {
    for (int64_t b = 0; b < n / 128; ++b, x += 128, y += 18) {
        float sumAbs = 0;
        for (int j = 0; j < 128; ++j)
            sumAbs += std::fabs(x[j]);
        storeU16(y, f32ToFp16(sumAbs / 128));
        for (int i = 0; i < 16; ++i) {
            uint8_t bits = 0;
            for (int k = 0; k < 8; ++k)
                bits |= uint8_t(x[8 * i + k] >= 0.0f) << k;
            y[2 + i] = std::byte(bits);
        }
    }
}

// Levels -1, 0, 1, 2 times the largest magnitude, two bits each, lowest pair first.
void q2_0(const float* x, std::byte* y, int64_t n, const float*) noexcept {
    for (int64_t b = 0; b < n / 64; ++b, x += 64, y += 18) {
        float amax = 0;
        for (int j = 0; j < 64; ++j)
            if (std::fabs(x[j]) > amax) amax = std::fabs(x[j]);
        const float id = amax > 0.0f ? 1.0f / amax : 0.0f;
        storeU16(y, f32ToFp16(amax));
        for (int i = 0; i < 16; ++i) {
            uint8_t bits = 0;
            for (int k = 0; k < 4; ++k) {
                // INT32_MIN + 1 cannot overflow; it clamps to 0 like ggml's.
                const int q = cMax(0, cMin(3, truncToInt32(std::round(x[4 * i + k] * id)) + 1));
                bits |= uint8_t(q << (2 * k));
            }
            y[2 + i] = std::byte(bits);
        }
    }
}

} // namespace matryx::quantizers
