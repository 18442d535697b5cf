#include "infer/sampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

using namespace matryx;

namespace {

// Logits whose softmax is 0.5, 0.3, 0.15, 0.05 for ids 0..3.
std::vector<float> fourTokens() { return {std::log(0.5f), std::log(0.3f), std::log(0.15f), std::log(0.05f)}; }

SamplerSettings plain() {
    SamplerSettings s;
    s.temperature = 1.0f;
    s.topK = 0;
    s.topP = 1.0f;
    s.minP = 0.0f;
    s.repeatPenalty = 1.0f;
    return s;
}

void expectDistribution(const std::vector<TokenProbability>& got, const std::vector<TokenProbability>& expected) {
    ASSERT_EQ(got.size(), expected.size());
    for (size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].id, expected[i].id) << "rank " << i;
        EXPECT_NEAR(got[i].probability, expected[i].probability, 1e-5) << "rank " << i;
    }
}

} // namespace

TEST(Sampler, GreedyTakesTheHighestLogitAndTheLowestIdOnTies) {
    SamplerSettings s = plain();
    s.temperature = 0.0f;
    Sampler sampler(s);
    const std::vector<float> logits = {1.0f, 3.0f, 3.0f, 2.0f};
    EXPECT_EQ(sampler.sample(logits, {}), 1);
    expectDistribution(sampler.distribution(logits, {}), {{1, 1.0f}});
}

TEST(Sampler, GreedyAppliesTheRepetitionPenaltyFirst) {
    SamplerSettings s = plain();
    s.temperature = 0.0f;
    s.repeatPenalty = 2.0f;
    Sampler sampler(s);
    // 3 / 2 = 1.5 < 2 and 3: token 2 wins.
    EXPECT_EQ(sampler.sample(std::vector<float>{1.0f, 3.0f, 3.0f, 2.0f}, std::vector<TokenId>{1}), 2);
    // A negative logit is multiplied: -1 * 2 = -2 < -1.5.
    EXPECT_EQ(sampler.sample(std::vector<float>{-1.0f, -1.5f}, std::vector<TokenId>{0}), 1);
}

TEST(Sampler, TemperatureOneWithoutFiltersIsTheSoftmax) {
    Sampler sampler(plain());
    expectDistribution(sampler.distribution(fourTokens(), {}), {{0, 0.5f}, {1, 0.3f}, {2, 0.15f}, {3, 0.05f}});
}

TEST(Sampler, TopKKeepsTheKMostLikely) {
    SamplerSettings s = plain();
    s.topK = 2;
    expectDistribution(Sampler(s).distribution(fourTokens(), {}), {{0, 0.625f}, {1, 0.375f}});
}

TEST(Sampler, TopPKeepsTokensUntilTheirMassReachesP) {
    SamplerSettings s = plain();
    s.topP = 0.7f; // 0.5 < 0.7 <= 0.8
    expectDistribution(Sampler(s).distribution(fourTokens(), {}), {{0, 0.625f}, {1, 0.375f}});
    s.topP = 0.85f; // 0.8 < 0.85 <= 0.95
    expectDistribution(Sampler(s).distribution(fourTokens(), {}),
                       {{0, 0.5f / 0.95f}, {1, 0.3f / 0.95f}, {2, 0.15f / 0.95f}});
}

TEST(Sampler, MinPDropsTokensLessLikelyThanAFractionOfTheBest) {
    SamplerSettings s = plain();
    s.minP = 0.35f; // threshold 0.175
    expectDistribution(Sampler(s).distribution(fourTokens(), {}), {{0, 0.625f}, {1, 0.375f}});
    s.minP = 0.25f; // threshold 0.125
    expectDistribution(Sampler(s).distribution(fourTokens(), {}),
                       {{0, 0.5f / 0.95f}, {1, 0.3f / 0.95f}, {2, 0.15f / 0.95f}});
}

TEST(Sampler, TemperatureRaisesProbabilitiesToThePowerOfItsInverse) {
    SamplerSettings s = plain();
    s.temperature = 0.5f; // p^2 / sum: 0.25, 0.09, 0.0225, 0.0025 over 0.365
    expectDistribution(Sampler(s).distribution(fourTokens(), {}),
                       {{0, 0.25f / 0.365f}, {1, 0.09f / 0.365f}, {2, 0.0225f / 0.365f}, {3, 0.0025f / 0.365f}});
    s.temperature = 2.0f;
    s.topK = 3; // sqrt of 0.5, 0.3, 0.15 over their sum 1.642128
    expectDistribution(Sampler(s).distribution(fourTokens(), {}),
                       {{0, 0.430607f}, {1, 0.333541f}, {2, 0.235852f}});
}

