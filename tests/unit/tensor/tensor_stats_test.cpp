#include "tensor/tensor_stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace matryx {
namespace {

// Every expected value below is worked out by hand (or is a closed form) in the comment beside
// it; none comes from the code under test.

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

std::vector<std::byte> bytesOf(const std::vector<float>& v) {
    std::vector<std::byte> b(v.size() * sizeof(float));
    if (!b.empty()) std::memcpy(b.data(), v.data(), b.size());
    return b;
}

TensorStats statsOf(const std::vector<float>& values, std::vector<int64_t> shape, TensorStatsOptions o = {}) {
    const auto bytes = bytesOf(values);
    auto r = computeTensorStats(TensorType::F32, bytes, shape, o);
    EXPECT_TRUE(r) << (r ? "" : r.error().toString());
    return r ? std::move(r).value() : TensorStats{};
}

uint64_t sum(const std::vector<uint64_t>& v) {
    uint64_t s = 0;
    for (const uint64_t x : v)
        s += x;
    return s;
}

// Two rows of four: {1, -2, 3, -4} and {5, -6, 7, -8}.
const std::vector<float> kSmall = {1, -2, 3, -4, 5, -6, 7, -8};

TEST(TensorStats, MomentsAndExtremesOfASmallTensor) {
    const TensorStats s = statsOf(kSmall, {4, 2});
    EXPECT_EQ(s.elements, 8u);
    EXPECT_EQ(s.finite, 8u);
    EXPECT_EQ(s.nan, 0u);
    EXPECT_EQ(s.infinite, 0u);
    EXPECT_EQ(s.min, -8.0);
    EXPECT_EQ(s.max, 7.0);
    EXPECT_EQ(s.absMax, 8.0);
    EXPECT_DOUBLE_EQ(s.mean, -0.5); // sum -4 over 8
    // Deviations ±1.5, ±3.5, ±5.5, ±7.5: m2 = 2 (2.25 + 12.25 + 30.25 + 56.25) / 8 = 25.25.
    EXPECT_DOUBLE_EQ(s.std, std::sqrt(25.25));
    // m4 = 2 (5.0625 + 150.0625 + 915.0625 + 3164.0625) / 8 = 16937/16; m4 / m2² − 3 = −13666/10201.
    EXPECT_NEAR(s.excessKurtosis, -13666.0 / 10201.0, 1e-14);
}

TEST(TensorStats, OutliersAreFarFromTheMeanInStandardDeviations) {
    TensorStatsOptions o;
    o.outlierK = 1.0;
    const TensorStats s = statsOf(kSmall, {4, 2}, o);
    // std ≈ 5.025: |x + 0.5| > 5.025 holds for 5, −6, 7, −8 (deviations 5.5, 5.5, 7.5, 7.5).
    EXPECT_EQ(s.outlierK, 1.0);
    EXPECT_EQ(s.outliers, 4u);
    EXPECT_DOUBLE_EQ(s.outlierFraction, 0.5);
    o.outlierK = 1.2; // 6.03: only 7 and −8
    EXPECT_EQ(statsOf(kSmall, {4, 2}, o).outliers, 2u);
    o.outlierK = 0; // not counted
    const TensorStats none = statsOf(kSmall, {4, 2}, o);
    EXPECT_EQ(none.outlierK, 0.0);
    EXPECT_EQ(none.outliers, 0u);
}

TEST(TensorStats, PerRowAndPerColumnAbsMax) {
    const TensorStats s = statsOf(kSmall, {4, 2});
    EXPECT_EQ(s.rowAbsMax, (std::vector<float>{4, 8}));
    EXPECT_EQ(s.columnAbsMax, (std::vector<float>{5, 6, 7, 8}));
}

TEST(TensorStats, TopOutliersWithRowAndColumn) {
    // Row length 5, three rows; the planted values are the four largest in magnitude.
    std::vector<float> v(15, 0.25f);
    v[2] = -9;  // row 0, column 2
    v[5] = 7;   // row 1, column 0
    v[13] = 8;  // row 2, column 3
    v[14] = -3; // row 2, column 4
    TensorStatsOptions o;
    o.topK = 3;
    const TensorStats s = statsOf(v, {5, 3}, o);
    ASSERT_EQ(s.topOutliers.size(), 3u);
    EXPECT_EQ(s.topOutliers[0].value, -9.0f);
    EXPECT_EQ(s.topOutliers[0].row, 0u);
    EXPECT_EQ(s.topOutliers[0].column, 2u);
    EXPECT_EQ(s.topOutliers[1].value, 8.0f);
    EXPECT_EQ(s.topOutliers[1].row, 2u);
    EXPECT_EQ(s.topOutliers[1].column, 3u);
    EXPECT_EQ(s.topOutliers[2].value, 7.0f);
    EXPECT_EQ(s.topOutliers[2].row, 1u);
    EXPECT_EQ(s.topOutliers[2].column, 0u);
    o.topK = 100; // more than there are values: all 15, planted ones first, then ties in index order
    const TensorStats all = statsOf(v, {5, 3}, o);
    ASSERT_EQ(all.topOutliers.size(), 15u);
    EXPECT_EQ(all.topOutliers[3].value, -3.0f);
    EXPECT_EQ(all.topOutliers[4].row * 5 + all.topOutliers[4].column, 0u);
    EXPECT_EQ(all.topOutliers[5].row * 5 + all.topOutliers[5].column, 1u);
    EXPECT_EQ(all.topOutliers[6].row * 5 + all.topOutliers[6].column, 3u);
}

TEST(TensorStats, TopOutlierTiesGoToTheSmallerIndex) {
    // |x| = 1 everywhere: the first four indices win, whatever the thread count.
    std::vector<float> v(40000);
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = i % 2 ? -1.0f : 1.0f;
    for (const int threads : {1, 2}) {
        TensorStatsOptions o;
        o.topK = 4;
        o.threads = threads;
        const TensorStats s = statsOf(v, {100, 400}, o);
        ASSERT_EQ(s.topOutliers.size(), 4u);
        for (uint64_t i = 0; i < 4; ++i) {
            EXPECT_EQ(s.topOutliers[i].row, 0u);
            EXPECT_EQ(s.topOutliers[i].column, i);
        }
    }
}

TEST(TensorStats, NaNAndInfinityAreCountedAndOtherwiseIgnored) {
    // Row 0: {1, NaN, -2, +inf}; row 1: {-inf, 3, NaN, 0}. Finite: 1, -2, 3, 0.
    const std::vector<float> v = {1, kNaN, -2, kInf, -kInf, 3, kNaN, 0};
    const TensorStats s = statsOf(v, {4, 2});
    EXPECT_EQ(s.elements, 8u);
    EXPECT_EQ(s.finite, 4u);
    EXPECT_EQ(s.nan, 2u);
    EXPECT_EQ(s.infinite, 2u);
    EXPECT_EQ(s.min, -2.0);
    EXPECT_EQ(s.max, 3.0);
    EXPECT_EQ(s.absMax, 3.0);
    EXPECT_DOUBLE_EQ(s.mean, 0.5);                  // 2 / 4
    EXPECT_DOUBLE_EQ(s.std, std::sqrt(13.0 / 4.0)); // deviations .5, -2.5, 2.5, -.5: 13 / 4
    EXPECT_EQ(s.rowAbsMax, (std::vector<float>{2, 3}));
    EXPECT_EQ(s.columnAbsMax, (std::vector<float>{1, 3, 2, 0}));
    ASSERT_EQ(s.topOutliers.size(), 4u);
    EXPECT_EQ(s.topOutliers[0].value, 3.0f);
    EXPECT_EQ(s.topOutliers[1].value, -2.0f);
    EXPECT_EQ(s.topOutliers[2].value, 1.0f);
    EXPECT_EQ(s.topOutliers[3].value, 0.0f);
    EXPECT_EQ(sum(s.linear.counts), 4u);
    EXPECT_EQ(sum(s.symlog.counts), 4u);
    EXPECT_EQ(s.linear.edges.front(), -2.0);
    EXPECT_EQ(s.linear.edges.back(), 3.0);
}

TEST(TensorStats, NoFiniteValueAtAll) {
    const TensorStats s = statsOf({kNaN, kInf, kNaN, -kInf}, {2, 2});
    EXPECT_EQ(s.finite, 0u);
    EXPECT_EQ(s.nan, 2u);
    EXPECT_EQ(s.infinite, 2u);
    EXPECT_TRUE(std::isnan(s.min));
    EXPECT_TRUE(std::isnan(s.max));
    EXPECT_TRUE(std::isnan(s.mean));
    EXPECT_TRUE(std::isnan(s.std));
    EXPECT_TRUE(std::isnan(s.excessKurtosis));
    EXPECT_EQ(s.absMax, 0.0);
    EXPECT_EQ(s.outliers, 0u);
    EXPECT_EQ(s.outlierFraction, 0.0);
    EXPECT_TRUE(s.topOutliers.empty());
    EXPECT_TRUE(s.linear.edges.empty());
    EXPECT_EQ(s.rowAbsMax, (std::vector<float>{0, 0}));
}

TEST(TensorStats, ManyChunksMergeToTheClosedForm) {
    // x_i = i mod 10 over a million values: a discrete uniform on 0..9, mean 4.5, variance
    // (10² − 1) / 12 = 8.25, excess kurtosis −6 (n² + 1) / (5 (n² − 1)) = −606 / 495.
    std::vector<float> v(1000000);
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = float(i % 10);
    for (const auto& shape : {std::vector<int64_t>{1000000}, std::vector<int64_t>{1000, 1000},
                              std::vector<int64_t>{10, 100, 1000}}) {
        TensorStatsOptions o;
        o.threads = 2;
        o.histogramBins = 9; // edges 0, 1, ..., 9: one value per bin, 8 and 9 share the last
        const TensorStats s = statsOf(v, shape, o);
        EXPECT_DOUBLE_EQ(s.mean, 4.5);
        EXPECT_NEAR(s.std * s.std, 8.25, 1e-12);
        EXPECT_NEAR(s.excessKurtosis, -606.0 / 495.0, 1e-12);
        EXPECT_EQ(s.linear.counts, (std::vector<uint64_t>{100000, 100000, 100000, 100000, 100000, 100000,
                                                          100000, 100000, 200000}));
        EXPECT_EQ(s.rowAbsMax.size(), 1000000 / uint64_t(shape[0]));
        EXPECT_EQ(s.columnAbsMax.size(), uint64_t(shape[0]));
        EXPECT_EQ(s.rowAbsMax.front(), 9.0f);
    }
}

TEST(TensorStats, LinearHistogramOfAKnownDistribution) {
    std::vector<float> v(1024);
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = float(i); // 0 .. 1023
    TensorStatsOptions o;
    o.histogramBins = 8;
    o.histogramMin = 0;
    o.histogramMax = 1024; // edges at multiples of 128: 128 values per bin
    const TensorStats s = statsOf(v, {1024}, o);
    EXPECT_EQ(s.linear.edges, (std::vector<double>{0, 128, 256, 384, 512, 640, 768, 896, 1024}));
    EXPECT_EQ(s.linear.counts, std::vector<uint64_t>(8, 128));
    EXPECT_EQ(s.linear.below + s.linear.above, 0u);

    o.histogramMax = 512; // edges at multiples of 64; 512 itself closes the last bin
    const TensorStats half = statsOf(v, {1024}, o);
    EXPECT_EQ(half.linear.counts, (std::vector<uint64_t>{64, 64, 64, 64, 64, 64, 64, 65}));
    EXPECT_EQ(half.linear.above, 511u); // 513 .. 1023
    EXPECT_EQ(half.linear.below, 0u);
}

TEST(TensorStats, HistogramOverMinToMaxHoldsEveryValue) {
    std::mt19937 rng(7);
    std::normal_distribution<float> normal(0.0f, 0.02f);
    std::vector<float> v(50000);
    for (float& x : v)
        x = normal(rng);
    const TensorStats s = statsOf(v, {500, 100});
    EXPECT_EQ(s.linear.counts.size(), 256u);
    EXPECT_EQ(sum(s.linear.counts), 50000u);
    EXPECT_EQ(sum(s.symlog.counts), 50000u);
    EXPECT_EQ(s.linear.edges.front(), s.min);
    EXPECT_EQ(s.linear.edges.back(), s.max);
    EXPECT_EQ(s.symlog.edges.front(), s.min);
    EXPECT_EQ(s.symlog.edges.back(), s.max);
    EXPECT_EQ(s.symlogLinthresh, s.std);
    EXPECT_GT(s.linear.counts[128] + s.linear.counts[127], s.linear.counts[10]); // a bell, not flat
}

TEST(TensorStats, SymlogHistogramBins) {
    // symlog(x, 1) = sign(x) log10(1 + |x|): over [−99, 99] that is [−2, 2], and 4 bins have edges
    // t = −2, −1, 0, 1, 2, that is x = −99, −9, 0, 9, 99. Values −98.5, −97.5, ..., 98.5.
    std::vector<float> v;
    for (int i = -99; i < 99; ++i)
        v.push_back(float(i) + 0.5f);
    TensorStatsOptions o;
    o.histogramBins = 4;
    o.histogramMin = -99;
    o.histogramMax = 99;
    o.symlogLinthresh = 1;
    const TensorStats s = statsOf(v, {198}, o);
    ASSERT_EQ(s.symlog.edges.size(), 5u);
    const double expected[] = {-99, -9, 0, 9, 99};
    for (size_t i = 0; i < 5; ++i)
        EXPECT_NEAR(s.symlog.edges[i], expected[i], 1e-12) << i;
    EXPECT_EQ(s.symlogLinthresh, 1.0);
    // [−99, −9): −98.5 .. −9.5 is 90 values; [−9, 0): 9; [0, 9): 9; [9, 99]: 90.
    EXPECT_EQ(s.symlog.counts, (std::vector<uint64_t>{90, 9, 9, 90}));
}

TEST(TensorStats, ConstantTensor) {
    const TensorStats s = statsOf(std::vector<float>(64, 3.0f), {64});
    EXPECT_EQ(s.mean, 3.0);
    EXPECT_EQ(s.std, 0.0);
    EXPECT_TRUE(std::isnan(s.excessKurtosis)); // 0 / 0
    EXPECT_EQ(s.outliers, 0u);
    // All equal: the range widens to [2.5, 3.5] as numpy.histogram does; 3 opens bin 128.
    EXPECT_EQ(s.linear.edges.front(), 2.5);
    EXPECT_EQ(s.linear.edges.back(), 3.5);
    EXPECT_EQ(s.linear.counts[128], 64u);
    EXPECT_EQ(s.symlogLinthresh, 1.0); // std is 0
}

TEST(TensorStats, ThreadCountDoesNotChangeAnyBit) {
    std::mt19937 rng(11);
    std::normal_distribution<float> normal(0.01f, 0.05f);
    std::vector<float> v(300 * 1000);
    for (float& x : v)
        x = normal(rng);
    v[1234] = kNaN;
    v[99999] = kInf;
    v[200000] = 3.0f;
    for (const auto& shape :
         {std::vector<int64_t>{1000, 300}, std::vector<int64_t>{300000}, std::vector<int64_t>{20000, 15}}) {
        TensorStatsOptions o;
        const TensorStats one = statsOf(v, shape, o);
        for (const int threads : {2, 3}) {
            o.threads = threads;
            const TensorStats many = statsOf(v, shape, o);
            const auto same = [](double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; };
            EXPECT_TRUE(same(one.mean, many.mean));
            EXPECT_TRUE(same(one.std, many.std));
            EXPECT_TRUE(same(one.excessKurtosis, many.excessKurtosis));
            EXPECT_TRUE(same(one.min, many.min) && same(one.max, many.max));
            EXPECT_EQ(one.outliers, many.outliers);
            EXPECT_EQ(one.nan, many.nan);
            EXPECT_EQ(one.infinite, many.infinite);
            EXPECT_EQ(one.rowAbsMax, many.rowAbsMax);
            EXPECT_EQ(one.columnAbsMax, many.columnAbsMax);
            EXPECT_EQ(one.linear.edges, many.linear.edges);
            EXPECT_EQ(one.linear.counts, many.linear.counts);
            EXPECT_EQ(one.symlog.edges, many.symlog.edges);
            EXPECT_EQ(one.symlog.counts, many.symlog.counts);
            ASSERT_EQ(one.topOutliers.size(), many.topOutliers.size());
            for (size_t i = 0; i < one.topOutliers.size(); ++i) {
                EXPECT_EQ(one.topOutliers[i].row, many.topOutliers[i].row);
                EXPECT_EQ(one.topOutliers[i].column, many.topOutliers[i].column);
                EXPECT_EQ(one.topOutliers[i].value, many.topOutliers[i].value);
            }
        }
        EXPECT_EQ(one.topOutliers.front().value, 3.0f);
        EXPECT_EQ(one.topOutliers.front().row * uint64_t(shape[0]) + one.topOutliers.front().column, 200000u);
    }
}

// Q8_0: fp16 scale d, then 32 signed bytes; x = d·q. Q4_0: fp16 d, then 16 bytes whose low
// nibbles are elements 0..15 and high nibbles 16..31; x = d·(q − 8).
TEST(TensorStats, QuantizedTensorsGiveTheStatisticsOfTheirValues) {
    std::vector<std::byte> q8(34);
    q8[0] = std::byte{0x00}; // d = 0.5 (fp16 0x3800)
    q8[1] = std::byte{0x38};
    for (int j = 0; j < 32; ++j)
        q8[2 + j] = std::byte(uint8_t(int8_t(j - 16))); // q = −16 .. 15: x = −8, −7.5, ..., 7.5
    const std::vector<int64_t> shape = {32};
    auto s8 = computeTensorStats(TensorType::Q8_0, q8, shape);
    ASSERT_TRUE(s8);
    EXPECT_EQ(s8->min, -8.0);
    EXPECT_EQ(s8->max, 7.5);
    EXPECT_DOUBLE_EQ(s8->mean, -0.25);                       // 0.5 · mean(−16..15) = 0.5 · −0.5
    EXPECT_NEAR(s8->std * s8->std, 0.25 * 1023 / 12, 1e-12); // 0.5² · (32² − 1) / 12
    EXPECT_NEAR(s8->excessKurtosis, -6.0 * 1025 / (5.0 * 1023), 1e-12);
    EXPECT_EQ(s8->topOutliers.front().value, -8.0f);
    EXPECT_EQ(s8->topOutliers.front().column, 0u);

    std::vector<std::byte> q4(18);
    q4[0] = std::byte{0x00}; // d = 0.5
    q4[1] = std::byte{0x38};
    for (int j = 0; j < 16; ++j)
        q4[2 + j] = std::byte(uint8_t(j | ((15 - j) << 4)));
    auto s4 = computeTensorStats(TensorType::Q4_0, q4, shape);
    ASSERT_TRUE(s4);
    // Elements 0..15: (j − 8) / 2 = −4 .. 3.5; elements 16..31: (7 − j) / 2 = 3.5 .. −4.
    std::vector<float> values(32);
    for (int j = 0; j < 16; ++j) {
        values[j] = float(j - 8) * 0.5f;
        values[16 + j] = float(7 - j) * 0.5f;
    }
    EXPECT_EQ(s4->min, -4.0);
    EXPECT_EQ(s4->max, 3.5);
    EXPECT_DOUBLE_EQ(s4->mean, -0.25);                      // 0.5 · mean(−8..7)
    EXPECT_NEAR(s4->std * s4->std, 0.25 * 255 / 12, 1e-12); // 0.5² · (16² − 1) / 12
    EXPECT_EQ(s4->columnAbsMax[0], 4.0f);
    EXPECT_EQ(s4->columnAbsMax[31], 4.0f);
    EXPECT_EQ(s4->topOutliers[0].column, 0u); // −4 first, then the other −4 at column 31
    EXPECT_EQ(s4->topOutliers[1].column, 31u);
    // And exactly what the same values stored as F32 give.
    const TensorStats f = statsOf(values, {32});
    EXPECT_EQ(s4->mean, f.mean);
    EXPECT_EQ(s4->std, f.std);
    EXPECT_EQ(s4->excessKurtosis, f.excessKurtosis);
    EXPECT_EQ(s4->linear.counts, f.linear.counts);
    EXPECT_EQ(s4->symlog.counts, f.symlog.counts);
}

TEST(TensorStats, SummaryOptionsLeaveOutTheVectors) {
    const TensorStats s = statsOf(kSmall, {4, 2}, TensorStatsOptions::summary());
    EXPECT_TRUE(s.rowAbsMax.empty());
    EXPECT_TRUE(s.columnAbsMax.empty());
    EXPECT_TRUE(s.topOutliers.empty());
    EXPECT_TRUE(s.linear.edges.empty());
    EXPECT_TRUE(s.symlog.edges.empty());
    EXPECT_EQ(s.outliers, 0u); // k = 6 by default: nothing that far in 8 values
    EXPECT_EQ(s.outlierK, 6.0);
    EXPECT_DOUBLE_EQ(s.mean, -0.5);
}

TEST(TensorStats, EmptyAndScalarTensors) {
    const TensorStats empty = statsOf({}, {4, 0});
    EXPECT_EQ(empty.elements, 0u);
    EXPECT_TRUE(std::isnan(empty.mean));
    EXPECT_EQ(empty.columnAbsMax, std::vector<float>(4, 0.0f));
    EXPECT_TRUE(empty.rowAbsMax.empty());
    const TensorStats scalar = statsOf({-2.5f}, {});
    EXPECT_EQ(scalar.elements, 1u);
    EXPECT_EQ(scalar.absMax, 2.5);
    EXPECT_EQ(scalar.rowAbsMax, std::vector<float>{2.5f});
}

TEST(TensorStats, RejectsInconsistentInput) {
    const auto bytes = bytesOf(kSmall);
    const std::vector<int64_t> negative = {-4, -2};
    auto r = computeTensorStats(TensorType::F32, bytes, negative);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "shape[0]");
    const std::vector<int64_t> tooMany = {4, 3};
    r = computeTensorStats(TensorType::F32, bytes, tooMany);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "tensor data");
    // Q8_0 rows must be whole 32-element blocks: 48 is not, even though 96 elements are 3 blocks.
    const std::vector<std::byte> q8(3 * 34);
    const std::vector<int64_t> ragged = {48, 2};
    r = computeTensorStats(TensorType::Q8_0, q8, ragged);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "shape[0]");
    const std::vector<int64_t> huge = {int64_t(1) << 40, int64_t(1) << 40};
    EXPECT_FALSE(computeTensorStats(TensorType::F32, bytes, huge));
    r = computeTensorStats(TensorType(4), bytes, std::vector<int64_t>{8}); // Q4_2, removed
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "type");
}

