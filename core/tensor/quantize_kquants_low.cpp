// The low-bit K-quants Q2_K (2-bit levels with a 4-bit scale and minimum per 16 values) and Q3_K
// (3-bit symmetric levels with a 6-bit scale per 16 values), as ggml's quantize_row_q2_K_ref and
// quantize_row_q3_K_ref, or with importance as quantize_row_q2_K_impl and quantize_row_q3_K_impl.

#include "tensor/quantize_kernels.h"
#include "tensor/quantize_lanes.h"
#include "tensor/quantize_search.h"

namespace matryx::quantizers {

namespace {

constexpr int QK = 256;

// Two-bit levels, four groups of 32 values per byte (Q2_K, Q3_K).
void packTwoBit(const uint8_t* L, std::byte* qs) noexcept {
    for (int j = 0; j < QK; j += 128)
        for (int l = 0; l < 32; ++l)
            qs[j / 4 + l] = std::byte(
                uint8_t(L[j + l] | (L[j + l + 32] << 2) | (L[j + l + 64] << 4) | (L[j + l + 96] << 6)));
}

// Q3_K's sixteen 6-bit signed scales: low nibbles in bytes 0..7, two high bits each in bytes 8..11.
void packQ3Scales(const int* l, uint8_t* q) noexcept {
    for (int j = 0; j < 16; ++j) {
        if (j < 8)
            q[j] = uint8_t(l[j] & 0xf);
        else
            q[j - 8] |= uint8_t((l[j] & 0xf) << 4);
        q[j % 4 + 8] |= uint8_t((l[j] >> 4) << (2 * (j / 4)));
    }
}

// Requantizes against the stored Q3_K scales and writes hmask and qs.
void finishQ3(const float* x, std::byte* y, int8_t* L) noexcept {
    const auto* scales = reinterpret_cast<const uint8_t*>(y + 96);
    const float d = fp16ToF32(loadU16(y + 108));
    for (int j = 0; j < 16; ++j) {
        int sc = j < 8 ? scales[j] & 0xf : scales[j - 8] >> 4;
        sc = (sc | (((scales[8 + j % 4] >> (2 * (j / 4))) & 3) << 4)) - 32;
        const float dl = d * float(sc);
        if (dl == 0.0f) continue;
        for (int i = 0; i < 16; ++i)
            L[16 * j + i] = int8_t(cMax(-4, cMin(3, nearestInt(x[16 * j + i] / dl))) + 4);
    }
    uint8_t* hmask = bytes(y);
    std::memset(hmask, 0, 32);
    uint8_t low[QK];
    for (int j = 0; j < QK; ++j) {
        // The high bit of value j goes to bit j / 32 of byte j % 32.
        if (L[j] > 3) {
            hmask[j % 32] |= uint8_t(1u << (j / 32));
            L[j] = int8_t(L[j] - 4);
        }
        low[j] = uint8_t(L[j]);
    }
    packTwoBit(low, y + 32);
}

// Requantizes against the stored Q2_K scales (low nibble) and mins (high nibble).
void finishQ2(const float* x, std::byte* y, uint8_t* L) noexcept {
    const auto* scales = reinterpret_cast<const uint8_t*>(y);
    const float d = fp16ToF32(loadU16(y + 80));
    const float dmin = fp16ToF32(loadU16(y + 82));
    for (int j = 0; j < 16; ++j) {
        const float dl = d * float(scales[j] & 0xf);
        if (dl == 0.0f) continue;
        const float ml = dmin * float(scales[j] >> 4);
        for (int i = 0; i < 16; ++i)
            L[16 * j + i] = uint8_t(cMax(0, cMin(3, nearestInt((x[16 * j + i] + ml) / dl))));
    }
    packTwoBit(L, y + 16);
}

void q2KReference(const float* x, std::byte* y) noexcept {
    uint8_t L[QK];
    float weights[QK], mins[16], scales[16];
    for (int j = 0; j < QK; ++j)
        weights[j] = std::fabs(x[j]);
    affineScaleLanes(16, 3, x, weights, L, scales, mins, -0.5f, 0.1f, 15, true);
    float maxScale = 0, maxMin = 0;
    for (int j = 0; j < 16; ++j) {
        if (scales[j] > maxScale) maxScale = scales[j];
        if (mins[j] > maxMin) maxMin = mins[j];
    }
    uint8_t* sc = bytes(y);
    if (maxScale > 0) {
        const float iscale = 15.0f / maxScale;
        for (int j = 0; j < 16; ++j)
            sc[j] = uint8_t(nearestInt(iscale * scales[j]));
        storeU16(y + 80, f32ToFp16(maxScale / 15.0f));
    } else {
        std::memset(sc, 0, 16);
        storeU16(y + 80, f32ToFp16(0.0f));
    }
    if (maxMin > 0) {
        const float iscale = 15.0f / maxMin;
        for (int j = 0; j < 16; ++j)
            sc[j] = uint8_t(sc[j] | (nearestInt(iscale * mins[j]) << 4));
        storeU16(y + 82, f32ToFp16(maxMin / 15.0f));
    } else {
        storeU16(y + 82, f32ToFp16(0.0f));
    }
    finishQ2(x, y, L);
}

void q2KWeighted(const float* x, std::byte* y, const float* qw) noexcept {
    uint8_t L[QK], Ls[16], Lm[16];
    float weight[QK], mins[16], scales[16], sw[16];
    importanceWeights(x, qw, sumOfSquares(x, QK) / float(QK), 16, 16, weight, sw);
    affineScaleClampedLanes(16, 3, x, weight, L, scales, mins, -0.9f, 0.05f, 36);
    const float dm = positiveScale(16, 15, scales, Ls, sw);
    const float mm = positiveScale(16, 15, mins, Lm, sw);
    storeU16(y + 80, f32ToFp16(dm));
    storeU16(y + 82, f32ToFp16(mm));
    for (int j = 0; j < 16; ++j)
        y[j] = std::byte(uint8_t(Ls[j] | (Lm[j] << 4)));
    finishQ2(x, y, L);
}

void q3KReference(const float* x, std::byte* y) noexcept {
    int8_t L[QK];
    float scales[16];
    float maxScale = 0, amax = 0;
    for (int j = 0; j < 16; ++j) {
        scales[j] = symmetricScaleRefined(16, 4, x + 16 * j, L + 16 * j);
        if (std::fabs(scales[j]) > amax) {
            amax = std::fabs(scales[j]);
            maxScale = scales[j];
        }
    }
    uint8_t* sc = bytes(y + 96);
    std::memset(sc, 0, 12);
    if (maxScale != 0.0f) {
        const float iscale = -32.0f / maxScale;
        int levels[16];
        for (int j = 0; j < 16; ++j) {
            const int8_t l = int8_t(nearestInt(iscale * scales[j]));
            levels[j] = cMax(-32, cMin(31, int(l))) + 32;
        }
        packQ3Scales(levels, sc);
        storeU16(y + 108, f32ToFp16(1 / iscale));
    } else {
        storeU16(y + 108, f32ToFp16(0.0f));
    }
    finishQ3(x, y, L);
}

void q3KWeighted(const float* x, std::byte* y, const float* qw) noexcept {
    int8_t L[QK], Ls[16];
    float scales[16], weight[QK], sw[16];
    importanceWeights(x, qw, 2 * sumOfSquares(x, QK) / float(QK), 16, 16, weight, sw);
    symmetricScaleLanes(16, 4, x, L, weight, scales);
    uint8_t* sc = bytes(y + 96);
    std::memset(sc, 0, 12);
    const float dBlock = symmetricScale(16, 32, scales, Ls, sw);
    int levels[16];
    for (int j = 0; j < 16; ++j)
        levels[j] = Ls[j];
    packQ3Scales(levels, sc);
    storeU16(y + 108, f32ToFp16(dBlock));
    finishQ3(x, y, L);
}

} // namespace

void q2_K(const float* x, std::byte* y, int64_t n, const float* qw) noexcept {
    for (int64_t b = 0; b < n / QK; ++b, x += QK, y += 84) {
        if (qw)
            q2KWeighted(x, y, qw + b * QK);
        else
            q2KReference(x, y);
    }
}

void q3_K(const float* x, std::byte* y, int64_t n, const float* qw) noexcept {
    for (int64_t b = 0; b < n / QK; ++b, x += QK, y += 110) {
        if (qw)
            q3KWeighted(x, y, qw + b * QK);
        else
            q3KReference(x, y);
    }
}

} // namespace matryx::quantizers
