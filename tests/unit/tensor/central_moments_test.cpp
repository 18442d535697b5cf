#include "tensor/central_moments.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace matryx {
namespace {

TEST(CentralMoments, OfValues) {
    const std::vector<float> x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}; // 11: one past the 8 lanes
    const CentralMoments m = centralMomentsOf(x.data(), x.size());
    EXPECT_EQ(m.count, 11u);
    EXPECT_EQ(m.mean, 6.0);
    EXPECT_EQ(m.m2, 110.0);  // 2 (1 + 4 + 9 + 16 + 25)
    EXPECT_EQ(m.m3, 0.0);    // symmetric
    EXPECT_EQ(m.m4, 1958.0); // 2 (1 + 16 + 81 + 256 + 625)
    EXPECT_EQ(m.variance(), 10.0);
    EXPECT_NEAR(m.excessKurtosis(), 11 * 1958.0 / (110.0 * 110.0) - 3, 1e-15);
}

TEST(CentralMoments, MergingPartsGivesTheWhole) {
    // {1, 2, 3} and {4, ..., 8}: together 1..8 with mean 4.5, m2 = 2 (.25 + 2.25 + 6.25 + 12.25) =
    // 42, m3 = 0, m4 = 2 (.0625 + 5.0625 + 39.0625 + 150.0625) = 388.5.
    const std::vector<float> a = {1, 2, 3};
    const std::vector<float> b = {4, 5, 6, 7, 8};
    CentralMoments m = centralMomentsOf(a.data(), a.size());
    m.merge(centralMomentsOf(b.data(), b.size()));
    EXPECT_EQ(m.count, 8u);
    EXPECT_DOUBLE_EQ(m.mean, 4.5);
    EXPECT_NEAR(m.m2, 42.0, 1e-12);
    EXPECT_NEAR(m.m3, 0.0, 1e-12);
    EXPECT_NEAR(m.m4, 388.5, 1e-12);
    // Skewed parts: {0, 0, 0} and {10}: mean 2.5, m2 = 3 · 6.25 + 56.25 = 75,
    // m3 = 3 · (−15.625) + 421.875 = 375, m4 = 3 · 39.0625 + 3164.0625 = 3281.25.
    const std::vector<float> zeros = {0, 0, 0};
    const std::vector<float> ten = {10};
    CentralMoments s = centralMomentsOf(zeros.data(), 3);
    s.merge(centralMomentsOf(ten.data(), 1));
    EXPECT_DOUBLE_EQ(s.mean, 2.5);
    EXPECT_DOUBLE_EQ(s.m2, 75.0);
    EXPECT_DOUBLE_EQ(s.m3, 375.0);
    EXPECT_DOUBLE_EQ(s.m4, 3281.25);
}

TEST(CentralMoments, EmptyPartsChangeNothing) {
    const std::vector<float> a = {2, 4};
    CentralMoments m;
    m.merge(centralMomentsOf(a.data(), 2));
    m.merge(CentralMoments{});
    EXPECT_EQ(m.count, 2u);
    EXPECT_EQ(m.mean, 3.0);
    EXPECT_EQ(m.m2, 2.0);
    EXPECT_TRUE(std::isnan(CentralMoments{}.variance()));
    EXPECT_TRUE(std::isnan(CentralMoments{}.excessKurtosis()));
}

} // namespace
} // namespace matryx