TEST(TensorStats, RejectsOptionsOutOfRange) {
    const auto bytes = bytesOf(kSmall);
    const std::vector<int64_t> shape = {8};
    const auto fails = [&](TensorStatsOptions o) {
        return !computeTensorStats(TensorType::F32, bytes, shape, o);
    };
    TensorStatsOptions o;
    o.histogramBins = -1;
    EXPECT_TRUE(fails(o));
    o = {};
    o.topK = (1 << 20) + 1;
    EXPECT_TRUE(fails(o));
    o = {};
    o.histogramMin = 1;
    EXPECT_TRUE(fails(o)); // no max
    o.histogramMax = 1;
    EXPECT_TRUE(fails(o)); // empty range
    o.histogramMin = -1e308;
    o.histogramMax = 1e308;
    EXPECT_TRUE(fails(o)); // width overflows
    o = {};
    o.symlogLinthresh = -1;
    EXPECT_TRUE(fails(o));
    o = {};
    o.outlierK = std::numeric_limits<double>::infinity();
    EXPECT_TRUE(fails(o));
    o = {};
    o.threads = -3; // means 1
    EXPECT_FALSE(fails(o));
}

class CancelAfter : public Progress {
public:
    explicit CancelAfter(int reports) : left_(reports) {}
    int reports = 0;

protected:
    void onReport(double, std::string_view) override {
        ++reports;
        if (--left_ <= 0) cancel();
    }

private:
    int left_;
};

TEST(TensorStats, StopsWhenCancelled) {
    const std::vector<float> v(2000000, 1.0f); // 125 chunks of 16 rows: two rounds per pass
    const auto bytes = bytesOf(v);
    const std::vector<int64_t> shape = {2000, 1000};
    CancelAfter cancel(1);
    auto r = computeTensorStats(TensorType::F32, bytes, shape, {}, cancel);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().cancelled);
    EXPECT_EQ(cancel.reports, 1);

    CancelAfter never(1000);
    ASSERT_TRUE(computeTensorStats(TensorType::F32, bytes, shape, {}, never));
    EXPECT_EQ(never.reports, 4); // two rounds in each of two passes
}

} // namespace
} // namespace matryx
