#include "tensor/float_convert.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <vector>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace matryx {
namespace {

uint32_t bitsOf(float f) { return std::bit_cast<uint32_t>(f); }
float fromBits(uint32_t b) { return std::bit_cast<float>(b); }

// Expected values below are worked out by hand from IEEE 754 binary16/bfloat16.
TEST(FloatConvert, Fp16ToF32Values) {
    EXPECT_EQ(fp16ToF32(0x3c00), 1.0f);
    EXPECT_EQ(fp16ToF32(0xc000), -2.0f);
    EXPECT_EQ(fp16ToF32(0x3555), 0.333251953125f);
    EXPECT_EQ(fp16ToF32(0x7bff), 65504.0f);
    EXPECT_EQ(fp16ToF32(0x0400), 0x1p-14f);             // smallest normal
    EXPECT_EQ(fp16ToF32(0x0001), 0x1p-24f);             // smallest subnormal
    EXPECT_EQ(fp16ToF32(0x03ff), 1023 * 0x1p-24f);      // largest subnormal
    EXPECT_EQ(fp16ToF32(0x8001), -0x1p-24f);
    EXPECT_EQ(bitsOf(fp16ToF32(0x0000)), 0x00000000u);
    EXPECT_EQ(bitsOf(fp16ToF32(0x8000)), 0x80000000u);  // negative zero keeps its sign
    EXPECT_EQ(fp16ToF32(0x7c00), std::numeric_limits<float>::infinity());
    EXPECT_EQ(fp16ToF32(0xfc00), -std::numeric_limits<float>::infinity());
    EXPECT_EQ(bitsOf(fp16ToF32(0x7e00)), 0x7fc00000u);
    EXPECT_EQ(bitsOf(fp16ToF32(0x7c01)), 0x7fc02000u);  // signalling NaN comes back quiet, payload kept
    EXPECT_EQ(bitsOf(fp16ToF32(0xfe01)), 0xffc02000u);
}

TEST(FloatConvert, F32ToFp16RoundsToNearestEven) {
    EXPECT_EQ(f32ToFp16(1.0f), 0x3c00);
    EXPECT_EQ(f32ToFp16(-2.0f), 0xc000);
    EXPECT_EQ(f32ToFp16(1.0f + 0x1p-11f), 0x3c00);                 // tie, 0x3c00 even: down
    EXPECT_EQ(f32ToFp16(1.0f + 3 * 0x1p-11f), 0x3c02);             // tie, 0x3c01 odd: up
    EXPECT_EQ(f32ToFp16(1.0f + 0x1p-11f + 0x1p-23f), 0x3c01);      // just above the tie
    EXPECT_EQ(f32ToFp16(1.0f + 0x1p-11f - 0x1p-24f), 0x3c00);      // just below
    EXPECT_EQ(f32ToFp16(65504.0f), 0x7bff);
    EXPECT_EQ(f32ToFp16(65519.996f), 0x7bff);
    EXPECT_EQ(f32ToFp16(65520.0f), 0x7c00);                        // tie with 65536: overflows
    EXPECT_EQ(f32ToFp16(1e10f), 0x7c00);
    EXPECT_EQ(f32ToFp16(-1e10f), 0xfc00);
}

TEST(FloatConvert, F32ToFp16Subnormals) {
    EXPECT_EQ(f32ToFp16(0x1p-24f), 0x0001);
    EXPECT_EQ(f32ToFp16(0x1p-25f), 0x0000);                        // tie with 0: even
    EXPECT_EQ(f32ToFp16(0x1p-25f + 0x1p-40f), 0x0001);
    EXPECT_EQ(f32ToFp16(3 * 0x1p-25f), 0x0002);                    // tie, 0x0001 odd: up
    EXPECT_EQ(f32ToFp16(5 * 0x1p-25f), 0x0002);                    // tie, 0x0002 even: down
    EXPECT_EQ(f32ToFp16(0x1p-14f - 0x1p-25f), 0x0400);             // tie 0x03ff/0x0400: to normal
    EXPECT_EQ(f32ToFp16(1e-8f), 0x0000);
    EXPECT_EQ(f32ToFp16(-1e-8f), 0x8000);
    EXPECT_EQ(f32ToFp16(-0.0f), 0x8000);
    EXPECT_EQ(f32ToFp16(std::numeric_limits<float>::denorm_min()), 0x0000);
}

TEST(FloatConvert, F32ToFp16InfinityAndNaN) {
    EXPECT_EQ(f32ToFp16(std::numeric_limits<float>::infinity()), 0x7c00);
    EXPECT_EQ(f32ToFp16(-std::numeric_limits<float>::infinity()), 0xfc00);
    EXPECT_EQ(f32ToFp16(fromBits(0x7fc00000)), 0x7e00);
    EXPECT_EQ(f32ToFp16(fromBits(0x7f800001)), 0x7e00);            // signalling NaN: not infinity
    EXPECT_EQ(f32ToFp16(fromBits(0xffffffff)), 0xfe00);
}

TEST(FloatConvert, Fp16RoundTripsEveryValue) {
    for (uint32_t h = 0; h < 0x10000; ++h) {
        const bool nan = (h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0;
        if (!nan) {
            ASSERT_EQ(f32ToFp16(fp16ToF32(uint16_t(h))), h) << std::hex << h;
        }
    }
}

#if defined(__x86_64__)
__attribute__((target("f16c"))) uint16_t hardwareToFp16(float f) {
    return uint16_t(_cvtss_sh(f, _MM_FROUND_TO_NEAREST_INT));
}
__attribute__((target("f16c"))) float hardwareFromFp16(uint16_t h) { return _cvtsh_ss(h); }

bool cpuHasF16C() {
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    return __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_F16C) != 0;
}

// The F16C instruction is an independent implementation of the same conversion.
TEST(FloatConvert, MatchesF16CInstruction) {
    if (!cpuHasF16C())
        GTEST_SKIP() << "CPU without F16C";
    for (uint32_t h = 0; h < 0x10000; ++h)
        ASSERT_EQ(bitsOf(fp16ToF32(uint16_t(h))), bitsOf(hardwareFromFp16(uint16_t(h)))) << std::hex << h;
    // A stride coprime with every power of two visits all exponents and low-bit patterns.
    uint32_t bits = 0;
    for (uint64_t i = 0; i < (uint64_t(1) << 32); i += 251, bits += 251) {
        const float f = fromBits(bits);
        if (std::isnan(f)) // F16C keeps NaN payloads; ggml (and Matryx) return 0x7E00
            continue;
        ASSERT_EQ(f32ToFp16(f), hardwareToFp16(f)) << std::hex << bits;
    }
}
#endif

TEST(FloatConvert, Bf16) {
    EXPECT_EQ(bf16ToF32(0x3f80), 1.0f);
    EXPECT_EQ(bf16ToF32(0xc040), -3.0f);
    EXPECT_EQ(bf16ToF32(0x0001), std::bit_cast<float>(0x00010000u));  // subnormal kept
    EXPECT_EQ(f32ToBf16(1.0f), 0x3f80);
    EXPECT_EQ(f32ToBf16(fromBits(0x3f808000)), 0x3f80);   // tie, even: down
    EXPECT_EQ(f32ToBf16(fromBits(0x3f818000)), 0x3f82);   // tie, odd: up
    EXPECT_EQ(f32ToBf16(fromBits(0x3f808001)), 0x3f81);
    EXPECT_EQ(f32ToBf16(fromBits(0x00018000)), 0x0002);   // subnormal tie, odd: up (no flush to zero)
    EXPECT_EQ(f32ToBf16(fromBits(0x00008000)), 0x0000);
    EXPECT_EQ(f32ToBf16(-0.0f), 0x8000);
    EXPECT_EQ(f32ToBf16(fromBits(0x7f7fffff)), 0x7f80);   // largest float rounds to infinity
    EXPECT_EQ(f32ToBf16(std::numeric_limits<float>::infinity()), 0x7f80);
    EXPECT_EQ(f32ToBf16(fromBits(0x7fc00001)), 0x7fc0);
    EXPECT_EQ(f32ToBf16(fromBits(0x7f800001)), 0x7fc0);   // signalling NaN: quiet, not infinity
    EXPECT_EQ(f32ToBf16(fromBits(0xff810000)), 0xffc1);   // payload's top bits kept
}

TEST(FloatConvert, EightBitFloats) {
    EXPECT_EQ(f8E4M3ToF32(0x38), 1.0f);
    EXPECT_EQ(f8E4M3ToF32(0xb8), -1.0f);
    EXPECT_EQ(f8E4M3ToF32(0x7e), 448.0f);
    EXPECT_EQ(f8E4M3ToF32(0x01), 0x1p-9f);
    EXPECT_EQ(f8E4M3ToF32(0x0f), 1.875f * 0x1p-6f);
    EXPECT_EQ(bitsOf(f8E4M3ToF32(0x80)), 0x80000000u);
    EXPECT_TRUE(std::isnan(f8E4M3ToF32(0x7f)));
    EXPECT_TRUE(std::isnan(f8E4M3ToF32(0xff)));
    EXPECT_EQ(f8E4M3ToF32(0x78), 256.0f);                 // no infinity in e4m3fn

    EXPECT_EQ(f8E5M2ToF32(0x3c), 1.0f);
    EXPECT_EQ(f8E5M2ToF32(0x7b), 57344.0f);
    EXPECT_EQ(f8E5M2ToF32(0x01), 0x1p-16f);
    EXPECT_EQ(f8E5M2ToF32(0x7c), std::numeric_limits<float>::infinity());
    EXPECT_EQ(f8E5M2ToF32(0xfc), -std::numeric_limits<float>::infinity());
    EXPECT_TRUE(std::isnan(f8E5M2ToF32(0x7d)));
}

TEST(FloatConvert, BlockScales) {
    EXPECT_EQ(e8m0ToF32(127), 1.0f);
    EXPECT_EQ(e8m0ToF32(130), 8.0f);
    EXPECT_EQ(e8m0ToF32(0), 0x1p-127f);
    EXPECT_EQ(e8m0ToF32(254), 0x1p127f);
    EXPECT_EQ(e8m0ToF32Half(127), 0.5f);
    EXPECT_EQ(e8m0ToF32Half(1), 0x1p-127f);
    EXPECT_EQ(e8m0ToF32Half(0), 0x1p-128f);
    EXPECT_EQ(e8m0ToF32Half(255), 0x1p127f);
    EXPECT_EQ(ue4m3ToF32Half(0x38), 0.5f);                // 1.0, halved
    EXPECT_EQ(ue4m3ToF32Half(0x7e), 224.0f);              // 448, halved
    EXPECT_EQ(ue4m3ToF32Half(0x01), 0x1p-10f);            // subnormal 2^-9, halved
    EXPECT_EQ(ue4m3ToF32Half(0x00), 0.0f);
    EXPECT_EQ(ue4m3ToF32Half(0x7f), 0.0f);                // the NaN code reads as zero
    EXPECT_EQ(ue4m3ToF32Half(0xb8), 0.5f);                // unsigned: bit 7 ignored
}

TEST(FloatConvert, ConvertFromFloatRows) {
    const float src[] = {1.0f, -2.0f, 65520.0f, 1.0f + 0x1p-8f};
    std::vector<std::byte> out(16);
    ASSERT_TRUE(convertFromFloat(TensorType::F16, src, out.data(), 4));
    const uint8_t f16[] = {0x00, 0x3c, 0x00, 0xc0, 0x00, 0x7c, 0x04, 0x3c};
    for (int i = 0; i < 8; ++i)
        EXPECT_EQ(uint8_t(out[size_t(i)]), f16[i]) << i;

    ASSERT_TRUE(convertFromFloat(TensorType::BF16, src, out.data(), 4));
    const uint8_t bf16[] = {0x80, 0x3f, 0x00, 0xc0, 0x80, 0x47, 0x80, 0x3f};  // 1 + 2^-8: tie, even
    for (int i = 0; i < 8; ++i)
        EXPECT_EQ(uint8_t(out[size_t(i)]), bf16[i]) << i;

    ASSERT_TRUE(convertFromFloat(TensorType::F32, src, out.data(), 4));
    EXPECT_EQ(uint8_t(out[3]), 0x3f);
    EXPECT_EQ(uint8_t(out[7]), 0xc0);

    EXPECT_FALSE(convertFromFloat(TensorType::Q4_0, src, out.data(), 4));
    EXPECT_FALSE(convertFromFloat(TensorType::F16, src, out.data(), -1));
    EXPECT_TRUE(convertFromFloat(TensorType::F16, src, out.data(), 0));
}

TEST(FloatConvert, RowsToF32) {
    const std::byte f16[] = {std::byte{0x00}, std::byte{0x3c}, std::byte{0x01}, std::byte{0x80}};
    float out[2];
    fp16RowToF32(f16, out, 2);
    EXPECT_EQ(out[0], 1.0f);
    EXPECT_EQ(out[1], -0x1p-24f);
    const std::byte bf16[] = {std::byte{0x80}, std::byte{0x3f}, std::byte{0x40}, std::byte{0xc0}};
    bf16RowToF32(bf16, out, 2);
    EXPECT_EQ(out[0], 1.0f);
    EXPECT_EQ(out[1], -3.0f);
}

} // namespace
} // namespace matryx
