// The block formats of 32 (Q4_0 .. Q8_1), 64 (Q2_0) and 128 (Q1_0) values with one fp16 scale.

#include "tensor/dequantize_kernels.h"

namespace matryx::kernels {

MATRYX_KERNEL void q4_0(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 18, dst += 32) {
        const float d = loadFp16(src);
        const uint8_t* qs = bytes(src + 2);
        for (int j = 0; j < 16; ++j) {
            dst[j] = float((qs[j] & 0x0f) - 8) * d;
            dst[j + 16] = float((qs[j] >> 4) - 8) * d;
        }
    }
}

MATRYX_KERNEL void q4_1(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 20, dst += 32) {
        const float d = loadFp16(src);
        const float m = loadFp16(src + 2);
        const uint8_t* qs = bytes(src + 4);
        for (int j = 0; j < 16; ++j) {
            dst[j] = float(qs[j] & 0x0f) * d + m;
            dst[j + 16] = float(qs[j] >> 4) * d + m;
        }
    }
}

MATRYX_KERNEL void q5_0(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 22, dst += 32) {
        const float d = loadFp16(src);
        const uint32_t qh = loadU32(src + 2);
        const uint8_t* qs = bytes(src + 6);
        for (int j = 0; j < 16; ++j) {
            const int lo = (qs[j] & 0x0f) | int(((qh >> j) << 4) & 0x10);
            const int hi = (qs[j] >> 4) | int((qh >> (j + 12)) & 0x10);
            dst[j] = float(lo - 16) * d;
            dst[j + 16] = float(hi - 16) * d;
        }
    }
}

MATRYX_KERNEL void q5_1(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 24, dst += 32) {
        const float d = loadFp16(src);
        const float m = loadFp16(src + 2);
        const uint32_t qh = loadU32(src + 4);
        const uint8_t* qs = bytes(src + 8);
        for (int j = 0; j < 16; ++j) {
            const int lo = (qs[j] & 0x0f) | int(((qh >> j) << 4) & 0x10);
            const int hi = (qs[j] >> 4) | int((qh >> (j + 12)) & 0x10);
            dst[j] = float(lo) * d + m;
            dst[j + 16] = float(hi) * d + m;
        }
    }
}

MATRYX_KERNEL void q8_0(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 34, dst += 32) {
        const float d = loadFp16(src);
        const auto* qs = reinterpret_cast<const int8_t*>(src + 2);
        for (int j = 0; j < 32; ++j)
            dst[j] = float(qs[j]) * d;
    }
}

// The second fp16 (d times the sum of the quants) only serves dot products.
MATRYX_KERNEL void q8_1(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 36, dst += 32) {
        const float d = loadFp16(src);
        const auto* qs = reinterpret_cast<const int8_t*>(src + 4);
        for (int j = 0; j < 32; ++j)
            dst[j] = float(qs[j]) * d;
    }
}

// One sign bit per value, least significant bit first: set is +d, clear is -d.
MATRYX_KERNEL void q1_0(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 18, dst += 128) {
        const float d = loadFp16(src);
        const float negD = -d;
        const uint8_t* qs = bytes(src + 2);
        for (int i = 0; i < 16; ++i)
            for (int k = 0; k < 8; ++k)
                dst[8 * i + k] = ((qs[i] >> k) & 1) ? d : negD;
    }
}

// Two bits per value, lowest pair first; codes 0..3 stand for -1, 0, 1, 2.
MATRYX_KERNEL void q2_0(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 18, dst += 64) {
        const float d = loadFp16(src);
        const uint8_t* qs = bytes(src + 2);
        for (int i = 0; i < 16; ++i)
            for (int k = 0; k < 4; ++k)
                dst[4 * i + k] = float(((qs[i] >> (2 * k)) & 3) - 1) * d;
    }
}

} // namespace matryx::kernels
