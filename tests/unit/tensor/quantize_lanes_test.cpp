// The lane-parallel scale searches must give the scalar searches' results bit for bit: the scalar
// versions are written line by line after ggml's, the lane versions are the ones quantize() runs.

#include "tensor/quantize_lanes.h"
#include "tensor/quantize_search.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace matryx::quantizers {
namespace {

// kLanes groups of n values: Gaussian, heavy-tailed, one-signed, constant, all-zero, sparse, tiny,
// huge and NaN-laced groups, one kind per group, rotating with the seed.
std::vector<float> groups(int n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::student_t_distribution<float> heavy(2.0f);
    std::vector<float> x(size_t(n) * kLanes);
    for (int g = 0; g < kLanes; ++g) {
        float* p = x.data() + size_t(g) * size_t(n);
        const int kind = int((seed + uint32_t(g)) % 9);
        for (int i = 0; i < n; ++i) {
            const float v = normal(rng);
            switch (kind) {
            case 0:
                p[i] = v;
                break;
            case 1:
                p[i] = heavy(rng);
                break;
            case 2:
                p[i] = std::fabs(v) + 0.5f;
                break;
            case 3:
                p[i] = 0.25f;
                break;
            case 4:
                p[i] = 0.0f;
                break;
            case 5:
                p[i] = i % 7 == 0 ? v : 0.0f;
                break;
            case 6:
                p[i] = v * 1e-39f;
                break;
            case 7:
                p[i] = v * 1e30f;
                break;
            default:
                p[i] = i == 3 ? std::numeric_limits<float>::quiet_NaN() : v;
                break;
            }
        }
    }
    return x;
}

std::vector<float> positiveWeights(size_t count, uint32_t seed) {
    std::mt19937 rng(seed);
    std::lognormal_distribution<float> spread(0.0f, 1.0f);
    std::vector<float> w(count);
    for (float& v : w)
        v = spread(rng);
    return w;
}

bool same(float a, float b) {
    return std::bit_cast<uint32_t>(a) == std::bit_cast<uint32_t>(b);
}

TEST(QuantizeLanes, AffineMatchesScalar) {
    for (uint32_t seed = 0; seed < 40; ++seed) {
        for (const auto& [n, nmax, rmin, rdelta, nstep, mad] :
             {std::tuple{32, 15, -1.0f, 0.1f, 20, false}, std::tuple{32, 31, -0.5f, 0.1f, 15, false},
              std::tuple{16, 3, -0.5f, 0.1f, 15, true}}) {
            const auto x = groups(n, seed);
            auto w = positiveWeights(x.size(), seed + 100);
            std::vector<uint8_t> lanesL(x.size()), scalarL(x.size()), aux(x.size());
            float scales[kLanes], mins[kLanes];
            affineScaleLanes(n, nmax, x.data(), w.data(), lanesL.data(), scales, mins, rmin, rdelta, nstep,
                             mad);
            for (int g = 0; g < kLanes; ++g) {
                float negMin;
                const size_t at = size_t(g) * size_t(n);
                const float scale = affineScale(n, nmax, x.data() + at, w.data() + at, scalarL.data() + at,
                                                &negMin, aux.data(), rmin, rdelta, nstep, mad);
                EXPECT_TRUE(same(scale, scales[g])) << "seed " << seed << " group " << g;
                EXPECT_TRUE(same(negMin, mins[g])) << "seed " << seed << " group " << g;
            }
            EXPECT_EQ(lanesL, scalarL) << "seed " << seed << " n " << n;
        }
    }
}

TEST(QuantizeLanes, AffineClampedMatchesScalar) {
    for (uint32_t seed = 0; seed < 40; ++seed) {
        for (const auto& [n, nmax] : {std::pair{32, 15}, std::pair{32, 31}, std::pair{16, 3}}) {
            const auto x = groups(n, seed);
            const auto w = positiveWeights(x.size(), seed + 200);
            std::vector<uint8_t> lanesL(x.size()), scalarL(x.size()), aux(x.size());
            float scales[kLanes], mins[kLanes];
            affineScaleClampedLanes(n, nmax, x.data(), w.data(), lanesL.data(), scales, mins, -0.9f, 0.05f,
                                    36);
            for (int g = 0; g < kLanes; ++g) {
                float negMin;
                const size_t at = size_t(g) * size_t(n);
                const float scale =
                    affineScaleClamped(n, nmax, x.data() + at, w.data() + at, scalarL.data() + at, &negMin,
                                       aux.data(), -0.9f, 0.05f, 36);
                EXPECT_TRUE(same(scale, scales[g])) << "seed " << seed << " group " << g;
                EXPECT_TRUE(same(negMin, mins[g])) << "seed " << seed << " group " << g;
            }
            EXPECT_EQ(lanesL, scalarL) << "seed " << seed << " n " << n;
        }
    }
}

TEST(QuantizeLanes, SymmetricMatchesScalar) {
    for (uint32_t seed = 0; seed < 40; ++seed) {
        for (const auto& [n, nmax] :
             {std::pair{16, 32}, std::pair{16, 4}, std::pair{32, 8}, std::pair{32, 16}}) {
            const auto x = groups(n, seed);
            const auto w = positiveWeights(x.size(), seed + 300);
            for (const float* weights : {static_cast<const float*>(nullptr), w.data()}) {
                std::vector<int8_t> lanesL(x.size()), scalarL(x.size());
                float scales[kLanes];
                symmetricScaleLanes(n, nmax, x.data(), lanesL.data(), weights, scales);
                for (int g = 0; g < kLanes; ++g) {
                    const size_t at = size_t(g) * size_t(n);
                    const float scale = symmetricScale(n, nmax, x.data() + at, scalarL.data() + at,
                                                       weights ? weights + at : nullptr);
                    EXPECT_TRUE(same(scale, scales[g])) << "seed " << seed << " group " << g;
                }
                EXPECT_EQ(lanesL, scalarL) << "seed " << seed << " n " << n << (weights ? " weighted" : "");
            }
        }
    }
}

TEST(QuantizeLanes, Iq4MatchesScalar) {
    for (uint32_t seed = 0; seed < 40; ++seed) {
        const auto x = groups(32, seed);
        const auto w = positiveWeights(x.size(), seed + 400);
        float scales[kLanes];
        iq4ScaleLanes(x.data(), w.data(), scales);
        for (int g = 0; g < kLanes; ++g)
            EXPECT_TRUE(same(iq4Scale(x.data() + 32 * g, w.data() + 32 * g), scales[g]))
                << "seed " << seed << " group " << g;
    }
}

} // namespace
} // namespace matryx::quantizers
