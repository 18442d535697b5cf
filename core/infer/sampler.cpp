#include "infer/sampler.h"

#include <algorithm>
#include <cmath>

namespace matryx {

namespace {

struct Candidate {
    TokenId id;
    float logit;
};

bool moreLikely(const Candidate& a, const Candidate& b) {
    return a.logit > b.logit || (a.logit == b.logit && a.id < b.id);
}

// llama.cpp's repetition penalty: each distinct recent token once, whatever its count.
void penalize(std::vector<float>& logits, std::span<const TokenId> history, const SamplerSettings& s) {
    if (s.repeatPenalty == 1.0f || s.repeatLastN == 0 || history.empty()) return;
    const size_t n = s.repeatLastN < 0 ? history.size() : std::min(history.size(), size_t(s.repeatLastN));
    std::vector<TokenId> recent(history.end() - std::ptrdiff_t(n), history.end());
    std::sort(recent.begin(), recent.end());
    recent.erase(std::unique(recent.begin(), recent.end()), recent.end());
    for (const TokenId id : recent) {
        if (id < 0 || size_t(id) >= logits.size()) continue;
        float& l = logits[size_t(id)];
        l = l <= 0.0f ? l * s.repeatPenalty : l / s.repeatPenalty;
    }
}

// Keeps the most likely candidates until their probability mass (over the candidates given)
// reaches p, the one that crosses it included. `c` is sorted.
void topP(std::vector<Candidate>& c, float p) {
    const float max = c.front().logit;
    double total = 0.0;
    for (const Candidate& x : c)
        total += std::exp(double(x.logit - max));
    double mass = 0.0;
    for (size_t i = 0; i < c.size(); ++i) {
        mass += std::exp(double(c[i].logit - max)) / total;
        if (mass >= double(p)) {
            c.resize(i + 1);
            return;
        }
    }
}

} // namespace

Sampler::Sampler(const SamplerSettings& settings) : settings_(settings), random_(settings.seed) {}

void Sampler::reseed(uint64_t seed) {
    settings_.seed = seed;
    random_.seed(seed);
}

std::vector<TokenProbability> Sampler::distribution(std::span<const float> logits,
                                                    std::span<const TokenId> history) const {
    if (logits.empty()) return {};
    const SamplerSettings& s = settings_;
    std::vector<float> work(logits.begin(), logits.end());
    penalize(work, history, s);

    std::vector<Candidate> c;
    c.reserve(work.size());
    for (size_t i = 0; i < work.size(); ++i)
        if (std::isfinite(work[i])) c.push_back({TokenId(i), work[i]});
    if (c.empty()) return {{0, 1.0f}};

    if (s.temperature <= 0.0f) {
        const Candidate best = *std::min_element(c.begin(), c.end(), moreLikely);
        return {{best.id, 1.0f}};
    }

    bool sorted = false;
    if (s.topK > 0 && size_t(s.topK) < c.size()) {
        std::partial_sort(c.begin(), c.begin() + s.topK, c.end(), moreLikely);
        c.resize(size_t(s.topK));
        sorted = true;
    }
    if (s.topP < 1.0f) {
        if (!sorted) std::sort(c.begin(), c.end(), moreLikely);
        sorted = true;
        topP(c, s.topP);
    }
    if (s.minP > 0.0f) {
        // In logits: p_i >= minP * p_max  <=>  logit_i >= logit_max + log(minP).
        const float max = sorted ? c.front().logit : std::min_element(c.begin(), c.end(), moreLikely)->logit;
        const float threshold = max + std::log(s.minP);
        c.erase(std::remove_if(c.begin(), c.end(), [&](const Candidate& x) { return x.logit < threshold; }),
                c.end());
    }
    if (!sorted) std::sort(c.begin(), c.end(), moreLikely);

    const double max = double(c.front().logit) / double(s.temperature);
    std::vector<double> weights(c.size());
    double total = 0.0;
    for (size_t i = 0; i < c.size(); ++i) {
        weights[i] = std::exp(double(c[i].logit) / double(s.temperature) - max);
        total += weights[i];
    }
    std::vector<TokenProbability> out(c.size());
    for (size_t i = 0; i < c.size(); ++i)
        out[i] = {c[i].id, float(weights[i] / total)};
    return out;
}

TokenId Sampler::sample(std::span<const float> logits, std::span<const TokenId> history) {
    const std::vector<TokenProbability> candidates = distribution(logits, history);
    if (candidates.empty()) return -1;
    if (settings_.temperature <= 0.0f || candidates.size() == 1) return candidates.front().id;
    // 53 random bits give a uniform double in [0, 1) the same way on every standard library.
    const double u = double(random_() >> 11) * 0x1.0p-53;
    double mass = 0.0;
    for (const TokenProbability& c : candidates) {
        mass += double(c.probability);
        if (u < mass) return c.id;
    }
    return candidates.back().id;
}

} // namespace matryx
