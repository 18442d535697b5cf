#include "infer/kld_statistics.h"

#include "infer/log_softmax.h"

#include <algorithm>
#include <cmath>

namespace matryx {

MeanWithError meanAndUncertainty(double sum, double sumSquares, int64_t count) {
    if (count < 1) return {};
    const double mean = sum / double(count);
    const double variance = sumSquares / double(count) - mean * mean;
    return {mean, variance > 0.0 && count > 10 ? std::sqrt(variance / double(count - 1)) : 0.0};
}

float percentileOfSorted(std::span<const float> sorted, float fraction) {
    if (fraction <= 0.0f) return sorted.front();
    if (fraction >= 1.0f) return sorted.back();
    float position = fraction * float(sorted.size() - 1);
    const size_t below = size_t(position);
    position -= float(below);
    return (1.0f - position) * sorted[below] + position * sorted[std::min(below + 1, sorted.size() - 1)];
}

float medianOfSorted(std::span<const float> sorted) {
    const size_t n = sorted.size();
    return n % 2 == 0 ? 0.5f * (sorted[n / 2] + sorted[n / 2 - 1]) : sorted[n / 2];
}

KldToken KldAccumulator::add(std::span<const float> logits, std::span<const uint16_t> referenceRow, TokenId next) {
    const RowSoftmax model = rowSoftmax(logits);
    const float logNormalizer = model.maxLogit + float(std::log(model.sumExp));
    const SavedRowHeader ref = savedRowHeader(referenceRow);
    const uint16_t* q = referenceRow.data() + 4;

    const float nll = logNormalizer - logits[size_t(next)];
    const float nllRef = -(ref.scale * float(q[next]) + ref.minLogProb);
    sumNll += nll;
    sumNll2 += double(nll) * nll;
    sumNllRef += nllRef;
    sumNllRef2 += double(nllRef) * nllRef;
    sumNllNllRef += double(nll) * nllRef;

    double kld = 0.0;
    size_t refTop = 0;
    float refTopLogProb = 0.0f;
    for (size_t i = 0; i < logits.size(); ++i) {
        const float logProbRef = ref.scale * float(q[i]) + ref.minLogProb;
        if (i == 0 || logProbRef > refTopLogProb) {
            refTopLogProb = logProbRef;
            refTop = i;
        }
        // Tokens the saved form put at the bottom of its 16-nat range carry no information and
        // almost no mass; llama.cpp leaves them out, and so must we to report its numbers.
        if (logProbRef > -16.0f) kld += double(std::exp(logProbRef) * (logProbRef - logits[i] + logNormalizer));
    }
    sumKld += kld;
    sumKld2 += kld * kld;
    if (int64_t(refTop) == model.argmax) ++sameTop;

    const float pDiff = std::exp(-nll) - std::exp(-nllRef);
    sumPDiff += pDiff;
    const double pDiff2 = double(pDiff) * pDiff;
    sumPDiff2 += pDiff2;
    sumPDiff4 += pDiff2 * pDiff2;
    maxAbsPDiff = std::max(maxAbsPDiff, std::fabs(pDiff));
    ++count_;
    return {kld, pDiff};
}

KldSummary summarize(const KldAccumulator& s) {
    KldSummary r;
    const int64_t n = s.count();
    r.tokens = n;
    if (n < 1) return r;
    const MeanWithError lnPpl = meanAndUncertainty(s.sumNll, s.sumNll2, n);
    const MeanWithError lnPplRef = meanAndUncertainty(s.sumNllRef, s.sumNllRef2, n);
    r.ppl = {std::exp(lnPpl.value), std::exp(lnPpl.value) * lnPpl.uncertainty};
    r.referencePpl = {std::exp(lnPplRef.value), std::exp(lnPplRef.value) * lnPplRef.uncertainty};
    // Covariance of the two mean estimates; llama.cpp takes it as 0 below 10 tokens.
    const double covariance =
        n < 10 ? 0.0 : (s.sumNllNllRef / double(n) - (s.sumNll / double(n)) * (s.sumNllRef / double(n))) / double(n - 1);
    const double denominator = lnPpl.uncertainty * lnPplRef.uncertainty;
    r.pplCorrelation = denominator > 0.0 ? covariance / denominator : 0.0;
    const double ratioVariance = lnPpl.uncertainty * lnPpl.uncertainty +
                                 lnPplRef.uncertainty * lnPplRef.uncertainty - 2.0 * covariance;
    r.lnPplRatio = {lnPpl.value - lnPplRef.value, std::sqrt(std::max(ratioVariance, 0.0))};
    r.kld = meanAndUncertainty(s.sumKld, s.sumKld2, n);
    r.meanPDiff = meanAndUncertainty(s.sumPDiff, s.sumPDiff2, n);
    const MeanWithError meanSquare = meanAndUncertainty(s.sumPDiff2, s.sumPDiff4, n);
    const double rms = std::sqrt(meanSquare.value);
    r.rmsPDiff = {rms, rms > 0.0 ? 0.5 / rms * meanSquare.uncertainty : 0.0};
    const double same = double(s.sameTop) / double(n);
    r.sameTop = {same, n > 1 ? std::sqrt(same * (1.0 - same) / double(n - 1)) : 0.0};
    r.maxAbsPDiff = s.maxAbsPDiff;
    return r;
}

Quantiles quantiles(std::vector<float>& values) {
    Quantiles q;
    if (values.empty()) return q;
    std::sort(values.begin(), values.end());
    const std::span<const float> v(values);
    q.max = v.back();
    q.p999 = percentileOfSorted(v, 0.999f);
    q.p99 = percentileOfSorted(v, 0.99f);
    q.p95 = percentileOfSorted(v, 0.95f);
    q.p90 = percentileOfSorted(v, 0.90f);
    q.p75 = percentileOfSorted(v, 0.75f);
    q.median = medianOfSorted(v);
    q.p25 = percentileOfSorted(v, 0.25f);
    q.p10 = percentileOfSorted(v, 0.10f);
    q.p5 = percentileOfSorted(v, 0.05f);
    q.p1 = percentileOfSorted(v, 0.01f);
    q.p01 = percentileOfSorted(v, 0.001f);
    q.min = v.front();
    return q;
}

} // namespace matryx
