#include "compute/matmul.h"
#include "tensor/dequantize.h"
#include "tensor/quantize.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace matryx {
namespace {

// Every product is checked against a double-precision sum over the dequantized weights and the
// dequantized activations (the activations as the kernels see them, converted by
// quantizeActivationRow). The bound is f32 accumulation error relative to sum |w| |x|; for the
// Q8_1 pairings it also allows the fp16 rounding of Q8_1's stored sum, which ggml's design puts
// into every block's minimum term.

struct Matrix {
    TensorType type;
    int64_t rows, k;
    std::vector<std::byte> bytes;
    std::vector<float> dequantized;
    MatrixView view() const { return {type, bytes.data(), k, rows}; }
};

Matrix makeMatrix(TensorType type, int64_t rows, int64_t k, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 0.05f);
    std::vector<float> values(size_t(rows * k));
    for (float& v : values)
        v = normal(rng);
    // A few outliers, as real weights have.
    for (size_t i = 0; i < values.size(); i += 97)
        values[i] *= 12.0f;
    Matrix m{type, rows, k, std::vector<std::byte>(*bytesFor(type, values.size())),
             std::vector<float>(values.size())};
    const Status q = quantize(type, values, k, m.bytes);
    EXPECT_TRUE(q) << (q ? "" : q.error().toString());
    const Status d = dequantize(type, m.bytes, m.dequantized);
    EXPECT_TRUE(d) << (d ? "" : d.error().toString());
    return m;
}

std::vector<float> makeActivations(int64_t count, int64_t k, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> x(size_t(count * k));
    for (float& v : x)
        v = normal(rng);
    x[5] = 40.0f; // an activation outlier
    return x;
}

// The activations as a kernel of `weight`'s type sees them.
std::vector<float> seenActivations(TensorType weight, const std::vector<float>& x, int64_t k) {
    const TensorType a = activationTypeFor(weight);
    std::vector<float> out(x.size());
    std::vector<std::byte> row(*bytesFor(a, uint64_t(k)));
    for (size_t t = 0; t < x.size() / size_t(k); ++t) {
        EXPECT_TRUE(quantizeActivationRow(a, std::span(x).subspan(t * size_t(k), size_t(k)), row));
        EXPECT_TRUE(dequantize(a, row, std::span(out).subspan(t * size_t(k), size_t(k))));
    }
    return out;
}

void expectMatchesReference(const Matrix& m, const std::vector<float>& x, int64_t count,
                            const std::vector<float>& y, const std::string& what) {
    const std::vector<float> seen = seenActivations(m.type, x, m.k);
    const bool q8_1 = activationTypeFor(m.type) == TensorType::Q8_1;
    for (int64_t t = 0; t < count; ++t)
        for (int64_t r = 0; r < m.rows; ++r) {
            double sum = 0, magnitude = 0, sumSlack = 0;
            for (int64_t i = 0; i < m.k; ++i) {
                const double w = m.dequantized[size_t(r * m.k + i)], a = seen[size_t(t * m.k + i)];
                sum += w * a;
                magnitude += std::fabs(w * a);
            }
            if (q8_1) {
                // |min| * |d * sum of codes| * 2^-11 per block; the min is at most the row's largest |w|.
                double maxW = 0;
                for (int64_t i = 0; i < m.k; ++i)
                    maxW = std::max(maxW, double(std::fabs(m.dequantized[size_t(r * m.k + i)])));
                for (int64_t i = 0; i < m.k; ++i)
                    sumSlack += maxW * std::fabs(seen[size_t(t * m.k + i)]) / 2048.0;
            }
            const double bound = 1e-5 * magnitude + sumSlack + 1e-6;
            EXPECT_NEAR(y[size_t(t * m.rows + r)], sum, bound) << what << " row " << r << " column " << t;
        }
}

struct TypeCase {
    TensorType type;
    int64_t k;
};

class MatmulTypes : public ::testing::TestWithParam<TypeCase> {};

TEST_P(MatmulTypes, MatchesDoublePrecisionReferenceAtEveryLevel) {
    const TypeCase c = GetParam();
    const int64_t rows = 37;
    const Matrix m = makeMatrix(c.type, rows, c.k, 11);
    ASSERT_TRUE(checkMatrixView(m.view()));
    for (int64_t count : {1, 3, 9}) {
        const std::vector<float> x = makeActivations(count, c.k, 5 + uint32_t(count));
        for (CpuKernelLevel level : {CpuKernelLevel::Scalar, CpuKernelLevel::Avx2}) {
            if (!cpuSupports(level)) continue;
            for (int threads : {1, 2}) {
                std::vector<float> y(size_t(count * rows), NAN);
                MatmulWorkspace ws;
                multiply(m.view(), y.data(), rows, x.data(), count, c.k, ws, {threads, level});
                expectMatchesReference(m, x, count, y,
                                       std::string(typeName(c.type)) + " " +
                                           std::string(cpuKernelLevelName(level)) + " count " +
                                           std::to_string(count) + " threads " + std::to_string(threads));
            }
        }
    }
}

