#pragma once

// Matryoshka ("nested") int8 quantization after DeepMind's MatQuant: how a narrower width is
// read out of the 8-bit codes.
//
// Each group of kMatryoshkaGroup consecutive values of a row has an fp16 scale s and an fp16
// minimum m; each value has an 8-bit code q in [0, 255], and w ~ s * q + m. The r-bit slice
// (1 <= r <= 8) keeps the r most significant bits of q, rounded to nearest with halves up and
// clamped to the top r-bit code, as MatQuant slices:
//
//   q_r = min((q + 2^(7-r)) >> (8-r), 2^r - 1)         (q_8 = q)
//   w_r = (s * 2^(8-r)) * q_r + m                        (in f32, s and m widened from fp16)
//
// At r = 4 and r = 5 this is exactly ggml's Q4_1 and Q5_1 with d = s * 2^(8-r) (matryoshka_export.h).

#include <cstdint>

namespace matryx {

inline constexpr int kMatryoshkaGroup = 32; // values per scale and minimum
inline constexpr int kMatryoshkaBits = 8;   // bits of the nested codes

// The code as stored in the file: GGML's I8 holds q - 128.
inline uint8_t matryoshkaCode(int8_t stored) noexcept { return static_cast<uint8_t>(stored + 128); }
inline int8_t storedMatryoshkaCode(uint8_t q) noexcept { return static_cast<int8_t>(int(q) - 128); }

// q_r above; `bits` must be in [1, 8].
inline uint8_t sliceCode(uint8_t q, int bits) noexcept {
    const int shift = kMatryoshkaBits - bits;
    const int top = (1 << bits) - 1;
    const int rounded = shift == 0 ? int(q) : (int(q) + (1 << (shift - 1))) >> shift;
    return static_cast<uint8_t>(rounded < top ? rounded : top);
}

// The step of the r-bit slice's grid: fp16 `scale` times 2^(8-bits), exact in f32.
float sliceStep(uint16_t scale, int bits) noexcept;

// Writes the r-bit slice's values of `values` nested values (a multiple of kMatryoshkaGroup):
// `codes` holds them as stored (q - 128), scales and mins one fp16 per group. bits in [1, 8].
void sliceValues(const int8_t* codes, const uint16_t* scales, const uint16_t* mins, int64_t values, int bits,
                 float* dst) noexcept;

} // namespace matryx
