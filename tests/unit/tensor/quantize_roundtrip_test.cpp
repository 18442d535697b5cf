#include "tensor/dequantize.h"
#include "tensor/quantize.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace matryx {
namespace {

// Quantize -> dequantize error on Gaussian rows, relative to the data's RMS. The bounds come from
// the step of each format, not from this code's output: a uniform b-bit grid over a 32-value
// block (whose extremes sit near +-2.5 sigma) has step ~5 sigma / (2^b - 1) and RMS error
// step / sqrt(12); the bound is that figure times 1.5, with the super-block formats' 4- to 8-bit
// scales and the codebooks' uneven levels inside the margin.
struct Bound {
    TensorType type;
    double bits; // log2 of the number of levels a block uses
};

double gridError(double bits) {
    return 5.0 / (std::exp2(bits) - 1.0) / std::sqrt(12.0);
}

std::vector<float> gaussianRows(int rows, int rowLength, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 0.02f);
    std::vector<float> x(size_t(rows) * size_t(rowLength));
    for (float& v : x)
        v = normal(rng);
    return x;
}

double relativeRmse(TensorType type, const std::vector<float>& x, int rowLength, const float* importance) {
    std::vector<std::byte> q(*bytesFor(type, x.size()));
    EXPECT_TRUE(quantize(type, x, rowLength, q, importance));
    std::vector<float> y(x.size());
    EXPECT_TRUE(dequantize(type, q, y));
    double err = 0, sum = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        err += (double(y[i]) - x[i]) * (double(y[i]) - x[i]);
        sum += double(x[i]) * x[i];
    }
    return std::sqrt(err / sum);
}

TEST(QuantizeRoundTrip, ErrorWithinTheFormatsStep) {
    const std::vector<Bound> bounds = {
        {TensorType::Q8_0, 8},
        {TensorType::Q8_K, 8},
        {TensorType::Q6_K, 6},
        {TensorType::Q5_0, 5},
        {TensorType::Q5_1, 5},
        {TensorType::Q5_K, 5},
        {TensorType::Q4_0, 4},
        {TensorType::Q4_1, 4},
        {TensorType::Q4_K, 4},
        {TensorType::IQ4_NL, 4},
        {TensorType::IQ4_XS, 4},
        {TensorType::Q3_K, 3},
        {TensorType::Q2_K, 2},
        // E2M1: 15 distinct levels, denser near zero.
        {TensorType::MXFP4, 4},
        {TensorType::NVFP4, 4},
        // Levels -1, 0, 1 times the block's largest magnitude (Q2_0's fourth, 2, is never reached).
        {TensorType::TQ2_0, std::log2(3.0)},
        {TensorType::TQ1_0, std::log2(3.0)},
        {TensorType::Q2_0, std::log2(3.0)},
    };
    const int rowLength = 1024;
    const auto x = gaussianRows(16, rowLength, 7);
    std::vector<float> importance(rowLength);
    std::mt19937 rng(11);
    std::lognormal_distribution<float> spread(0.0f, 1.0f);
    for (float& w : importance)
        w = spread(rng);
    for (const Bound& b : bounds) {
        const double bound = gridError(b.bits) * 1.5;
        const double plain = relativeRmse(b.type, x, rowLength, nullptr);
        const double weighted = relativeRmse(b.type, x, rowLength, importance.data());
        EXPECT_LT(plain, bound) << typeName(b.type);
        EXPECT_LT(weighted, bound) << typeName(b.type) << " with importance";
    }
    // Q1_0 keeps signs and the mean magnitude m: for Gaussian data the error is
    // sqrt(E[(|x| - m)^2]) / sigma = sqrt(1 - 2 / pi) = 0.603.
    EXPECT_NEAR(relativeRmse(TensorType::Q1_0, x, rowLength, nullptr), std::sqrt(1 - 2 / M_PI), 0.02);
    // Plain floats: F32 is exact, F16 and BF16 round to 11 and 8 significant bits.
    EXPECT_EQ(relativeRmse(TensorType::F32, x, rowLength, nullptr), 0.0);
    EXPECT_LT(relativeRmse(TensorType::F16, x, rowLength, nullptr), std::exp2(-11));
    EXPECT_LT(relativeRmse(TensorType::BF16, x, rowLength, nullptr), std::exp2(-8));
}

TEST(QuantizeRoundTrip, ImportanceLowersTheWeightedError) {
    // Columns with 100x importance must come back closer than with no importance: the weighted
    // searches trade error elsewhere for them.
    const int rowLength = 512;
    const auto x = gaussianRows(32, rowLength, 3);
    std::vector<float> importance(rowLength, 0.01f);
    for (int j = 0; j < rowLength; j += 8)
        importance[j] = 1.0f;
    for (TensorType t :
         {TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0, TensorType::Q2_K, TensorType::Q3_K,
          TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K, TensorType::IQ4_NL, TensorType::IQ4_XS}) {
        double errors[2] = {0, 0};
        for (int pass = 0; pass < 2; ++pass) {
            std::vector<std::byte> q(*bytesFor(t, x.size()));
            ASSERT_TRUE(quantize(t, x, rowLength, q, pass ? importance.data() : nullptr));
            std::vector<float> y(x.size());
            ASSERT_TRUE(dequantize(t, q, y));
            for (size_t i = 0; i < x.size(); ++i)
                errors[pass] += importance[i % rowLength] * (double(y[i]) - x[i]) * (double(y[i]) - x[i]);
        }
        EXPECT_LT(errors[1], errors[0]) << typeName(t);
    }
}

TEST(QuantizeRoundTrip, ThreadCountDoesNotChangeBytes) {
    // 205 rows of 768 values: enough work for eight threads (quantize() gives each at least 2^14
    // values), and a row count no thread count here divides evenly.
    const int rowLength = 768;
    auto x = gaussianRows(205, rowLength, 5);
    for (int j = 0; j < rowLength; j += 97)
        x[size_t(j)] *= 50.0f; // a few outliers in the first row
    std::vector<float> importance(rowLength);
    for (int j = 0; j < rowLength; ++j)
        importance[size_t(j)] = 0.1f + float(j % 13);
    for (const TypeTraits& t : allTypeTraits()) {
        if (!canQuantize(t.type) || rowLength % t.blockSize != 0) continue;
        for (const float* w :
             {static_cast<const float*>(nullptr), static_cast<const float*>(importance.data())}) {
            std::vector<std::byte> one(*bytesFor(t.type, x.size()));
            ASSERT_TRUE(quantize(t.type, x, rowLength, one, w, 1));
            for (int threads : {2, 3, 8}) {
                std::vector<std::byte> many(one.size());
                ASSERT_TRUE(quantize(t.type, x, rowLength, many, w, threads));
                EXPECT_EQ(one, many) << t.name << " on " << threads << " threads"
                                     << (w ? " with importance" : "");
            }
        }
    }
}

} // namespace
} // namespace matryx
