#pragma once

// Internal to matryx_tensor: the per-type block kernels behind dequantize(). Each reads `blocks`
// whole blocks from src (layouts as in ggml-common.h, little-endian) and writes
// blocks * blockSize floats to dst. No checks: dequantize() validates sizes first.
//
// The arithmetic follows ggml's reference dequantize_row_* in ggml-quants.c operation by operation
// (same products, same order, no fused multiply-add), which is what makes the output bit-exact.

#include "tensor/float_convert.h"
#include "tensor/kernel_target.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace matryx::kernels {

inline uint8_t u8(const std::byte* p) noexcept { return uint8_t(*p); }
inline const uint8_t* bytes(const std::byte* p) noexcept { return reinterpret_cast<const uint8_t*>(p); }
static_assert(std::endian::native == std::endian::little, "tensor data is little-endian");
inline uint16_t loadU16(const std::byte* p) noexcept {
    uint16_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline uint32_t loadU32(const std::byte* p) noexcept {
    uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline float loadFp16(const std::byte* p) noexcept { return fp16ToF32(loadU16(p)); }

using BlockFn = void (*)(const std::byte* src, float* dst, int64_t blocks) noexcept;

// dequantize_legacy.cpp
void q4_0(const std::byte* src, float* dst, int64_t blocks) noexcept;
void q4_1(const std::byte* src, float* dst, int64_t blocks) noexcept;
void q5_0(const std::byte* src, float* dst, int64_t blocks) noexcept;
void q5_1(const std::byte* src, float* dst, int64_t blocks) noexcept;
void q8_0(const std::byte* src, float* dst, int64_t blocks) noexcept;
void q8_1(const std::byte* src, float* dst, int64_t blocks) noexcept;
void q1_0(const std::byte* src, float* dst, int64_t blocks) noexcept;
void q2_0(const std::byte* src, float* dst, int64_t blocks) noexcept;

// dequantize_kquants.cpp
void q2_K(const std::byte* src, float* dst, int64_t blocks) noexcept;
void q3_K(const std::byte* src, float* dst, int64_t blocks) noexcept;
void q4_K(const std::byte* src, float* dst, int64_t blocks) noexcept;
void q5_K(const std::byte* src, float* dst, int64_t blocks) noexcept;
void q6_K(const std::byte* src, float* dst, int64_t blocks) noexcept;
void q8_K(const std::byte* src, float* dst, int64_t blocks) noexcept;

// dequantize_iquants.cpp
void iq2_xxs(const std::byte* src, float* dst, int64_t blocks) noexcept;
void iq2_xs(const std::byte* src, float* dst, int64_t blocks) noexcept;
void iq2_s(const std::byte* src, float* dst, int64_t blocks) noexcept;
void iq3_xxs(const std::byte* src, float* dst, int64_t blocks) noexcept;
void iq3_s(const std::byte* src, float* dst, int64_t blocks) noexcept;
void iq1_s(const std::byte* src, float* dst, int64_t blocks) noexcept;
void iq1_m(const std::byte* src, float* dst, int64_t blocks) noexcept;
void iq4_nl(const std::byte* src, float* dst, int64_t blocks) noexcept;
void iq4_xs(const std::byte* src, float* dst, int64_t blocks) noexcept;

// dequantize_fp4.cpp
void mxfp4(const std::byte* src, float* dst, int64_t blocks) noexcept;
void nvfp4(const std::byte* src, float* dst, int64_t blocks) noexcept;

// dequantize_ternary.cpp
void tq1_0(const std::byte* src, float* dst, int64_t blocks) noexcept;
void tq2_0(const std::byte* src, float* dst, int64_t blocks) noexcept;

// dequantize_plain.cpp (one block = one element)
void f32(const std::byte* src, float* dst, int64_t n) noexcept;
void f16(const std::byte* src, float* dst, int64_t n) noexcept;
void bf16(const std::byte* src, float* dst, int64_t n) noexcept;
void f64(const std::byte* src, float* dst, int64_t n) noexcept;
void i8(const std::byte* src, float* dst, int64_t n) noexcept;
void i16(const std::byte* src, float* dst, int64_t n) noexcept;
void i32(const std::byte* src, float* dst, int64_t n) noexcept;
void i64(const std::byte* src, float* dst, int64_t n) noexcept;
void u8(const std::byte* src, float* dst, int64_t n) noexcept;
void boolean(const std::byte* src, float* dst, int64_t n) noexcept;
void f8E4M3(const std::byte* src, float* dst, int64_t n) noexcept;
void f8E5M2(const std::byte* src, float* dst, int64_t n) noexcept;

} // namespace matryx::kernels
