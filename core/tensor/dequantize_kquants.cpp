// K-quants: super-blocks of 256 values in 8 or 16 sub-blocks, each with its own quantized scale
// (and min), scaled again by fp16 super-block factors. Layouts: ggml-common.h, block_q*_K.

#include "tensor/dequantize_kernels.h"

namespace matryx::kernels {

namespace {

// The 6-bit scale and min of sub-block j (0..7) of Q4_K/Q5_K, packed into 12 bytes: the low
// 6 bits of bytes 0..7 hold scales 0..3 and mins 0..3; bytes 8..11 hold the low nibbles of
// scales 4..7 (and mins in the high nibbles) whose top 2 bits sit in bits 6..7 of bytes 0..7.
inline void scaleMinK4(int j, const uint8_t* q, int& scale, int& min) noexcept {
    if (j < 4) {
        scale = q[j] & 63;
        min = q[j + 4] & 63;
    } else {
        scale = (q[j + 4] & 0x0f) | ((q[j - 4] >> 6) << 4);
        min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
    }
}

} // namespace

// Q2_K: scales[16] (low nibble scale, high nibble min), qs[64], d, dmin.
MATRYX_KERNEL void q2_K(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 84, dst += 256) {
        const uint8_t* scales = bytes(src);
        const uint8_t* qs = bytes(src + 16);
        const float d = loadFp16(src + 80);
        const float dmin = loadFp16(src + 82);
        float* y = dst;
        for (int half = 0; half < 2; ++half) {
            const uint8_t* q = qs + 32 * half;
            for (int shift = 0; shift < 8; shift += 2) {
                for (int group = 0; group < 2; ++group) {
                    const uint8_t sc = *scales++;
                    const float dl = d * float(sc & 0x0f);
                    const float ml = dmin * float(sc >> 4);
                    for (int l = 0; l < 16; ++l)
                        y[l] = dl * float((q[16 * group + l] >> shift) & 3) - ml;
                    y += 16;
                }
            }
        }
    }
}

// Q3_K: hmask[32], qs[64], scales[12] (16 six-bit scales, offset 32), d.
MATRYX_KERNEL void q3_K(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 110, dst += 256) {
        const uint8_t* hmask = bytes(src);
        const uint8_t* qs = bytes(src + 32);
        const uint8_t* packed = bytes(src + 96);
        const float d = loadFp16(src + 108);

        // Scale i: low nibble from byte i % 8 (low half for i < 8), top 2 bits from byte
        // 8 + i % 4 at bit 2 * (i / 4).
        float dl[16];
        for (int i = 0; i < 16; ++i) {
            const int low = (i < 8 ? packed[i] : packed[i - 8] >> 4) & 0x0f;
            const int high = (packed[8 + i % 4] >> (2 * (i / 4))) & 3;
            dl[i] = d * float((low | (high << 4)) - 32);
        }

        float* y = dst;
        int is = 0;
        for (int half = 0; half < 2; ++half) {
            const uint8_t* q = qs + 32 * half;
            for (int j = 0; j < 4; ++j) {
                const int shift = 2 * j;
                const int hbit = 4 * half + j;
                for (int group = 0; group < 2; ++group) {
                    const float s = dl[is++];
                    for (int l = 0; l < 16; ++l) {
                        const int k = 16 * group + l;
                        // A clear high bit subtracts 4.
                        const int v = ((q[k] >> shift) & 3) - (((hmask[k] >> hbit) & 1) ^ 1) * 4;
                        y[l] = s * float(v);
                    }
                    y += 16;
                }
            }
        }
    }
}

