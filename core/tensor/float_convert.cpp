#include "tensor/float_convert.h"

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

constexpr std::array<float, 256> makeE4M3Table() {
    std::array<float, 256> t{};
    for (int x = 0; x < 256; ++x) {
        const int exponent = (x >> 3) & 0xf;
        const int mantissa = x & 0x7;
        float v = exponent == 0 ? float(mantissa) * pow2(-9)
                                : (1.0f + float(mantissa) / 8.0f) * pow2(exponent - 7);
        if ((x & 0x7f) == 0x7f)
            v = std::bit_cast<float>(0x7fc00000u);
        t[size_t(x)] = (x & 0x80) ? -v : v;
    }
    return t;
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

constexpr std::array<float, 256> kE4M3 = makeE4M3Table();
constexpr std::array<float, 256> kUe4m3Half = makeUe4m3HalfTable();

inline uint16_t loadU16(const std::byte* p) noexcept {
    return uint16_t(uint16_t(p[0]) | uint16_t(uint16_t(p[1]) << 8));
}

inline void storeU16(std::byte* p, uint16_t v) noexcept {
    p[0] = std::byte(v & 0xffu);
    p[1] = std::byte(v >> 8);
}

} // namespace

float f8E4M3ToF32(uint8_t x) noexcept { return kE4M3[x]; }

float ue4m3ToF32Half(uint8_t x) noexcept { return kUe4m3Half[x]; }

void fp16RowToF32(const std::byte* src, float* dst, int64_t n) noexcept {
    for (int64_t i = 0; i < n; ++i)
        dst[i] = fp16ToF32(loadU16(src + 2 * i));
}

void bf16RowToF32(const std::byte* src, float* dst, int64_t n) noexcept {
    for (int64_t i = 0; i < n; ++i)
        dst[i] = bf16ToF32(loadU16(src + 2 * i));
}

Status convertFromFloat(TensorType target, const float* src, std::byte* dst, int64_t n) {
    if (n < 0)
        return makeError("<memory>", "convertFromFloat", std::nullopt, "negative element count");
    switch (target) {
    case TensorType::F32:
        static_assert(std::endian::native == std::endian::little, "tensor data is little-endian");
        if (n > 0)
            std::memcpy(dst, src, size_t(n) * sizeof(float));
        return {};
    case TensorType::F16:
        for (int64_t i = 0; i < n; ++i)
            storeU16(dst + 2 * i, f32ToFp16(src[i]));
        return {};
    case TensorType::BF16:
        for (int64_t i = 0; i < n; ++i)
            storeU16(dst + 2 * i, f32ToBf16(src[i]));
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
