#pragma once

// Internal to matryx_compute: byte layouts of the ggml block types the matrix kernels read
// (ggml-common.h), as offsets into one block, and little-endian field loads. Weights come from
// mapped files at any even address, so fields are read with memcpy, never through casts.

#include "tensor/float_convert.h"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace matryx::blocks {

static_assert(std::endian::native == std::endian::little, "tensor data is little-endian");

constexpr int kQk = 32;   // elements per legacy block (Q4_0 .. Q8_1, IQ4_NL)
constexpr int kQkK = 256; // elements per K-quant super-block

// Offsets of each field within a block, and the block's size.
struct Q4_0 {
    static constexpr size_t d = 0, qs = 2, bytes = 18;
};
struct Q4_1 {
    static constexpr size_t d = 0, m = 2, qs = 4, bytes = 20;
};
struct Q5_0 {
    static constexpr size_t d = 0, qh = 2, qs = 6, bytes = 22;
};
struct Q5_1 {
    static constexpr size_t d = 0, m = 2, qh = 4, qs = 8, bytes = 24;
};
struct Q8_0 {
    static constexpr size_t d = 0, qs = 2, bytes = 34;
};
struct Q8_1 {
    static constexpr size_t d = 0, s = 2, qs = 4, bytes = 36;
};
struct Iq4Nl {
    static constexpr size_t d = 0, qs = 2, bytes = 18;
};
struct Q2_K {
    static constexpr size_t scales = 0, qs = 16, d = 80, dmin = 82, bytes = 84;
};
struct Q3_K {
    static constexpr size_t hmask = 0, qs = 32, scales = 96, d = 108, bytes = 110;
};
struct Q4_K {
    static constexpr size_t d = 0, dmin = 2, scales = 4, qs = 16, bytes = 144;
};
struct Q5_K {
    static constexpr size_t d = 0, dmin = 2, scales = 4, qh = 16, qs = 48, bytes = 176;
};
struct Q6_K {
    static constexpr size_t ql = 0, qh = 128, scales = 192, d = 208, bytes = 210;
};
struct Iq4Xs {
    static constexpr size_t d = 0, scalesH = 2, scalesL = 4, qs = 8, bytes = 136;
};
// Q8_K: f32 scale, 256 int8 values, 16 int16 sums of 16 values each.
struct Q8_K {
    static constexpr size_t d = 0, qs = 4, bsums = 260, bytes = 292;
};

inline const uint8_t* u8s(const std::byte* p) noexcept {
    return reinterpret_cast<const uint8_t*>(p);
}
inline const int8_t* i8s(const std::byte* p) noexcept {
    return reinterpret_cast<const int8_t*>(p);
}

inline uint16_t loadU16(const std::byte* p) noexcept {
    uint16_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline int16_t loadI16(const std::byte* p) noexcept {
    int16_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline uint32_t loadU32(const std::byte* p) noexcept {
    uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline float loadF32(const std::byte* p) noexcept {
    float v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline float loadFp16(const std::byte* p) noexcept {
    return fp16ToF32(loadU16(p));
}

// The 6-bit scale and min of sub-block j (0..7) of a Q4_K / Q5_K super-block, packed in 12 bytes.
inline void scaleMinK4(int j, const uint8_t* q, int& scale, int& min) noexcept {
    if (j < 4) {
        scale = q[j] & 63;
        min = q[j + 4] & 63;
    } else {
        scale = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
        min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
    }
}

// The 16 signed 6-bit scales of a Q3_K super-block (stored biased by 32 in 12 bytes), unbiased.
inline void scalesQ3K(const uint8_t* packed, int8_t out[16]) noexcept {
    for (int j = 0; j < 16; ++j) {
        const int low = j < 8 ? packed[j] & 0xF : packed[j - 8] >> 4;
        const int high = (packed[8 + j % 4] >> (2 * (j / 4))) & 3;
        out[j] = int8_t((low | (high << 4)) - 32);
    }
}

// The 6-bit scale of sub-block j (0..7) of an IQ4_XS super-block, unbiased (-32 .. 31).
inline int scaleIq4Xs(int j, uint16_t scalesH, const uint8_t* scalesL) noexcept {
    const int low = (scalesL[j / 2] >> (4 * (j % 2))) & 0xF;
    const int high = (scalesH >> (2 * j)) & 3;
    return (low | (high << 4)) - 32;
}

} // namespace matryx::blocks
