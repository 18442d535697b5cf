#include "tensor/float_convert.h"

#include "tensor/kernel_target.h"

#include <array>
#include <cmath>
#include <cstring>
#include <string>

namespace matryx {

namespace {

// 2^e for the small exponents the 8-bit formats use, exact at compile time.
constexpr float pow2(int e) {
    float r = 1.0f;
    for (; e > 0; --e)
        r *= 2.0f;
    for (; e < 0; ++e)
        r *= 0.5f;
    return r;
}

constexpr std::array<float, 256> makeUe4m3HalfTable() {
    std::array<float, 256> t{};
    for (int x = 0; x < 256; ++x) {
        const int exponent = (x >> 3) & 0xf;
        const int mantissa = x & 0x7;
        const float v = exponent == 0 ? float(mantissa) * pow2(-9)
                                      : (1.0f + float(mantissa) / 8.0f) * pow2(exponent - 7);
        t[size_t(x)] = (x == 0 || x == 0x7f) ? 0.0f : v * 0.5f;
    }
    return t;
}

constexpr std::array<float, 256> kUe4m3Half = makeUe4m3HalfTable();

static_assert(std::endian::native == std::endian::little, "tensor data is little-endian");

inline uint16_t loadU16(const std::byte* p) noexcept {
    uint16_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline void storeU16(std::byte* p, uint16_t v) noexcept { std::memcpy(p, &v, sizeof v); }

MATRYX_KERNEL void toFp16Row(const float* src, std::byte* dst, int64_t n) noexcept {
    for (int64_t i = 0; i < n; ++i)
        storeU16(dst + 2 * i, f32ToFp16(src[i]));
}

MATRYX_KERNEL void toBf16Row(const float* src, std::byte* dst, int64_t n) noexcept {
    for (int64_t i = 0; i < n; ++i)
        storeU16(dst + 2 * i, f32ToBf16(src[i]));
}

} // namespace

float ue4m3ToF32Half(uint8_t x) noexcept { return kUe4m3Half[x]; }

MATRYX_KERNEL void fp16RowToF32(const std::byte* src, float* dst, int64_t n) noexcept {
    for (int64_t i = 0; i < n; ++i)
        dst[i] = fp16ToF32(loadU16(src + 2 * i));
}

MATRYX_KERNEL void bf16RowToF32(const std::byte* src, float* dst, int64_t n) noexcept {
    for (int64_t i = 0; i < n; ++i)
        dst[i] = bf16ToF32(loadU16(src + 2 * i));
}

Status convertFromFloat(TensorType target, const float* src, std::byte* dst, int64_t n) {
    if (n < 0)
        return makeError("<memory>", "convertFromFloat", std::nullopt, "negative element count");
    switch (target) {
    case TensorType::F32:
        if (n > 0)
            std::memcpy(dst, src, size_t(n) * sizeof(float));
        return {};
    case TensorType::F16:
        toFp16Row(src, dst, n);
        return {};
    case TensorType::BF16:
        toBf16Row(src, dst, n);
        return {};
    default:
        break;
    }
    const TypeTraits* traits = typeTraits(uint32_t(target));
    const std::string name = traits ? std::string(traits->name) : "type " + std::to_string(uint32_t(target));
    return makeError("<memory>", "convertFromFloat", std::nullopt,
                     "cannot convert floats to " + name + " (only F32, F16 and BF16)");
}

} // namespace matryx
