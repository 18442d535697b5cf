#pragma once

// Internal to matryx_tensor: the per-type row quantizers behind quantize() and the rounding rules
// they share. Each quantizes one row of n floats (n a multiple of the block size) into
// n / blockSize blocks laid out as in ggml-common.h, little-endian. `qw` is null or n importance
// weights. No checks: quantize() validates sizes first.
//
// Bit-exactness with ggml rests on three things kept here: the same IEEE operations in the same
// order (matryx_tensor builds with -ffp-contract=off), ggml's nearest_int, and C's float-to-integer
// conversions with the results x86-64 gives where C leaves them undefined.

#include "tensor/float_convert.h"
#include "tensor/kernel_target.h"

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace matryx::quantizers {

// ggml's nearest_int: adding 1.5 * 2^23 leaves the value rounded to nearest even in the low
// mantissa bits. Exact for |v| < 2^22; beyond that (and for NaN) it yields the same arbitrary
// integer ggml gets, which is what bit-exactness needs.
inline int nearestInt(float v) noexcept {
    const float shifted = v + 12582912.0f;
    return int(std::bit_cast<uint32_t>(shifted) & 0x007fffffu) - 0x00400000;
}

// A float converted to a 32-bit integer the way x86-64's cvttss2si does: toward zero, and
// INT32_MIN for NaN and anything out of range. ggml casts floats straight to int8_t/uint8_t; GCC
// compiles those casts to this instruction and keeps the low byte, so a narrowing cast of the
// result reproduces ggml's bytes even for values C leaves undefined.
inline int32_t truncToInt32(float v) noexcept {
    return (v >= -2147483648.0f && v < 2147483648.0f) ? int32_t(v) : INT32_MIN;
}

// C's MIN and MAX macros as ggml spells them; with a NaN they pick a side the same way ggml does.
template <class A, class B> inline auto cMin(A a, B b) noexcept {
    return a < b ? a : b;
}
template <class A, class B> inline auto cMax(A a, B b) noexcept {
    return a > b ? a : b;
}

inline uint8_t* bytes(std::byte* p) noexcept {
    return reinterpret_cast<uint8_t*>(p);
}
inline void storeU16(std::byte* p, uint16_t v) noexcept {
    std::memcpy(p, &v, sizeof v);
}
inline void storeU32(std::byte* p, uint32_t v) noexcept {
    std::memcpy(p, &v, sizeof v);
}
inline uint16_t loadU16(const std::byte* p) noexcept {
    uint16_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
// Stores f as fp16 and returns the value the fp16 stands for, which ggml reads back before using it.
inline float storeFp16(std::byte* p, float f) noexcept {
    const uint16_t h = f32ToFp16(f);
    storeU16(p, h);
    return fp16ToF32(h);
}

// Smallest group maximum treated as non-zero (ggml's GROUP_MAX_EPS).
constexpr float kGroupMaxEps = 1e-15f;
// Scale trials either side of the first guess in ggml's IQ4 search (quantize_iq4_nl/_xs).
constexpr int kIq4Trials = 7;

// quantize_legacy.cpp: 32-value blocks with one or two fp16 fields, Q1_0 (128) and Q2_0 (64).
void q4_0(const float* x, std::byte* y, int64_t n, const float* qw) noexcept;
void q4_1(const float* x, std::byte* y, int64_t n, const float* qw) noexcept;
void q5_0(const float* x, std::byte* y, int64_t n, const float* qw) noexcept;
void q5_1(const float* x, std::byte* y, int64_t n, const float* qw) noexcept;
void q8_0(const float* x, std::byte* y, int64_t n, const float* qw) noexcept;
void q1_0(const float* x, std::byte* y, int64_t n, const float* qw) noexcept;
void q2_0(const float* x, std::byte* y, int64_t n, const float* qw) noexcept;

// quantize_kquants_low.cpp (Q2_K, Q3_K) and quantize_kquants.cpp: 256-value super-blocks.
void q2_K(const float* x, std::byte* y, int64_t n, const float* qw) noexcept;
void q3_K(const float* x, std::byte* y, int64_t n, const float* qw) noexcept;
void q4_K(const float* x, std::byte* y, int64_t n, const float* qw) noexcept;
void q5_K(const float* x, std::byte* y, int64_t n, const float* qw) noexcept;
void q6_K(const float* x, std::byte* y, int64_t n, const float* qw) noexcept;
void q8_K(const float* x, std::byte* y, int64_t n, const float* qw) noexcept;

// quantize_iq4.cpp (IQ4_NL, IQ4_XS) and quantize_nonlinear.cpp (MXFP4, NVFP4, TQ1_0, TQ2_0).
void iq4_nl(const float* x, std::byte* y, int64_t n, const float* qw) noexcept;
void iq4_xs(const float* x, std::byte* y, int64_t n, const float* qw) noexcept;
void mxfp4(const float* x, std::byte* y, int64_t n, const float* qw) noexcept;
void nvfp4(const float* x, std::byte* y, int64_t n, const float* qw) noexcept;
void tq1_0(const float* x, std::byte* y, int64_t n, const float* qw) noexcept;
void tq2_0(const float* x, std::byte* y, int64_t n, const float* qw) noexcept;

using RowFn = void (*)(const float* x, std::byte* y, int64_t n, const float* qw) noexcept;

} // namespace matryx::quantizers
