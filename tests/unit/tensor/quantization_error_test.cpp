// measureQuantizationError against the round trip done here value by value, its histograms'
// totals, the order of the types' errors, and its refusals.

#include "tensor/dequantize.h"
#include "tensor/quantization_error.h"
#include "tensor/quantize.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <numeric>
#include <random>

namespace matryx {
namespace {

std::vector<std::byte> f32Bytes(const std::vector<float>& v) {
    std::vector<std::byte> out(v.size() * sizeof(float));
    std::memcpy(out.data(), v.data(), out.size());
    return out;
}

std::vector<float> gaussian(size_t n) {
    std::mt19937 rng(3);
    std::normal_distribution<float> normal(0.0f, 0.1f);
    std::vector<float> v(n);
    for (auto& x : v)
        x = normal(rng);
    v[17] = 2.5f; // an outlier
    return v;
}

uint64_t total(const Histogram& h) {
    return std::accumulate(h.counts.begin(), h.counts.end(), uint64_t(0)) + h.below + h.above;
}

TEST(QuantizationError, MatchesTheRoundTripValueByValue) {
    const std::vector<int64_t> shape{256, 40};
    auto x = gaussian(256 * 40);
    x[5] = NAN; // left out
    const auto bytes = f32Bytes(x);
    const auto edges = linearBinEdges(-3.0, 3.0, 64);
    auto r = measureQuantizationError(TensorType::F32, bytes, shape, TensorType::Q4_K, edges, 50, Progress::none(), 2);
    ASSERT_TRUE(r) << r.error().toString();

    std::vector<std::byte> packed(*bytesFor(TensorType::Q4_K, x.size()));
    ASSERT_TRUE(quantize(TensorType::Q4_K, x, 256, packed));
    std::vector<float> q(x.size());
    ASSERT_TRUE(dequantize(TensorType::Q4_K, packed, q));
    double sse = 0, squares = 0, maxAbs = 0;
    uint64_t n = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        if (std::isnan(x[i])) continue;
        const double e = double(q[i]) - x[i];
        sse += e * e;
        squares += double(x[i]) * x[i];
        maxAbs = std::max(maxAbs, std::fabs(e));
        ++n;
    }
    EXPECT_EQ(r->values, n);
    EXPECT_DOUBLE_EQ(r->rmse, std::sqrt(sse / double(n)));
    EXPECT_DOUBLE_EQ(r->relativeRmse, r->rmse / std::sqrt(squares / double(n)));
    EXPECT_EQ(r->maxAbs, maxAbs);
    EXPECT_EQ(r->quantized.edges, edges);
    EXPECT_EQ(total(r->quantized), n);
    ASSERT_EQ(r->error.counts.size(), 50u);
    EXPECT_EQ(r->error.edges.front(), -maxAbs);
    EXPECT_EQ(r->error.edges.back(), maxAbs);
    EXPECT_EQ(total(r->error), n);
}

TEST(QuantizationError, FewerBitsCostMore) {
    const std::vector<int64_t> shape{256, 16};
    const auto bytes = f32Bytes(gaussian(256 * 16));
    double previous = 0;
    for (TensorType t : {TensorType::F16, TensorType::Q8_0, TensorType::Q6_K, TensorType::Q4_K, TensorType::Q2_K}) {
        auto r = measureQuantizationError(TensorType::F32, bytes, shape, t, {}, 10, Progress::none());
        ASSERT_TRUE(r) << typeName(t);
        EXPECT_GT(r->rmse, previous) << typeName(t);
        EXPECT_TRUE(r->quantized.counts.empty());
        previous = r->rmse;
    }
    // The same type as the source: nothing changes, and there is no error histogram.
    auto same = measureQuantizationError(TensorType::F32, bytes, shape, TensorType::F32, {}, 10, Progress::none());
    ASSERT_TRUE(same);
    EXPECT_EQ(same->rmse, 0.0);
    EXPECT_TRUE(same->error.counts.empty());
}

class CancelAtOnce : public Progress {
protected:
    void onReport(double, std::string_view) override { cancel(); }
};

TEST(QuantizationError, Refusals) {
    const auto bytes = f32Bytes(gaussian(288 * 4));
    EXPECT_FALSE(measureQuantizationError(TensorType::F32, bytes, {288, 4}, TensorType::Q4_K, {}, 10,
                                          Progress::none())); // rows of 288 are no whole 256-blocks
    EXPECT_TRUE(measureQuantizationError(TensorType::F32, bytes, {288, 4}, TensorType::Q8_0, {}, 10, Progress::none()));
    EXPECT_FALSE(measureQuantizationError(TensorType::F32, bytes, {288, 5}, TensorType::Q8_0, {}, 10,
                                          Progress::none())); // bytes do not match the shape
    CancelAtOnce cancel;
    auto r = measureQuantizationError(TensorType::F32, bytes, {288, 4}, TensorType::Q8_0, {}, 10, cancel);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().cancelled);
}

} // namespace
} // namespace matryx
