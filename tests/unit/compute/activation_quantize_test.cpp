#include "compute/activation_types.h"
#include "tensor/dequantize.h"
#include "tensor/float_convert.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

namespace matryx {
namespace {

std::vector<std::byte> convert(TensorType type, const std::vector<float>& x, CpuKernelLevel level) {
    std::vector<std::byte> out(*bytesFor(type, x.size()));
    const Status s = quantizeActivationRow(type, x, out, level);
    EXPECT_TRUE(s) << (s ? "" : s.error().toString());
    return out;
}

int8_t i8(const std::vector<std::byte>& b, size_t at) {
    return int8_t(b[at]);
}
uint16_t u16(const std::vector<std::byte>& b, size_t at) {
    return uint16_t(uint8_t(b[at]) | uint8_t(b[at + 1]) << 8);
}

TEST(ActivationTypes, VecDotTypesFollowGgml) {
    EXPECT_EQ(activationTypeFor(TensorType::Q4_0), TensorType::Q8_0);
    EXPECT_EQ(activationTypeFor(TensorType::Q5_0), TensorType::Q8_0);
    EXPECT_EQ(activationTypeFor(TensorType::Q8_0), TensorType::Q8_0);
    EXPECT_EQ(activationTypeFor(TensorType::IQ4_NL), TensorType::Q8_0);
    EXPECT_EQ(activationTypeFor(TensorType::Q4_1), TensorType::Q8_1);
    EXPECT_EQ(activationTypeFor(TensorType::Q5_1), TensorType::Q8_1);
    for (TensorType t : {TensorType::Q2_K, TensorType::Q3_K, TensorType::Q4_K, TensorType::Q5_K,
                         TensorType::Q6_K, TensorType::IQ4_XS})
        EXPECT_EQ(activationTypeFor(t), TensorType::Q8_K) << typeName(t);
    EXPECT_EQ(activationTypeFor(TensorType::F16), TensorType::F16);
    EXPECT_EQ(activationTypeFor(TensorType::BF16), TensorType::BF16);
    EXPECT_EQ(activationTypeFor(TensorType::F32), TensorType::F32);
    EXPECT_EQ(activationTypeFor(TensorType::IQ2_XXS), TensorType::F32);
    EXPECT_FALSE(hasDirectKernel(TensorType::IQ2_XXS));
    EXPECT_TRUE(canMultiply(TensorType::IQ2_XXS));
    EXPECT_TRUE(hasDirectKernel(TensorType::IQ4_XS));
}

TEST(ActivationQuantize, Q8_0RoundsHalfToEvenWithScale127OverMax) {
    // amax 127: d = 1 (0x3C00), 127 / amax = 1, and ties go to the even neighbour (AVX2 rounding).
    std::vector<float> x(32, 0.0f);
    x[0] = 127.0f;
    x[1] = 2.5f;  // 2
    x[2] = -2.5f; // -2
    x[3] = 3.5f;  // 4
    x[4] = -0.5f; // -0
    x[5] = 0.51f; // 1
    for (CpuKernelLevel level : {CpuKernelLevel::Scalar, CpuKernelLevel::Avx2}) {
        if (!cpuSupports(level)) continue;
        const auto b = convert(TensorType::Q8_0, x, level);
        EXPECT_EQ(u16(b, 0), 0x3C00);
        const int expected[6] = {127, 2, -2, 4, 0, 1};
        for (int j = 0; j < 6; ++j)
            EXPECT_EQ(i8(b, 2 + j), expected[j]) << cpuKernelLevelName(level) << " " << j;
    }
}

TEST(ActivationQuantize, Q8_1StoresScaledSumOfCodes) {
    std::vector<float> x(32, 0.0f);
    x[0] = 63.5f; // amax: d = 0.5, codes 127
    x[1] = 10.0f; // 20
    x[2] = -3.0f; // -6
    const auto b = convert(TensorType::Q8_1, x, CpuKernelLevel::Scalar);
    EXPECT_EQ(fp16ToF32(u16(b, 0)), 0.5f);
    EXPECT_EQ(fp16ToF32(u16(b, 2)), 0.5f * (127 + 20 - 6));
    EXPECT_EQ(i8(b, 4), 127);
    EXPECT_EQ(i8(b, 5), 20);
    EXPECT_EQ(i8(b, 6), -6);
}

TEST(ActivationQuantize, Q8_KScalesBySignedMaximumAndSumsSixteens) {
    // The largest magnitude is negative: iscale = -127 / -254 = 0.5, d = 2.
    std::vector<float> x(256, 0.0f);
    x[0] = -254.0f; // -127
    x[1] = 7.0f;    // 3.5 -> 4 (ties to even)
    x[17] = 5.0f;   // 2.5 -> 2
    const auto b = convert(TensorType::Q8_K, x, CpuKernelLevel::Scalar);
    float d;
    std::memcpy(&d, b.data(), 4);
    EXPECT_EQ(d, 2.0f);
    EXPECT_EQ(i8(b, 4 + 0), -127);
    EXPECT_EQ(i8(b, 4 + 1), 4);
    EXPECT_EQ(i8(b, 4 + 17), 2);
    EXPECT_EQ(int16_t(u16(b, 260)), -123);
    EXPECT_EQ(int16_t(u16(b, 262)), 2);
    for (int j = 2; j < 16; ++j)
        EXPECT_EQ(u16(b, 260 + 2 * size_t(j)), 0) << j;
}

TEST(ActivationQuantize, ZeroBlocksGiveZeroCodes) {
    const std::vector<float> x(256, 0.0f);
    for (TensorType t : {TensorType::Q8_0, TensorType::Q8_1, TensorType::Q8_K})
        for (std::byte v : convert(t, x, bestCpuKernelLevel()))
            EXPECT_EQ(v, std::byte{0}) << typeName(t);
}

TEST(ActivationQuantize, EveryLevelWritesTheSameBytes) {
    if (!cpuSupports(CpuKernelLevel::Avx2)) GTEST_SKIP() << "no AVX2 on this CPU";
    std::mt19937 rng(7);
    std::normal_distribution<float> normal(0.0f, 3.0f);
    std::vector<float> x(4096);
    for (float& v : x)
        v = normal(rng);
    // Values on exact ties of the code grid, and outliers.
    for (size_t i = 0; i < 64; ++i)
        x[i] = float(int(i) - 32) + 0.5f;
    x[100] = 1e4f;
    for (TensorType t : {TensorType::Q8_0, TensorType::Q8_1, TensorType::Q8_K, TensorType::F16,
                         TensorType::BF16, TensorType::F32})
        EXPECT_EQ(convert(t, x, CpuKernelLevel::Scalar), convert(t, x, CpuKernelLevel::Avx2)) << typeName(t);
}

TEST(ActivationQuantize, RoundTripErrorIsHalfAStep) {
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> uniform(-2.0f, 2.0f);
    std::vector<float> x(512);
    for (float& v : x)
        v = uniform(rng);
    for (TensorType t : {TensorType::Q8_0, TensorType::Q8_1, TensorType::Q8_K}) {
        const auto b = convert(t, x, bestCpuKernelLevel());
        std::vector<float> back(x.size());
        ASSERT_TRUE(dequantize(t, b, back));
        for (size_t i = 0; i < x.size(); ++i)
            // Half a step, plus the fp16 rounding of the scale times up to 127 codes.
            EXPECT_NEAR(back[i], x[i], 2.0 / 127 * (0.5 + 127.0 / 2048)) << typeName(t) << " " << i;
    }
}

TEST(ActivationQuantize, RejectsBadSizesAndTypes) {
    std::vector<float> x(48);
    std::vector<std::byte> out(64);
    EXPECT_FALSE(quantizeActivationRow(TensorType::Q8_0, x, out)); // 48 is not whole blocks
    EXPECT_FALSE(
        quantizeActivationRow(TensorType::Q4_0, std::span(x).first(32), out)); // not an activation type
    EXPECT_FALSE(quantizeActivationRow(TensorType::Q8_0, std::span(x).first(32), out)); // 34 bytes needed
}

} // namespace
} // namespace matryx