TEST(Sampler, FiltersSeeTheDistributionBeforeTemperature) {
    SamplerSettings s = plain();
    s.topP = 0.6f;
    s.temperature = 0.5f;
    // Untempered, 0.5 < 0.6 keeps two tokens (tempered first, 0.685 would keep one); then squared:
    // 0.25 and 0.09 over 0.34.
    expectDistribution(Sampler(s).distribution(fourTokens(), {}), {{0, 0.25f / 0.34f}, {1, 0.09f / 0.34f}});
}

TEST(Sampler, RepetitionPenaltyCountsEachRecentTokenOnce) {
    SamplerSettings s = plain();
    s.repeatPenalty = 2.0f;
    const std::vector<float> logits = {2.0f, 1.0f, 0.0f, -1.0f};
    // Tokens 0 (twice) and 3: 2 -> 1, -1 -> -2. Softmax of 1, 1, 0, -2.
    const double e = std::exp(1.0), sum = 2 * e + 1 + std::exp(-2.0);
    expectDistribution(Sampler(s).distribution(logits, std::vector<TokenId>{0, 3, 0}),
                       {{0, float(e / sum)}, {1, float(e / sum)}, {2, float(1 / sum)}, {3, float(std::exp(-2.0) / sum)}});
    // Only the latest token counts with a window of 1: 1, 1, 0, -1.
    s.repeatLastN = 1;
    const double sum1 = 2 * e + 1 + std::exp(-1.0);
    expectDistribution(Sampler(s).distribution(logits, std::vector<TokenId>{3, 0}),
                       {{0, float(e / sum1)}, {1, float(e / sum1)}, {2, float(1 / sum1)}, {3, float(std::exp(-1.0) / sum1)}});
}

TEST(Sampler, NonFiniteLogitsAreImpossible) {
    const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
    Sampler sampler(plain());
    expectDistribution(sampler.distribution(std::vector<float>{-inf, 1.0f, nan, 1.0f}, {}), {{1, 0.5f}, {3, 0.5f}});
    expectDistribution(sampler.distribution(std::vector<float>{-inf, -inf}, {}), {{0, 1.0f}});
    EXPECT_TRUE(sampler.distribution({}, {}).empty());
    EXPECT_EQ(sampler.sample({}, {}), -1);
}

TEST(Sampler, DrawsFollowTheDistribution) {
    SamplerSettings s = plain();
    s.seed = 1234;
    Sampler sampler(s);
    const std::vector<float> logits = fourTokens();
    std::vector<int> counts(4, 0);
    constexpr int kDraws = 20000;
    for (int i = 0; i < kDraws; ++i) {
        const TokenId id = sampler.sample(logits, {});
        ASSERT_GE(id, 0);
        ASSERT_LT(id, 4);
        ++counts[size_t(id)];
    }
    // Four standard deviations of a binomial proportion at p = 0.5 over 20000 draws: 0.014.
    const double expected[] = {0.5, 0.3, 0.15, 0.05};
    for (size_t i = 0; i < 4; ++i)
        EXPECT_NEAR(double(counts[i]) / kDraws, expected[i], 0.014) << "token " << i;
}

TEST(Sampler, TheSeedRepeatsTheDraws) {
    SamplerSettings s = plain();
    s.seed = 7;
    Sampler a(s), b(s);
    s.seed = 8;
    Sampler c(s);
    const std::vector<float> logits = fourTokens();
    std::vector<TokenId> drawsA, drawsB, drawsC;
    for (int i = 0; i < 64; ++i) {
        drawsA.push_back(a.sample(logits, {}));
        drawsB.push_back(b.sample(logits, {}));
        drawsC.push_back(c.sample(logits, {}));
    }
    EXPECT_EQ(drawsA, drawsB);
    EXPECT_NE(drawsA, drawsC);
    a.reseed(7);
    std::vector<TokenId> again;
    for (int i = 0; i < 64; ++i)
        again.push_back(a.sample(logits, {}));
    EXPECT_EQ(again, drawsB);
}
