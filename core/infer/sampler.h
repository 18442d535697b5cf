#pragma once

// Picks the next token from a row of logits, with llama.cpp's samplers and in the order of its
// default chain (common/sampling.cpp): repetition penalty, top-k, top-p, min-p, temperature, then
// a random draw from what is left. The filters look at the untempered distribution, as there;
// temperature only reshapes what survives them. A temperature of 0 (or below) is greedy: the
// highest logit after the penalty, the lowest id on ties, and no random number is drawn.
//
//   Sampler sampler({.temperature = 0.7f, .topK = 40, .seed = 42});
//   TokenId next = sampler.sample(logits.row(0), recentTokens);
//
// The random stream is Matryx's own (mt19937_64 from the seed), so a seed repeats Matryx's
// choices, not llama.cpp's.

#include "infer/vocabulary.h"

#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace matryx {

struct SamplerSettings {
    float temperature = 0.8f;   // <= 0: greedy
    int32_t topK = 40;          // keep the k most likely tokens; <= 0: off
    float topP = 0.95f;         // keep the most likely tokens until their mass reaches p; >= 1: off
    float minP = 0.05f;         // drop tokens less likely than minP times the most likely; <= 0: off
    float repeatPenalty = 1.0f; // divide positive (multiply negative) logits of recent tokens; 1: off
    int32_t repeatLastN = 64;   // how many of the latest tokens the penalty looks at; < 0: all
    uint64_t seed = 0;
};

// A token and its probability after every filter, most likely first.
struct TokenProbability {
    TokenId id = 0;
    float probability = 0.0f;
};

class Sampler {
public:
    explicit Sampler(const SamplerSettings& settings = {});

    const SamplerSettings& settings() const noexcept { return settings_; }

    // The distribution the next draw is made from: the penalty, filters and temperature applied
    // to `logits` (one per token id; `history` is every token so far, oldest first), renormalised,
    // most likely first (ties: lower id first). Greedy settings give the one chosen token with
    // probability 1. Non-finite logits count as impossible; if none is finite, token 0 is the one
    // candidate. Empty only for empty logits.
    std::vector<TokenProbability> distribution(std::span<const float> logits,
                                               std::span<const TokenId> history) const;

    // Draws from distribution() (greedy draws nothing). Returns -1 for empty logits.
    TokenId sample(std::span<const float> logits, std::span<const TokenId> history);

    // Restarts the random stream from `seed`.
    void reseed(uint64_t seed);

private:
    SamplerSettings settings_;
    std::mt19937_64 random_;
};

} // namespace matryx