// Q4_K: d, dmin, scales[12], qs[128].
MATRYX_KERNEL void q4_K(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 144, dst += 256) {
        const float d = loadFp16(src);
        const float dmin = loadFp16(src + 2);
        const uint8_t* scales = bytes(src + 4);
        const uint8_t* qs = bytes(src + 16);
        float* y = dst;
        for (int j = 0; j < 4; ++j) {
            int sc, m;
            scaleMinK4(2 * j, scales, sc, m);
            const float d1 = d * float(sc), m1 = dmin * float(m);
            scaleMinK4(2 * j + 1, scales, sc, m);
            const float d2 = d * float(sc), m2 = dmin * float(m);
            const uint8_t* q = qs + 32 * j;
            for (int l = 0; l < 32; ++l)
                y[l] = d1 * float(q[l] & 0x0f) - m1;
            for (int l = 0; l < 32; ++l)
                y[32 + l] = d2 * float(q[l] >> 4) - m2;
            y += 64;
        }
    }
}

// Q5_K: d, dmin, scales[12], qh[32], qs[128].
MATRYX_KERNEL void q5_K(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 176, dst += 256) {
        const float d = loadFp16(src);
        const float dmin = loadFp16(src + 2);
        const uint8_t* scales = bytes(src + 4);
        const uint8_t* qh = bytes(src + 16);
        const uint8_t* qs = bytes(src + 48);
        float* y = dst;
        for (int j = 0; j < 4; ++j) {
            int sc, m;
            scaleMinK4(2 * j, scales, sc, m);
            const float d1 = d * float(sc), m1 = dmin * float(m);
            scaleMinK4(2 * j + 1, scales, sc, m);
            const float d2 = d * float(sc), m2 = dmin * float(m);
            const uint8_t* q = qs + 32 * j;
            for (int l = 0; l < 32; ++l)
                y[l] = d1 * float((q[l] & 0x0f) | (((qh[l] >> (2 * j)) & 1) << 4)) - m1;
            for (int l = 0; l < 32; ++l)
                y[32 + l] = d2 * float((q[l] >> 4) | (((qh[l] >> (2 * j + 1)) & 1) << 4)) - m2;
            y += 64;
        }
    }
}

// Q6_K: ql[128] (low nibbles), qh[64] (high 2 bits), scales[16] (int8), d.
MATRYX_KERNEL void q6_K(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 210, dst += 256) {
        const uint8_t* ql = bytes(src);
        const uint8_t* qh = bytes(src + 128);
        const auto* sc = reinterpret_cast<const int8_t*>(src + 192);
        const float d = loadFp16(src + 208);
        float ds[16];
        for (int i = 0; i < 16; ++i)
            ds[i] = d * float(sc[i]);
        for (int half = 0; half < 2; ++half) {
            const uint8_t* l4 = ql + 64 * half;
            const uint8_t* h2 = qh + 32 * half;
            const float* s = ds + 8 * half;
            float* y = dst + 128 * half;
            for (int l = 0; l < 32; ++l) {
                const int is = l / 16;
                const int v1 = ((l4[l] & 0x0f) | (((h2[l] >> 0) & 3) << 4)) - 32;
                const int v2 = ((l4[l + 32] & 0x0f) | (((h2[l] >> 2) & 3) << 4)) - 32;
                const int v3 = ((l4[l] >> 4) | (((h2[l] >> 4) & 3) << 4)) - 32;
                const int v4 = ((l4[l + 32] >> 4) | (((h2[l] >> 6) & 3) << 4)) - 32;
                y[l] = s[is] * float(v1);
                y[l + 32] = s[is + 2] * float(v2);
                y[l + 64] = s[is + 4] * float(v3);
                y[l + 96] = s[is + 6] * float(v4);
            }
        }
    }
}

// Q8_K: d as f32, qs[256] (int8), bsums[16] (int16, only for dot products).
MATRYX_KERNEL void q8_K(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 292, dst += 256) {
        const float d = std::bit_cast<float>(loadU32(src));
        const auto* qs = reinterpret_cast<const int8_t*>(src + 4);
        for (int j = 0; j < 256; ++j)
            dst[j] = d * float(qs[j]);
    }
}

} // namespace matryx::kernels
