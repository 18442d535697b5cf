#include "tensor/histogram_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace matryx {
namespace {

Histogram count(const std::vector<double>& edges, const std::vector<float>& values) {
    HistogramBuilder h(edges);
    h.add(values.data(), values.size());
    return h.result();
}

TEST(HistogramBuilder, LinearEdgesAreEqualSteps) {
    EXPECT_EQ(linearBinEdges(0, 1, 4), (std::vector<double>{0, 0.25, 0.5, 0.75, 1}));
    EXPECT_EQ(linearBinEdges(-3, 5, 2), (std::vector<double>{-3, 1, 5}));
    // numpy.linspace computes i · step + start and sets the last edge to stop: 0.1 · 3 + 0 is
    // 0.30000000000000004 in doubles, not 0.3.
    const auto e = linearBinEdges(0, 0.4, 4);
    EXPECT_EQ(e[3], 0.1 * 3);
    EXPECT_EQ(e[4], 0.4);
}

TEST(HistogramBuilder, SymlogTransform) {
    EXPECT_NEAR(symlog(9, 1), 1, 1e-15);    // log10(1 + 9)
    EXPECT_NEAR(symlog(-99, 1), -2, 1e-15); // −log10(100)
    EXPECT_NEAR(symlog(0.5, 0.5), std::log10(2.0), 1e-15);
    EXPECT_EQ(symlog(0, 1), 0);
    EXPECT_NEAR(inverseSymlog(3, 1), 999, 1e-12);
    EXPECT_NEAR(inverseSymlog(-1, 0.01), -0.09, 1e-15);
}

TEST(HistogramBuilder, SymlogEdgesStartAndEndExactly) {
    const auto e = symlogBinEdges(-0.37, 2.9, 64, 0.01);
    ASSERT_EQ(e.size(), 65u);
    EXPECT_EQ(e.front(), -0.37);
    EXPECT_EQ(e.back(), 2.9);
    EXPECT_TRUE(std::is_sorted(e.begin(), e.end()));
    // Equal steps in the transformed space: (symlog(2.9) − symlog(−0.37)) / 64 each.
    const double step = (std::log10(1 + 2.9 / 0.01) + std::log10(1 + 0.37 / 0.01)) / 64;
    for (size_t i = 1; i < e.size(); ++i)
        EXPECT_NEAR(symlog(e[i], 0.01) - symlog(e[i - 1], 0.01), step, 1e-12) << i;
}

TEST(HistogramBuilder, ValuesOnEdgesGoRightAndTheLastBinIsClosed) {
    const Histogram h = count({0, 1, 2, 3}, {0, 0.5f, 1, 1.5f, 2, 3, -0.5f, 3.5f});
    EXPECT_EQ(h.counts, (std::vector<uint64_t>{2, 2, 2})); // {0, .5}, {1, 1.5}, {2, 3}
    EXPECT_EQ(h.below, 1u);
    EXPECT_EQ(h.above, 1u);
}

TEST(HistogramBuilder, EdgesThatAreNotFloatsAreComparedExactly) {
    // 0.1f is 0.100000001490116..., above the double 0.1; the float below it is under 0.1.
    // 0.3f is 0.300000011920929..., above the last edge 0.3, so outside the range.
    const float below01 = std::nextafter(0.1f, 0.0f);
    const float below03 = std::nextafter(0.3f, 0.0f);
    const Histogram h = count({0, 0.1, 0.2, 0.3}, {0.1f, below01, 0.3f, below03});
    EXPECT_EQ(h.counts, (std::vector<uint64_t>{1, 1, 1}));
    EXPECT_EQ(h.above, 1u);
}

TEST(HistogramBuilder, RepeatedEdgesLeaveEmptyBins) {
    // Bin 1 is [1, 1): empty. 1 belongs to bin 2, as numpy.histogram with these edges puts it.
    const Histogram h = count({0, 1, 1, 2}, {0.5f, 1, 1.5f, 2});
    EXPECT_EQ(h.counts, (std::vector<uint64_t>{1, 0, 3}));
}

TEST(HistogramBuilder, AgreesWithABinarySearchOverTheEdges) {
    // Symlog bins over a huge range with a tiny linthresh: near 0 the bins are far narrower than
    // the lookup table's cells, which sends values to the search path.
    std::mt19937 rng(3);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> values(200000);
    for (size_t i = 0; i < values.size(); ++i)
        values[i] = normal(rng) * (i % 3 == 0 ? 1e-3f : i % 3 == 1 ? 1.0f : 1e4f);
    for (const auto& edges :
         {symlogBinEdges(-3e4, 5e4, 256, 1e-4), linearBinEdges(-2, 3, 100), symlogBinEdges(-1, 1, 7, 1)}) {
        std::vector<uint64_t> expected(edges.size() - 1);
        uint64_t below = 0, above = 0;
        for (const float v : values) {
            if (v < edges.front())
                ++below;
            else if (v > edges.back())
                ++above;
            else // bin = number of inner edges <= v
                ++expected[size_t(std::upper_bound(edges.begin() + 1, edges.end() - 1, double(v)) -
                                  (edges.begin() + 1))];
        }
        const Histogram h = count(edges, values);
        EXPECT_EQ(h.counts, expected);
        EXPECT_EQ(h.below, below);
        EXPECT_EQ(h.above, above);
    }
}

TEST(HistogramBuilder, AddToBothCountsAsTwoAddsDo) {
    std::mt19937 rng(5);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> values(100000);
    for (size_t i = 0; i < values.size(); ++i)
        values[i] = normal(rng) * (i % 2 ? 1e-3f : 30.0f);
    // A caller range narrower than the values (some below and above) and symlog bins far
    // narrower than the table's cells near 0: both the fast and the search path run.
    HistogramBuilder linear(linearBinEdges(-40, 50, 256));
    HistogramBuilder symlogBins(symlogBinEdges(-40, 50, 256, 1e-6));
    HistogramBuilder linearBoth = linear.emptyCopy();
    HistogramBuilder symlogBoth = symlogBins.emptyCopy();
    linear.add(values.data(), values.size());
    symlogBins.add(values.data(), values.size());
    HistogramBuilder::addToBoth(linearBoth, symlogBoth, values.data(), values.size());
    for (const auto& [one, both] : {std::pair{linear.result(), linearBoth.result()},
                                    std::pair{symlogBins.result(), symlogBoth.result()}}) {
        EXPECT_EQ(one.counts, both.counts);
        EXPECT_EQ(one.below, both.below);
        EXPECT_EQ(one.above, both.above);
        EXPECT_GT(one.below, 0u);
        EXPECT_GT(one.above, 0u);
    }
}

TEST(HistogramBuilder, CopiesShareEdgesAndMerge) {
    HistogramBuilder a(linearBinEdges(0, 4, 4));
    HistogramBuilder b = a.emptyCopy();
    const std::vector<float> x = {0.5f, 1.5f, 1.5f, 9};
    const std::vector<float> y = {3.5f, -1, 1.5f};
    a.add(x.data(), x.size());
    b.add(y.data(), y.size());
    a.merge(b);
    const Histogram h = a.result();
    EXPECT_EQ(h.counts, (std::vector<uint64_t>{1, 3, 0, 1}));
    EXPECT_EQ(h.below, 1u);
    EXPECT_EQ(h.above, 1u);
    EXPECT_EQ(h.edges, linearBinEdges(0, 4, 4));
}

} // namespace
} // namespace matryx
