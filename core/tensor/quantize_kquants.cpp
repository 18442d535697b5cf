// The K-quants Q4_K, Q5_K and Q6_K (Q2_K and Q3_K: quantize_kquants_low.cpp) and Q8_K: 256-value
// super-blocks of 16 or 32-value groups, each group with its own scale (and minimum) quantized
// again against one fp16 super-block scale. Without importance these are ggml's
// quantize_row_q*_K_ref; with importance, the weighted searches of quantize_row_q*_K_impl. Either
// way the group levels are found first (sixteen groups at a time, quantize_lanes.h), the group
// scales are rounded to 6 or 8 bits, and then every value is requantized against the scale the
// file will actually hold.

#include "tensor/quantize_kernels.h"
#include "tensor/quantize_lanes.h"
#include "tensor/quantize_search.h"

namespace matryx::quantizers {

namespace {

constexpr int QK = 256;

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

// Q4_K (nmax 15) and Q5_K (nmax 31) share the search; only the packing of levels differs. The
// group searches of `count` (1 or 2) consecutive super-blocks run together, sixteen groups in
// lanes; a lone super-block is searched twice. L receives count * 256 levels.
template <int Nmax>
void affineSuperBlocks(const float* x, std::byte* y, const float* qw, int count, uint8_t* L) noexcept {
    constexpr int blockBytes = Nmax == 15 ? 144 : 176;
    float xs[2 * QK], weights[2 * QK], scales[16], mins[16], sw[16];
    for (int b = 0; b < 2; ++b) {
        const int from = b < count ? b : 0;
        const float* xb = x + QK * from;
        std::memcpy(xs + QK * b, xb, sizeof(float) * QK);
        if (qw) {
            importanceWeights(xb, qw + QK * from, 2 * sumOfSquares(xb, QK) / float(QK), 32, 8,
                              weights + QK * b, sw + 8 * b);
            continue;
        }
        for (int j = 0; j < 8; ++j) {
            const float* xg = xb + 32 * j;
            const float avX = std::sqrt(sumOfSquares(xg, 32) / 32);
            for (int l = 0; l < 32; ++l)
                weights[QK * b + 32 * j + l] = avX + std::fabs(xg[l]);
        }
    }
    uint8_t levels[2 * QK];
    if (qw)
        affineScaleClampedLanes(32, Nmax, xs, weights, levels, scales, mins, -0.9f, 0.05f, 36);
    else
        affineScaleLanes(32, Nmax, xs, weights, levels, scales, mins, Nmax == 15 ? -1.0f : -0.5f, 0.1f,
                         Nmax == 15 ? 20 : 15, false);
    std::memcpy(L, levels, size_t(QK) * size_t(count));

    for (int b = 0; b < count; ++b, y += blockBytes) {
        const float* sc = scales + 8 * b;
        const float* mn = mins + 8 * b;
        uint8_t Ls[8], Lm[8];
        if (!qw) {
            float maxScale = 0, maxMin = 0;
            for (int j = 0; j < 8; ++j) {
                if (sc[j] > maxScale) maxScale = sc[j];
                if (mn[j] > maxMin) maxMin = mn[j];
            }
            const float invScale = maxScale > 0 ? 63.0f / maxScale : 0.0f;
            const float invMin = maxMin > 0 ? 63.0f / maxMin : 0.0f;
            for (int j = 0; j < 8; ++j) {
                Ls[j] = uint8_t(cMin(63, int(uint8_t(nearestInt(invScale * sc[j])))));
                Lm[j] = uint8_t(cMin(63, int(uint8_t(nearestInt(invMin * mn[j])))));
            }
            storeU16(y, f32ToFp16(maxScale / 63.0f));
            storeU16(y + 2, f32ToFp16(maxMin / 63.0f));
        } else {
            storeU16(y, f32ToFp16(positiveScale(8, 63, sc, Ls, sw + 8 * b)));
            storeU16(y + 2, f32ToFp16(positiveScale(8, 63, mn, Lm, sw + 8 * b)));
            if (Nmax == 31) // ggml clamps here for Q5_K only; Q4_K stores the levels as they are
                for (int j = 0; j < 8; ++j) {
                    Ls[j] = cMin(uint8_t(63), Ls[j]);
                    Lm[j] = cMin(uint8_t(63), Lm[j]);
                }
        }
        packScalesMins(Ls, Lm, bytes(y + 4));
        requantizeAffine(x + QK * b, y, Nmax, L + QK * b);
    }
}

void q6KSuperBlock(const float* x, std::byte* y, const float* qw) noexcept {
    int8_t L[QK];
    float scales[16];
    symmetricScaleLanes(16, 32, x, L, qw, scales);
    float maxScale = 0, maxAbsScale = 0;
    for (int j = 0; j < 16; ++j) {
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

void q4_K(const float* x, std::byte* y, int64_t n, const float* qw) noexcept {
    uint8_t L[2 * QK];
    for (int64_t b = 0; b < n / QK; b += 2) {
        const int count = n / QK - b > 1 ? 2 : 1;
        affineSuperBlocks<15>(x + b * QK, y + b * 144, qw ? qw + b * QK : nullptr, count, L);
        for (int k = 0; k < count; ++k) {
            uint8_t* q = bytes(y + (b + k) * 144 + 16);
            const uint8_t* Lk = L + QK * k;
            for (int j = 0; j < QK; j += 64, q += 32)
                for (int l = 0; l < 32; ++l)
                    q[l] = uint8_t(Lk[j + l] | (Lk[j + l + 32] << 4));
        }
    }
}

void q5_K(const float* x, std::byte* y, int64_t n, const float* qw) noexcept {
    uint8_t L[2 * QK];
    for (int64_t b = 0; b < n / QK; b += 2) {
        const int count = n / QK - b > 1 ? 2 : 1;
        affineSuperBlocks<31>(x + b * QK, y + b * 176, qw ? qw + b * QK : nullptr, count, L);
        for (int k = 0; k < count; ++k) {
            const uint8_t* Lk = L + QK * k;
            uint8_t* qh = bytes(y + (b + k) * 176 + 16);
            uint8_t* ql = qh + 32;
            std::memset(qh, 0, 32);
            // Values base + j and base + j + 32 share byte j of ql; their fifth bits go to bits 2g
            // and 2g + 1 of qh[j] for the g-th group of 64.
            for (int base = 0, g = 0; base < QK; base += 64, ++g, ql += 32) {
                for (int j = 0; j < 32; ++j) {
                    int l1 = Lk[base + j], l2 = Lk[base + j + 32];
                    if (l1 > 15) {
                        l1 -= 16;
                        qh[j] = uint8_t(qh[j] | (1u << (2 * g)));
                    }
                    if (l2 > 15) {
                        l2 -= 16;
                        qh[j] = uint8_t(qh[j] | (2u << (2 * g)));
                    }
                    ql[j] = uint8_t(l1 | (l2 << 4));
                }
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
