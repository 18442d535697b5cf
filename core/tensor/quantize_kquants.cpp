// The K-quants: 256-value super-blocks of 16 or 32-value groups, each group with its own scale
// (and minimum) quantized again against one fp16 super-block scale. Without importance these are
// ggml's quantize_row_q*_K_ref; with importance, the weighted searches of quantize_row_q*_K_impl.
// Either way the group levels are found first, the group scales are rounded to 4, 6 or 8 bits, and
// then every value is requantized against the scale the file will actually hold.

#include "tensor/quantize_kernels.h"
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

// Q4_K/Q5_K: eight 6-bit scales and mins in 12 bytes. The first four of each sit in the low six
// bits of bytes 0..3 and 4..7; the last four split into nibbles in bytes 8..11 and two high bits
// on top of bytes 0..7.
void packScalesMins(const uint8_t* ls, const uint8_t* lm, uint8_t* q) noexcept {
    for (int j = 0; j < 8; ++j) {
        if (j < 4) {
            q[j] = ls[j];
            q[j + 4] = lm[j];
        } else {
            q[j + 4] = uint8_t((ls[j] & 0xf) | ((lm[j] & 0xf) << 4));
            q[j - 4] |= uint8_t((ls[j] >> 4) << 6);
            q[j] |= uint8_t((lm[j] >> 4) << 6);
        }
    }
}

