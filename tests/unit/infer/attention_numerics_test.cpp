// The numerics attention shares with llama.cpp's CPU backend: the vector exp and the two orders
// of fp16 dot products. The AVX2 kernels must give the scalar code's bits, and the orders must be
// the ones the headers describe.

#include "compute/f16_dot.h"
#include "infer/exp_approx.h"
#include "tensor/float_convert.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace matryx;

namespace {

uint32_t bitsOf(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}

std::vector<uint16_t> randomHalves(size_t n, std::mt19937& rng, float scale) {
    std::uniform_real_distribution<float> dist(-scale, scale);
    std::vector<uint16_t> out(n);
    for (auto& h : out)
        h = f32ToFp16(dist(rng));
    return out;
}

} // namespace

TEST(ExpApprox, IsCloseToExpAndExactAtZero) {
    EXPECT_EQ(expApprox(0.0f), 1.0f);
    for (float x = -87.0f; x <= 88.0f; x += 0.37f) {
        const double e = std::exp(double(x));
        EXPECT_NEAR(double(expApprox(x)) / e, 1.0, 4e-7) << x;
    }
    EXPECT_EQ(expApprox(-std::numeric_limits<float>::infinity()), 0.0f);
    EXPECT_EQ(expApprox(-200.0f), 0.0f);
    EXPECT_TRUE(std::isinf(expApprox(200.0f)));
    // Past |n| > 126 the result is scaled in two steps: still close, also as a subnormal.
    EXPECT_NEAR(double(expApprox(-90.0f)) / std::exp(-90.0), 1.0, 1e-4);
    EXPECT_NEAR(double(expApprox(88.5f)) / std::exp(88.5), 1.0, 1e-6);
}

TEST(ExpApprox, VectorKernelGivesTheScalarBits) {
    std::vector<float> x;
    for (float v = -130.0f; v <= 95.0f; v += 0.0137f)
        x.push_back(v);
    x.push_back(-std::numeric_limits<float>::infinity());
    std::vector<float> y(x.size());
    expApprox(x.data(), y.data(), int64_t(x.size()), 0.5f);
    for (size_t i = 0; i < x.size(); ++i)
        ASSERT_EQ(bitsOf(y[i]), bitsOf(expApprox(x[i] - 0.5f))) << x[i];
}

TEST(ExpApprox, SwigluUsesTheApproximationOnGroupsOfEight) {
    std::vector<float> gate = {-3.0f, -1.0f, -0.5f, 0.0f, 0.5f, 1.0f, 2.0f, 5.0f, 1.5f};
    std::vector<float> up = {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f, 7.0f, 8.0f, 2.0f};
    std::vector<float> expected(gate.size());
    for (size_t i = 0; i < gate.size(); ++i) {
        const float e = i < 8 ? expApprox(0.0f - gate[i]) : std::exp(-gate[i]);
        expected[i] = gate[i] / (1.0f + e) * up[i];
    }
    swigluApprox(gate.data(), up.data(), int64_t(gate.size()));
    for (size_t i = 0; i < gate.size(); ++i)
        EXPECT_EQ(bitsOf(gate[i]), bitsOf(expected[i])) << i;
}

TEST(F16Dot, BlockedOrderSumsLanesPairwise) {
    // Lane i % 8 accumulates; then ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7)). With 2048 in
    // lane 0 and 1s elsewhere, f32 keeps every 1 (2048 + 1 is exact), so use a value where the
    // order shows: 2^24 in lane 0 and -2^24 in lane 4 cancel first and the small lanes survive.
    std::vector<float> values = {16777216.0f, 1.0f, 1.0f, 1.0f, -16777216.0f, 1.0f, 1.0f, 1.0f, 0.5f};
    // fp16 cannot hold 2^24: use x = value / 1024 and y = 1024 (both exact in fp16).
    std::vector<uint16_t> x, y;
    for (float v : values) {
        x.push_back(f32ToFp16(v / 1024.0f));
        y.push_back(f32ToFp16(1024.0f));
    }
    // Lanes: l0 = 2^24 + 0.5, rounded to 2^24 in f32; l4 = -2^24; the others 1.
    const float expected = ((16777216.0f + -16777216.0f) + (1.0f + 1.0f)) + ((1.0f + 1.0f) + (1.0f + 1.0f));
    float out = 0.0f;
    for (CpuKernelLevel level : {CpuKernelLevel::Scalar, bestCpuKernelLevel()}) {
        dotF16Rows(x.data(), y.data(), y.size(), 1, int64_t(x.size()), &out, F16DotOrder::Blocked, false, level);
        EXPECT_EQ(out, expected);
    }
}

TEST(F16Dot, InterleavedOrderAddsTheTailInDoubleUnlessPadded) {
    // 32 elements fill the four accumulators once; elements 32 and 33 are the tail. Each tail
    // product is half an f32 ulp of 2048: added to 2048 in f32 one at a time, each rounds away
    // (ties to even); added in double first, together they make one ulp.
    std::vector<uint16_t> x(34, f32ToFp16(0.0f)), y(34, f32ToFp16(1.0f));
    x[0] = f32ToFp16(2048.0f);
    x[32] = x[33] = f32ToFp16(0x1p-13f);
    float out = 0.0f;
    for (CpuKernelLevel level : {CpuKernelLevel::Scalar, bestCpuKernelLevel()}) {
        dotF16Rows(x.data(), y.data(), 34, 1, 34, &out, F16DotOrder::Interleaved, false, level);
        EXPECT_EQ(out, 2048.0f + 0x1p-12f) << "tail in double";
        dotF16Rows(x.data(), y.data(), 34, 1, 34, &out, F16DotOrder::Interleaved, true, level);
        EXPECT_EQ(out, 2048.0f) << "tail padded into the accumulators";
    }
}

TEST(F16Dot, Avx2KernelsGiveTheScalarBits) {
    if (bestCpuKernelLevel() != CpuKernelLevel::Avx2) GTEST_SKIP() << "no AVX2 on this CPU";
    std::mt19937 rng(5);
    for (int64_t k : {1, 7, 8, 31, 32, 33, 64, 100, 256, 517}) {
        const int64_t rows = 5;
        const auto x = randomHalves(size_t(k), rng, 4.0f);
        const auto m = randomHalves(size_t(k * rows), rng, 4.0f);
        for (F16DotOrder order : {F16DotOrder::Blocked, F16DotOrder::Interleaved})
            for (bool padded : {false, true}) {
                float a[rows], b[rows];
                dotF16Rows(x.data(), m.data(), size_t(k), rows, k, a, order, padded, CpuKernelLevel::Scalar);
                dotF16Rows(x.data(), m.data(), size_t(k), rows, k, b, order, padded, CpuKernelLevel::Avx2);
                for (int64_t r = 0; r < rows; ++r)
                    ASSERT_EQ(bitsOf(a[r]), bitsOf(b[r])) << "k " << k << " row " << r;
            }
    }
}
