// IQ types: values come from fixed codebooks (tables/iq_tables.h) indexed by the block's bits.
// Layouts: ggml-common.h, block_iq*.

#include "tensor/dequantize_kernels.h"
#include "tensor/tables/iq_tables.h"

namespace matryx::kernels {

namespace {

// +1 or -1 for bit j of a sign byte, without a branch.
inline float signOf(uint8_t signs, int j) noexcept { return 1.0f - 2.0f * float((signs >> j) & 1); }

// 8 values: db * grid * sign, the product order ggml uses.
inline void grid8(float* y, float db, const uint8_t* grid, uint8_t signs) noexcept {
    for (int j = 0; j < 8; ++j)
        y[j] = db * float(grid[j]) * signOf(signs, j);
}

} // namespace

// IQ2_XXS: d, then per 32 values a u32 of four grid indexes and a u32 of four 7-bit sign
// indexes plus a 4-bit scale in the top bits.
MATRYX_KERNEL void iq2_xxs(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 66, dst += 256) {
        const float d = loadFp16(src);
        float* y = dst;
        for (int ib = 0; ib < 8; ++ib) {
            const std::byte* p = src + 2 + 8 * ib;
            const uint32_t aux = loadU32(p + 4);
            const float db = d * (0.5f + float(aux >> 28)) * 0.25f;
            for (int l = 0; l < 4; ++l, y += 8)
                grid8(y, db, iq::kIq2xxsGrid[u8(p + l)], iq::kSigns[(aux >> (7 * l)) & 127]);
        }
    }
}

// IQ2_XS: d, qs[32] as u16 (9-bit grid index, 7-bit sign index), scales[8] (two nibbles).
MATRYX_KERNEL void iq2_xs(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 74, dst += 256) {
        const float d = loadFp16(src);
        const uint8_t* scales = bytes(src + 66);
        float* y = dst;
        for (int ib = 0; ib < 8; ++ib) {
            const float db[2] = {d * (0.5f + float(scales[ib] & 0x0f)) * 0.25f,
                                 d * (0.5f + float(scales[ib] >> 4)) * 0.25f};
            for (int l = 0; l < 4; ++l, y += 8) {
                const uint16_t q = loadU16(src + 2 + 2 * (4 * ib + l));
                grid8(y, db[l / 2], iq::kIq2xsGrid[q & 511], iq::kSigns[q >> 9]);
            }
        }
    }
}

// IQ2_S: d, qs[32] (grid index low bits), signs[32], qh[8] (2 high index bits per 8 values),
// scales[8].
MATRYX_KERNEL void iq2_s(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 82, dst += 256) {
        const float d = loadFp16(src);
        const uint8_t* qs = bytes(src + 2);
        const uint8_t* signs = bytes(src + 34);
        const uint8_t* qh = bytes(src + 66);
        const uint8_t* scales = bytes(src + 74);
        float* y = dst;
        for (int ib = 0; ib < 8; ++ib) {
            const float db[2] = {d * (0.5f + float(scales[ib] & 0x0f)) * 0.25f,
                                 d * (0.5f + float(scales[ib] >> 4)) * 0.25f};
            for (int l = 0; l < 4; ++l, y += 8) {
                const int index = qs[4 * ib + l] | ((qh[ib] << (8 - 2 * l)) & 0x300);
                grid8(y, db[l / 2], iq::kIq2sGrid[index], signs[4 * ib + l]);
            }
        }
    }
}

// IQ3_XXS: d, qs[64] (grid indexes, 4 values each), then per 32 values a u32 of four 7-bit sign
// indexes plus a 4-bit scale.
MATRYX_KERNEL void iq3_xxs(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 98, dst += 256) {
        const float d = loadFp16(src);
        const uint8_t* qs = bytes(src + 2);
        float* y = dst;
        for (int ib = 0; ib < 8; ++ib) {
            const uint32_t aux = loadU32(src + 66 + 4 * ib);
            const float db = d * (0.5f + float(aux >> 28)) * 0.5f;
            for (int l = 0; l < 4; ++l, y += 8) {
                const uint8_t signs = iq::kSigns[(aux >> (7 * l)) & 127];
                const uint8_t* g1 = iq::kIq3xxsGrid[qs[8 * ib + 2 * l]];
                const uint8_t* g2 = iq::kIq3xxsGrid[qs[8 * ib + 2 * l + 1]];
                for (int j = 0; j < 4; ++j) {
                    y[j] = db * float(g1[j]) * signOf(signs, j);
                    y[j + 4] = db * float(g2[j]) * signOf(signs, j + 4);
                }
            }
        }
    }
}

// IQ3_S: d, qs[64] (grid index low bits), qh[8] (9th bits), signs[32], scales[4] (nibbles).
MATRYX_KERNEL void iq3_s(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 110, dst += 256) {
        const float d = loadFp16(src);
        const uint8_t* qs = bytes(src + 2);
        const uint8_t* qh = bytes(src + 66);
        const uint8_t* signs = bytes(src + 74);
        const uint8_t* scales = bytes(src + 106);
        float* y = dst;
        for (int ib = 0; ib < 8; ++ib) {
            const int nibble = (ib & 1) ? scales[ib / 2] >> 4 : scales[ib / 2] & 0x0f;
            const float db = d * float(1 + 2 * nibble);
            for (int l = 0; l < 4; ++l, y += 8) {
                const int i1 = qs[8 * ib + 2 * l] | ((qh[ib] << (8 - 2 * l)) & 256);
                const int i2 = qs[8 * ib + 2 * l + 1] | ((qh[ib] << (7 - 2 * l)) & 256);
                const uint8_t s = signs[4 * ib + l];
                for (int j = 0; j < 4; ++j) {
                    y[j] = db * float(iq::kIq3sGrid[i1][j]) * signOf(s, j);
                    y[j + 4] = db * float(iq::kIq3sGrid[i2][j]) * signOf(s, j + 4);
                }
            }
        }
    }
}