void unpackScaleMin(int j, const uint8_t* q, uint8_t* sc, uint8_t* m) noexcept {
    if (j < 4) {
        *sc = q[j] & 63;
        *m = q[j + 4] & 63;
    } else {
        *sc = uint8_t((q[j + 4] & 0xf) | ((q[j - 4] >> 6) << 4));
        *m = uint8_t((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

// Levels 0..nmax of every 32-value group against the stored scales and mins; a group whose scale
// rounds to zero keeps the levels of its search.
void requantizeAffine(const float* x, const std::byte* block, int nmax, uint8_t* L) noexcept {
    const float d = fp16ToF32(loadU16(block));
    const float dmin = fp16ToF32(loadU16(block + 2));
    const auto* scales = reinterpret_cast<const uint8_t*>(block + 4);
    for (int j = 0; j < QK / 32; ++j) {
        uint8_t sc, m;
        unpackScaleMin(j, scales, &sc, &m);
        const float dl = d * float(sc);
        if (dl == 0.0f) continue;
        const float ml = dmin * float(m);
        for (int i = 0; i < 32; ++i)
            L[32 * j + i] = uint8_t(cMax(0, cMin(nmax, nearestInt((x[32 * j + i] + ml) / dl))));
    }
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

float sumOfSquares(const float* x, int n) noexcept {
    float sum = 0;
    for (int i = 0; i < n; ++i)
        sum += x[i] * x[i];
    return sum;
}

// Importance times sqrt(sigma2 + x^2) for one group, and the group's total weight.
float importanceWeights(const float* x, const float* qw, float sigma2, float* weight, int n) noexcept {
    for (int l = 0; l < n; ++l)
        weight[l] = qw[l] * std::sqrt(sigma2 + x[l] * x[l]);
    float sum = 0;
    for (int l = 0; l < n; ++l)
        sum += weight[l];
    return sum;
}

void q2KReference(const float* x, std::byte* y) noexcept {
    uint8_t L[QK], Laux[16];
    float weights[16], mins[16], scales[16];
    float maxScale = 0, maxMin = 0;
    for (int j = 0; j < 16; ++j) {
        for (int l = 0; l < 16; ++l)
            weights[l] = std::fabs(x[16 * j + l]);
        scales[j] =
            affineScale(16, 3, x + 16 * j, weights, L + 16 * j, &mins[j], Laux, -0.5f, 0.1f, 15, true);
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
    uint8_t L[QK], Laux[16], Ls[16], Lm[16];
    float weight[16], mins[16], scales[16], sw[16];
    const float sigma2 = sumOfSquares(x, QK) / float(QK);
    for (int j = 0; j < 16; ++j) {
        sw[j] = importanceWeights(x + 16 * j, qw + 16 * j, sigma2, weight, 16);
        scales[j] =
            affineScaleClamped(16, 3, x + 16 * j, weight, L + 16 * j, &mins[j], Laux, -0.9f, 0.05f, 36);
    }
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
    float scales[16], weight[16], sw[16];
    const float sigma2 = 2 * sumOfSquares(x, QK) / float(QK);
    for (int j = 0; j < 16; ++j) {
        sw[j] = importanceWeights(x + 16 * j, qw + 16 * j, sigma2, weight, 16);
        scales[j] = symmetricScale(16, 4, x + 16 * j, L + 16 * j, weight);
    }
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

// Q4_K (nmax 15) and Q5_K (nmax 31) share the search; only the packing of levels differs.
template <int Nmax>
void affineSuperBlock(const float* x, std::byte* y, const float* qw, uint8_t* L) noexcept {
    uint8_t Laux[32], Ls[8], Lm[8];
    float weights[32], mins[8], scales[8];
    if (!qw) {
        constexpr float rmin = Nmax == 15 ? -1.0f : -0.5f;
        constexpr int nstep = Nmax == 15 ? 20 : 15;
        float maxScale = 0, maxMin = 0;
        for (int j = 0; j < 8; ++j) {
            const float* xg = x + 32 * j;
            const float avX = std::sqrt(sumOfSquares(xg, 32) / 32);
            for (int l = 0; l < 32; ++l)
                weights[l] = avX + std::fabs(xg[l]);
            scales[j] =
                affineScale(32, Nmax, xg, weights, L + 32 * j, &mins[j], Laux, rmin, 0.1f, nstep, false);
            if (scales[j] > maxScale) maxScale = scales[j];
            if (mins[j] > maxMin) maxMin = mins[j];
        }
        const float invScale = maxScale > 0 ? 63.0f / maxScale : 0.0f;
        const float invMin = maxMin > 0 ? 63.0f / maxMin : 0.0f;
        for (int j = 0; j < 8; ++j) {
            Ls[j] = uint8_t(cMin(63, int(uint8_t(nearestInt(invScale * scales[j])))));
            Lm[j] = uint8_t(cMin(63, int(uint8_t(nearestInt(invMin * mins[j])))));
        }
        packScalesMins(Ls, Lm, bytes(y + 4));
        storeU16(y, f32ToFp16(maxScale / 63.0f));
        storeU16(y + 2, f32ToFp16(maxMin / 63.0f));
    } else {
        float sw[8];
        const float sigma2 = 2 * sumOfSquares(x, QK) / float(QK);
        for (int j = 0; j < 8; ++j) {
            sw[j] = importanceWeights(x + 32 * j, qw + 32 * j, sigma2, weights, 32);
            scales[j] = affineScaleClamped(32, Nmax, x + 32 * j, weights, L + 32 * j, &mins[j], Laux, -0.9f,
                                           0.05f, 36);
        }
        const float dBlock = positiveScale(8, 63, scales, Ls, sw);
        const float mBlock = positiveScale(8, 63, mins, Lm, sw);
        if (Nmax == 31) // ggml clamps here for Q5_K only; Q4_K stores the levels as they are
            for (int j = 0; j < 8; ++j) {
                Ls[j] = cMin(uint8_t(63), Ls[j]);
                Lm[j] = cMin(uint8_t(63), Lm[j]);
            }
        packScalesMins(Ls, Lm, bytes(y + 4));
        storeU16(y, f32ToFp16(dBlock));
        storeU16(y + 2, f32ToFp16(mBlock));
    }
    requantizeAffine(x, y, Nmax, L);
}

void q6KSuperBlock(const float* x, std::byte* y, const float* qw) noexcept {
    int8_t L[QK];
    float scales[16];
    float maxScale = 0, maxAbsScale = 0;
    for (int j = 0; j < 16; ++j) {
        scales[j] = symmetricScale(16, 32, x + 16 * j, L + 16 * j, qw ? qw + 16 * j : nullptr);
        if (std::fabs(scales[j]) > maxAbsScale) {
            maxAbsScale = std::fabs(scales[j]);
            maxScale = scales[j];
        }
    }
    if (maxAbsScale < kGroupMaxEps) {
        std::memset(y, 0, 210);
        return;
    }
    const float iscale = -128.0f / maxScale;
    const float d = storeFp16(y + 208, 1 / iscale);
    auto* sc = reinterpret_cast<int8_t*>(y + 192);
    for (int j = 0; j < 16; ++j)
        sc[j] = int8_t(cMin(127, nearestInt(iscale * scales[j])));
    for (int j = 0; j < 16; ++j) {
        const float dl = d * float(sc[j]);
        if (dl == 0.0f) continue;
        for (int i = 0; i < 16; ++i)
            L[16 * j + i] = int8_t(cMax(-32, cMin(31, nearestInt(x[16 * j + i] / dl))) + 32);
    }
    uint8_t* ql = bytes(y);
    uint8_t* qh = bytes(y + 128);
    for (int j = 0; j < QK; j += 128, ql += 64, qh += 32) {
        for (int l = 0; l < 32; ++l) {
            const int a = L[j + l], b = L[j + l + 32], c = L[j + l + 64], e = L[j + l + 96];
            ql[l] = uint8_t((a & 0xf) | ((c & 0xf) << 4));
            ql[l + 32] = uint8_t((b & 0xf) | ((e & 0xf) << 4));
            qh[l] = uint8_t((a >> 4) | ((b >> 4) << 2) | ((c >> 4) << 4) | ((e >> 4) << 6));
        }
    }
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

void q4_K(const float* x, std::byte* y, int64_t n, const float* qw) noexcept {
    uint8_t L[QK];
    for (int64_t b = 0; b < n / QK; ++b, x += QK, y += 144) {
        affineSuperBlock<15>(x, y, qw ? qw + b * QK : nullptr, L);
        uint8_t* q = bytes(y + 16);
        for (int j = 0; j < QK; j += 64, q += 32)
            for (int l = 0; l < 32; ++l)
                q[l] = uint8_t(L[j + l] | (L[j + l + 32] << 4));
    }
}

void q5_K(const float* x, std::byte* y, int64_t n, const float* qw) noexcept {
    uint8_t L[QK];
    for (int64_t b = 0; b < n / QK; ++b, x += QK, y += 176) {
        affineSuperBlock<31>(x, y, qw ? qw + b * QK : nullptr, L);
        uint8_t* qh = bytes(y + 16);
        uint8_t* ql = bytes(y + 48);
        std::memset(qh, 0, 32);
        // Values n + j and n + j + 32 share byte j of ql; their fifth bits go to bits 2k and 2k+1
        // of qh[j] for the k-th group of 64.
        for (int base = 0, k = 0; base < QK; base += 64, ++k, ql += 32) {
            for (int j = 0; j < 32; ++j) {
                int l1 = L[base + j], l2 = L[base + j + 32];
                if (l1 > 15) {
                    l1 -= 16;
                    qh[j] = uint8_t(qh[j] | (1u << (2 * k)));
                }
                if (l2 > 15) {
                    l2 -= 16;
                    qh[j] = uint8_t(qh[j] | (2u << (2 * k)));
                }
                ql[j] = uint8_t(l1 | (l2 << 4));
            }
        }
    }
}

void q6_K(const float* x, std::byte* y, int64_t n, const float* qw) noexcept {
    for (int64_t b = 0; b < n / QK; ++b, x += QK, y += 210)
        q6KSuperBlock(x, y, qw ? qw + b * QK : nullptr);
}

// Importance does not apply: ggml has only the reference quantizer for Q8_K.
void q8_K(const float* x, std::byte* y, int64_t n, const float*) noexcept {
    for (int64_t b = 0; b < n / QK; ++b, x += QK, y += 292) {
        float max = 0, amax = 0;
        for (int j = 0; j < QK; ++j)
            if (std::fabs(x[j]) > amax) {
                amax = std::fabs(x[j]);
                max = x[j];
            }
        auto* qs = reinterpret_cast<int8_t*>(y + 4);
        if (amax == 0.0f) {
            // ggml leaves the block sums as they were; zero is what they sum to.
            std::memset(y, 0, 292);
            continue;
        }
        const float iscale = -127.0f / max;
        for (int j = 0; j < QK; ++j)
            qs[j] = int8_t(cMin(127, nearestInt(iscale * x[j])));
        for (int j = 0; j < 16; ++j) {
            int sum = 0;
            for (int i = 0; i < 16; ++i)
                sum += qs[16 * j + i];
            const int16_t s = int16_t(sum);
            std::memcpy(y + 260 + 2 * j, &s, 2);
        }
        const float d = 1 / iscale;
        std::memcpy(y, &d, 4);
    }
}

} // namespace matryx::quantizers
