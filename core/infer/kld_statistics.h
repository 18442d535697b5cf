#pragma once

// The statistics llama-perplexity --kl-divergence reports, token by token: the KL divergence
// from the reference's distribution to the model's, sum_i p_ref(i) (ln p_ref(i) - ln p(i)), over
// the reference tokens within 16 nats of its best one (the saved form, log_softmax.h); both
// models' NLL of the actual next token; Δp = p(next) - p_ref(next); whether both pick the same
// most likely token. Means come with llama.cpp's uncertainty, the standard error of the mean.

#include "infer/vocabulary.h"

#include <cstdint>
#include <span>
#include <vector>

namespace matryx {

struct MeanWithError {
    double value = 0.0;
    double uncertainty = 0.0;
};

// Mean of `count` values from their sum and sum of squares, with sqrt(variance / (count - 1)) as
// its uncertainty; llama.cpp gives 0 uncertainty for 10 values or fewer, and so does this.
MeanWithError meanAndUncertainty(double sum, double sumSquares, int64_t count);

// Linear interpolation between the two sorted values around fraction x (size - 1), computed in
// float as llama.cpp does; fraction <= 0 gives the first, >= 1 the last. `sorted` must not be empty.
float percentileOfSorted(std::span<const float> sorted, float fraction);
// The middle value, or the mean of the two middle ones. `sorted` must not be empty.
float medianOfSorted(std::span<const float> sorted);

struct KldToken {
    double kld = 0.0;
    float pDiff = 0.0f; // p(next) - p_ref(next)
};

// Running sums over scored tokens.
class KldAccumulator {
public:
    // Adds one token: the model's logits row, the reference's saved row (savedRowWords of the same
    // vocabulary) and the token that came next. Sizes must agree and `next` must index the row.
    KldToken add(std::span<const float> logits, std::span<const uint16_t> referenceRow, TokenId next);

    int64_t count() const noexcept { return count_; }

    double sumNll = 0.0, sumNll2 = 0.0;
    double sumNllRef = 0.0, sumNllRef2 = 0.0, sumNllNllRef = 0.0;
    double sumKld = 0.0, sumKld2 = 0.0;
    double sumPDiff = 0.0, sumPDiff2 = 0.0, sumPDiff4 = 0.0;
    float maxAbsPDiff = 0.0f;
    int64_t sameTop = 0;

private:
    int64_t count_ = 0;
};

// What the accumulated tokens say, as llama-perplexity prints it per chunk and at the end.
struct KldSummary {
    int64_t tokens = 0;
    MeanWithError ppl;          // the model's perplexity
    MeanWithError referencePpl; // the reference's
    MeanWithError lnPplRatio;   // ln(PPL / PPL_ref), its uncertainty with the covariance of both
    double pplCorrelation = 0.0; // of the two models' ln PPL estimates, in [-1, 1]
    MeanWithError kld;
    MeanWithError meanPDiff;
    MeanWithError rmsPDiff;
    MeanWithError sameTop;      // fraction of tokens where both models rank the same token first
    float maxAbsPDiff = 0.0f;
};
KldSummary summarize(const KldAccumulator& sums);

// The quantiles llama.cpp prints of a set of values (p75 and p25 only for Δp).
struct Quantiles {
    float max = 0, p999 = 0, p99 = 0, p95 = 0, p90 = 0, p75 = 0, median = 0, p25 = 0, p10 = 0, p5 = 0, p1 = 0,
          p01 = 0, min = 0;
};
// Sorts `values` and reads the quantiles off; all zero when empty.
Quantiles quantiles(std::vector<float>& values);

} // namespace matryx
