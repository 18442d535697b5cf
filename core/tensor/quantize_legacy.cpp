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

// The value of largest magnitude, the first on ties; 0 for an all-zero block.
inline float signedAbsMax(const float* x, int n) noexcept {
    float amax = 0, max = 0;
    for (int j = 0; j < n; ++j)
        if (amax < std::fabs(x[j])) {
            amax = std::fabs(x[j]);
            max = x[j];
        }
    return max;
}

struct Range {
    float min, max;
};
inline Range blockRange(const float* x, int n) noexcept {
    Range r{FLT_MAX, -FLT_MAX};
    for (int j = 0; j < n; ++j) {
        if (x[j] < r.min) r.min = x[j];
        if (x[j] > r.max) r.max = x[j];
    }
    return r;
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

MATRYX_KERNEL void q4_0(const float* x, std::byte* y, int64_t n, const float* qw) noexcept {
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
        const float d = signedAbsMax(x, 32) / -8;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        storeU16(y, f32ToFp16(d));
        for (int j = 0; j < 16; ++j) {
            const uint8_t lo = uint8_t(cMin(15, int8_t(truncToInt32(x[j] * id + 8.5f))));
            const uint8_t hi = uint8_t(cMin(15, int8_t(truncToInt32(x[j + 16] * id + 8.5f))));
            y[2 + j] = std::byte(uint8_t(lo | (hi << 4)));
        }
    }
}

MATRYX_KERNEL void q4_1(const float* x, std::byte* y, int64_t n, const float* qw) noexcept {
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
        const Range r = blockRange(x, 32);
        const float d = (r.max - r.min) / 15;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        storeU16(y, f32ToFp16(d));
        storeU16(y + 2, f32ToFp16(r.min));
        for (int j = 0; j < 16; ++j) {
            const uint8_t lo = uint8_t(cMin(15, int8_t(truncToInt32((x[j] - r.min) * id + 0.5f))));
            const uint8_t hi = uint8_t(cMin(15, int8_t(truncToInt32((x[j + 16] - r.min) * id + 0.5f))));
            y[4 + j] = std::byte(uint8_t(lo | (hi << 4)));
        }
    }
}

MATRYX_KERNEL void q5_0(const float* x, std::byte* y, int64_t n, const float* qw) noexcept {
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
        const float d = signedAbsMax(x, 32) / -16;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        storeU16(y, f32ToFp16(d));
        for (int j = 0; j < 32; ++j)
            levels[j] = uint8_t(cMin(31, int8_t(truncToInt32(x[j] * id + 16.5f))));
        packFiveBit(levels, y + 2, y + 6);
    }
}

MATRYX_KERNEL void q5_1(const float* x, std::byte* y, int64_t n, const float* qw) noexcept {
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
        const Range r = blockRange(x, 32);
        const float d = (r.max - r.min) / 31;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        storeU16(y, f32ToFp16(d));
        storeU16(y + 2, f32ToFp16(r.min));
        for (int j = 0; j < 32; ++j)
            levels[j] = uint8_t(truncToInt32((x[j] - r.min) * id + 0.5f));
        packFiveBit(levels, y + 4, y + 8);
    }
}

// Importance does not change Q8_0 in ggml either. Blocks without NaN take the vector path: their
// largest magnitude does not depend on the order of comparisons. ggml's running max propagates a
// NaN until the next number replaces it, so blocks with one follow the scalar loop.
MATRYX_KERNEL void q8_0(const float* x, std::byte* y, int64_t n, const float*) noexcept {
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