// IQ1_S: d, qs[32] (grid index low bits), qh[8] as u16: 4 x 3 high index bits, a 3-bit scale and
// the sign of the grid shift.
MATRYX_KERNEL void iq1_s(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 50, dst += 256) {
        const float d = loadFp16(src);
        const uint8_t* qs = bytes(src + 2);
        float* y = dst;
        for (int ib = 0; ib < 8; ++ib) {
            const uint16_t qh = loadU16(src + 34 + 2 * ib);
            const float dl = d * float(2 * ((qh >> 12) & 7) + 1);
            const float delta = (qh & 0x8000) ? -iq::kIq1sDelta : iq::kIq1sDelta;
            for (int l = 0; l < 4; ++l, y += 8) {
                const int8_t* grid = iq::kIq1sGrid[qs[4 * ib + l] | (((qh >> (3 * l)) & 7) << 8)];
                for (int j = 0; j < 8; ++j)
                    y[j] = dl * (float(grid[j]) + delta);
            }
        }
    }
}

// IQ1_M: qs[32], qh[16] (3 high index bits + shift sign per 8 values), scales[8] as four u16:
// 3-bit sub-block scales in the low 12 bits, the fp16 super-block scale spread over the top
// nibbles.
MATRYX_KERNEL void iq1_m(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 56, dst += 256) {
        const uint8_t* qs = bytes(src);
        const uint8_t* qh = bytes(src + 32);
        uint16_t sc[4];
        for (int i = 0; i < 4; ++i)
            sc[i] = loadU16(src + 48 + 2 * i);
        const auto bits = uint16_t((sc[0] >> 12) | ((sc[1] >> 8) & 0x00f0) | ((sc[2] >> 4) & 0x0f00) |
                                   (sc[3] & 0xf000));
        const float d = fp16ToF32(bits);
        float* y = dst;
        for (int ib = 0; ib < 8; ++ib) {
            const int shift = 6 * (ib % 2);
            const float dl[2] = {d * float(2 * ((sc[ib / 2] >> shift) & 7) + 1),
                                 d * float(2 * ((sc[ib / 2] >> (shift + 3)) & 7) + 1)};
            const uint8_t h0 = qh[2 * ib], h1 = qh[2 * ib + 1];
            const int index[4] = {qs[4 * ib] | ((h0 << 8) & 0x700), qs[4 * ib + 1] | ((h0 << 4) & 0x700),
                                  qs[4 * ib + 2] | ((h1 << 8) & 0x700), qs[4 * ib + 3] | ((h1 << 4) & 0x700)};
            const float delta[4] = {(h0 & 0x08) ? -iq::kIq1sDelta : iq::kIq1sDelta,
                                    (h0 & 0x80) ? -iq::kIq1sDelta : iq::kIq1sDelta,
                                    (h1 & 0x08) ? -iq::kIq1sDelta : iq::kIq1sDelta,
                                    (h1 & 0x80) ? -iq::kIq1sDelta : iq::kIq1sDelta};
            for (int l = 0; l < 4; ++l, y += 8) {
                const int8_t* grid = iq::kIq1sGrid[index[l]];
                for (int j = 0; j < 8; ++j)
                    y[j] = dl[l / 2] * (float(grid[j]) + delta[l]);
            }
        }
    }
}

// IQ4_NL: d, qs[16]: 4-bit indexes into the non-linear levels.
MATRYX_KERNEL void iq4_nl(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 18, dst += 32) {
        const float d = loadFp16(src);
        const uint8_t* qs = bytes(src + 2);
        for (int j = 0; j < 16; ++j) {
            dst[j] = d * float(iq::kIq4nlValues[qs[j] & 0x0f]);
            dst[j + 16] = d * float(iq::kIq4nlValues[qs[j] >> 4]);
        }
    }
}

// IQ4_XS: d, scales_h (u16: 2 high bits per sub-block), scales_l[4] (nibbles), qs[128].
MATRYX_KERNEL void iq4_xs(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 136, dst += 256) {
        const float d = loadFp16(src);
        const uint16_t scalesH = loadU16(src + 2);
        const uint8_t* scalesL = bytes(src + 4);
        const uint8_t* qs = bytes(src + 8);
        for (int ib = 0; ib < 8; ++ib) {
            const int ls = ((scalesL[ib / 2] >> (4 * (ib % 2))) & 0x0f) | (((scalesH >> (2 * ib)) & 3) << 4);
            const float dl = d * float(ls - 32);
            const uint8_t* q = qs + 16 * ib;
            float* y = dst + 32 * ib;
            for (int j = 0; j < 16; ++j) {
                y[j] = dl * float(iq::kIq4nlValues[q[j] & 0x0f]);
                y[j + 16] = dl * float(iq::kIq4nlValues[q[j] >> 4]);
            }
        }
    }
}

} // namespace matryx::kernels