TEST_P(MatmulTypes, BatchedColumnsEqualSingleColumnsBitForBit) {
    // Decoding one token must give what the same token gives inside a prompt.
    const TypeCase c = GetParam();
    const int64_t rows = 21, count = 7;
    const Matrix m = makeMatrix(c.type, rows, c.k, 17);
    const std::vector<float> x = makeActivations(count, c.k, 23);
    MatmulWorkspace ws;
    std::vector<float> batched(size_t(count * rows));
    multiply(m.view(), batched.data(), rows, x.data(), count, c.k, ws, {2, bestCpuKernelLevel()});
    for (int64_t t = 0; t < count; ++t) {
        std::vector<float> single(static_cast<size_t>(rows));
        multiply(m.view(), single.data(), rows, x.data() + t * c.k, 1, c.k, ws, {1, bestCpuKernelLevel()});
        for (int64_t r = 0; r < rows; ++r)
            EXPECT_EQ(single[size_t(r)], batched[size_t(t * rows + r)])
                << typeName(c.type) << " " << t << " " << r;
    }
}

INSTANTIATE_TEST_SUITE_P(
    AllKernels, MatmulTypes,
    ::testing::Values(
        TypeCase{TensorType::F32, 200}, TypeCase{TensorType::F16, 200}, TypeCase{TensorType::BF16, 200},
        TypeCase{TensorType::Q4_0, 320}, TypeCase{TensorType::Q4_1, 320}, TypeCase{TensorType::Q5_0, 320},
        TypeCase{TensorType::Q5_1, 320}, TypeCase{TensorType::Q8_0, 320}, TypeCase{TensorType::IQ4_NL, 320},
        TypeCase{TensorType::Q2_K, 512}, TypeCase{TensorType::Q3_K, 512}, TypeCase{TensorType::Q4_K, 512},
        TypeCase{TensorType::Q5_K, 512}, TypeCase{TensorType::Q6_K, 512}, TypeCase{TensorType::IQ4_XS, 512},
        // Types without a kernel of their own: dequantized one row at a time.
        TypeCase{TensorType::TQ2_0, 256}, TypeCase{TensorType::MXFP4, 256}, TypeCase{TensorType::Q1_0, 256}),
    [](const auto& info) { return std::string(typeName(info.param.type)); });

TEST(Matmul, SeveralTargetsOfMixedTypesInOneCall) {
    const int64_t k = 512, count = 5;
    const Matrix a = makeMatrix(TensorType::Q4_1, 40, k, 1);
    const Matrix b = makeMatrix(TensorType::Q6_K, 24, k, 2);
    const Matrix c = makeMatrix(TensorType::F16, 8, k, 3);
    const std::vector<float> x = makeActivations(count, k, 4);
    // Outputs interleaved in one buffer, as a fused projection would write them.
    const int64_t stride = 40 + 24 + 8;
    std::vector<float> y(size_t(count * stride), NAN);
    const MatmulTarget targets[] = {
        {a.view(), y.data(), stride}, {b.view(), y.data() + 40, stride}, {c.view(), y.data() + 64, stride}};
    MatmulWorkspace ws;
    multiply(targets, x.data(), k, count, k, ws, {2, bestCpuKernelLevel()});
    const Matrix* matrices[] = {&a, &b, &c};
    const int64_t offsets[] = {0, 40, 64};
    for (int i = 0; i < 3; ++i) {
        std::vector<float> own(size_t(count * matrices[i]->rows));
        for (int64_t t = 0; t < count; ++t)
            for (int64_t r = 0; r < matrices[i]->rows; ++r)
                own[size_t(t * matrices[i]->rows + r)] = y[size_t(t * stride + offsets[i] + r)];
        expectMatchesReference(*matrices[i], x, count, own, std::string(typeName(matrices[i]->type)));
    }
}

TEST(Matmul, CheckMatrixViewRejectsWhatNoKernelCanRead) {
    const std::byte data[64] = {};
    EXPECT_TRUE(checkMatrixView({TensorType::Q8_0, data, 32, 1}));
    EXPECT_FALSE(checkMatrixView({TensorType::Q8_0, data, 48, 1})); // not whole blocks
    EXPECT_FALSE(checkMatrixView({TensorType::Q8_0, data, 32, 0})); // no rows
    EXPECT_FALSE(checkMatrixView({TensorType::Q8_0, nullptr, 32, 1}));
    EXPECT_FALSE(checkMatrixView({TensorType::F32, data, 0, 1}));
}

} // namespace
} // namespace matryx
