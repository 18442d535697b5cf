#pragma once

// Conversions between f32 and the narrow float formats tensors are stored in, bit-exact with
// ggml (fp16, bf16, the E8M0 and UE4M3 block scales) and PyTorch/safetensors (F8_E4M3, F8_E5M2).
//
// Rounding: f32 -> fp16 and f32 -> bf16 round to nearest, ties to even; overflow gives infinity.
// NaN: fp16 (and F8_E5M2) -> f32 keeps sign and payload and sets the quiet bit, as the F16C
// instruction does; bf16 -> f32 widens the bits unchanged, as ggml does; an F8_E4M3 NaN becomes the
// quiet NaN 0x7FC00000 with its sign. f32 -> fp16 returns 0x7E00 with the sign (ggml's reference
// conversion); f32 -> bf16 keeps the top payload bits and sets the quiet bit
// (ggml_compute_fp32_to_bf16).
// Multi-byte values in tensor data are little-endian.

#include "base/error.h"
#include "tensor/tensor_type.h"

#include <bit>
#include <cstddef>
#include <cstdint>

namespace matryx {

namespace detail {
// a where the condition holds, else b; computed with masks so that loops over it stay branch-free
// and vectorize (a branch would hide the float operations the compiler may not speculate).
inline uint32_t pick(bool condition, uint32_t a, uint32_t b) noexcept {
    const uint32_t mask = 0u - uint32_t(condition);
    return (a & mask) | (b & ~mask);
}
} // namespace detail

// IEEE binary16 -> f32. Exact for every finite value and for infinities.
inline float fp16ToF32(uint16_t h) noexcept {
    const uint32_t sign = uint32_t(h & 0x8000u) << 16;
    const uint32_t body = uint32_t(h & 0x7fffu) << 13; // exponent and mantissa at their f32 places
    const uint32_t exponent = body & 0x0f800000u;
    const uint32_t normal = body + 0x38000000u; // rebias the exponent from 15 to 127
    const uint32_t special = body | 0x7f800000u | uint32_t((body & 0x007fffffu) != 0) << 22;
    // A subnormal m * 2^-24 is (2^-14 + m * 2^-24) - 2^-14: the subtraction is exact and lets the
    // FPU normalise it without a loop.
    const uint32_t subnormal = std::bit_cast<uint32_t>(std::bit_cast<float>(body + 0x38800000u) - 0x1p-14f);
    const uint32_t magnitude =
        detail::pick(exponent == 0, subnormal, detail::pick(exponent == 0x0f800000u, special, normal));
    return std::bit_cast<float>(sign | magnitude);
}

// f32 -> IEEE binary16, round to nearest even (the F16C instruction's result for every non-NaN).
inline uint16_t f32ToFp16(float f) noexcept {
    const uint32_t bits = std::bit_cast<uint32_t>(f);
    const uint32_t sign = (bits >> 16) & 0x8000u;
    const uint32_t mag = bits & 0x7fffffffu;
    // Below 2^-14 the result is subnormal: adding 0.5 puts the value on a grid of 2^-24, fp16's
    // subnormal step, and the FPU's own rounding is the round-to-nearest-even we need.
    const uint32_t subnormal = std::bit_cast<uint32_t>(std::bit_cast<float>(mag) + 0.5f) - 0x3f000000u;
    const uint32_t normal = (mag - 0x38000000u + 0xfffu + ((mag >> 13) & 1u)) >> 13;
    uint32_t out = detail::pick(mag < 0x38800000u, subnormal, normal);
    out = detail::pick(mag >= 0x477ff000u, 0x7c00u, out); // 65520 and above round to infinity
    out = detail::pick(mag > 0x7f800000u, 0x7e00u, out);
    return uint16_t(sign | out);
}

inline float bf16ToF32(uint16_t h) noexcept { return std::bit_cast<float>(uint32_t(h) << 16); }

// f32 -> bfloat16 as ggml_compute_fp32_to_bf16: round to nearest even, NaN forced quiet.
inline uint16_t f32ToBf16(float f) noexcept {
    const uint32_t bits = std::bit_cast<uint32_t>(f);
    if ((bits & 0x7fffffffu) > 0x7f800000u)
        return uint16_t((bits >> 16) | 0x40u);
    return uint16_t((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

// F8_E4M3 ("e4m3fn"): bias 7, subnormals, no infinities, S.1111.111 is NaN; largest 448.
inline float f8E4M3ToF32(uint8_t x) noexcept {
    // Exponent and mantissa read as an fp16 (bias 15, subnormals alike) give exactly 2^-8 times
    // the value, so one exact scaling finishes the job.
    const uint32_t sign = uint32_t(x & 0x80u) << 24;
    const uint32_t body = uint32_t(x & 0x7fu);
    const float magnitude = fp16ToF32(uint16_t(body << 7)) * 256.0f;
    const uint32_t bits = detail::pick(body == 0x7f, 0x7fc00000u, std::bit_cast<uint32_t>(magnitude));
    return std::bit_cast<float>(sign | bits);
}

// F8_E5M2: the top byte of an IEEE binary16 (bias 15, infinities and NaNs).
inline float f8E5M2ToF32(uint8_t x) noexcept { return fp16ToF32(uint16_t(uint16_t(x) << 8)); }

// E8M0 scale (MX formats): 2^(x - 127). 0 gives 2^-127 (an f32 subnormal); 255, which the MX
// spec calls NaN, gives infinity as in ggml, which does not special-case it.
inline float e8m0ToF32(uint8_t x) noexcept {
    return std::bit_cast<float>(x == 0 ? 0x00400000u : uint32_t(x) << 23);
}

// Half the E8M0 scale, 2^(x - 128): MXFP4 stores its E2M1 values doubled, so ggml scales by half.
inline float e8m0ToF32Half(uint8_t x) noexcept {
    return std::bit_cast<float>(x < 2 ? 0x00200000u << x : uint32_t(x - 1) << 23);
}

// Half an unsigned E4M3 scale (NVFP4; bias 7, bit 7 ignored), 0 for the codes 0x00 and 0x7F, as in
// ggml_ue4m3_to_fp32. Halved for the same reason as e8m0ToF32Half.
float ue4m3ToF32Half(uint8_t x) noexcept;

// Row conversions to f32 over little-endian storage. src holds n values, dst n floats; no checks.
void fp16RowToF32(const std::byte* src, float* dst, int64_t n) noexcept;
void bf16RowToF32(const std::byte* src, float* dst, int64_t n) noexcept;

// Writes n floats as `target` (F32, F16 or BF16) into dst, which must hold bytesFor(target, n)
// bytes. Fails, writing nothing, for any other target or negative n.
Status convertFromFloat(TensorType target, const float* src, std::byte* dst, int64_t n);

} // namespace matryx
