// Unblocked storage types: floats and integers converted by value.

#include "tensor/dequantize_kernels.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace matryx::kernels {

namespace {

template <class T>
inline T loadLE(const std::byte* p) noexcept {
    static_assert(std::endian::native == std::endian::little, "tensor data is little-endian");
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
}

// Halfway between FLT_MAX and 2^128: doubles at or above it round to infinity. Checked before
// the cast because converting an out-of-range double to float is undefined in C++.
constexpr double kFloatOverflow = 0x1.ffffffp127;

} // namespace

void f32(const std::byte* src, float* dst, int64_t n) noexcept {
    if (n > 0)
        std::memcpy(dst, src, size_t(n) * sizeof(float));
}

void f16(const std::byte* src, float* dst, int64_t n) noexcept { fp16RowToF32(src, dst, n); }

void bf16(const std::byte* src, float* dst, int64_t n) noexcept { bf16RowToF32(src, dst, n); }

MATRYX_KERNEL void f64(const std::byte* src, float* dst, int64_t n) noexcept {
    for (int64_t i = 0; i < n; ++i) {
        const auto v = loadLE<double>(src + 8 * i);
        constexpr float inf = std::numeric_limits<float>::infinity();
        dst[i] = std::fabs(v) < kFloatOverflow || std::isnan(v) ? float(v) : std::signbit(v) ? -inf : inf;
    }
}

MATRYX_KERNEL void i8(const std::byte* src, float* dst, int64_t n) noexcept {
    for (int64_t i = 0; i < n; ++i)
        dst[i] = float(int8_t(src[i]));
}

MATRYX_KERNEL void i16(const std::byte* src, float* dst, int64_t n) noexcept {
    for (int64_t i = 0; i < n; ++i)
        dst[i] = float(int16_t(loadU16(src + 2 * i)));
}

MATRYX_KERNEL void i32(const std::byte* src, float* dst, int64_t n) noexcept {
    for (int64_t i = 0; i < n; ++i)
        dst[i] = float(int32_t(loadU32(src + 4 * i)));
}

MATRYX_KERNEL void i64(const std::byte* src, float* dst, int64_t n) noexcept {
    for (int64_t i = 0; i < n; ++i)
        dst[i] = float(loadLE<int64_t>(src + 8 * i));
}

MATRYX_KERNEL void u8(const std::byte* src, float* dst, int64_t n) noexcept {
    for (int64_t i = 0; i < n; ++i)
        dst[i] = float(uint8_t(src[i]));
}

// Any nonzero byte is true.
MATRYX_KERNEL void boolean(const std::byte* src, float* dst, int64_t n) noexcept {
    for (int64_t i = 0; i < n; ++i)
        dst[i] = src[i] != std::byte{0} ? 1.0f : 0.0f;
}

MATRYX_KERNEL void f8E4M3(const std::byte* src, float* dst, int64_t n) noexcept {
    for (int64_t i = 0; i < n; ++i)
        dst[i] = f8E4M3ToF32(uint8_t(src[i]));
}

MATRYX_KERNEL void f8E5M2(const std::byte* src, float* dst, int64_t n) noexcept {
    for (int64_t i = 0; i < n; ++i)
        dst[i] = f8E5M2ToF32(uint8_t(src[i]));
}

} // namespace matryx::kernels
