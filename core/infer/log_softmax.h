#pragma once

// Log-probabilities of one row of logits, computed as llama.cpp's llama-perplexity computes them
// (the maximum subtracted before exp, the sum of exps in double), and the 16-bit form in which
// llama-perplexity --kl-divergence-base saves a row:
//
//   float scale, float minLogProb, uint16 q[vocabulary], one uint16 of padding when odd
//   log p(i) = scale * q[i] + minLogProb
//
// The range covered is the 16 nats below the most likely token (logits further down all read as
// the bottom of that range), split in 65535 steps.

#include "infer/vocabulary.h"

#include <cstdint>
#include <span>

namespace matryx {

struct RowSoftmax {
    float maxLogit = 0.0f;
    int64_t argmax = 0;    // the first index holding maxLogit
    double sumExp = 0.0;   // sum of exp(logit - maxLogit), at least 1
};

// The maximum and the normalizer of a non-empty row.
RowSoftmax rowSoftmax(std::span<const float> logits);

// ln p(token) = logit - max - ln(sum of exps), in double as llama-perplexity scores text.
// The row must not be empty and token must index it.
double tokenLogProbability(std::span<const float> logits, TokenId token);

// uint16 words of one saved row for a vocabulary: two floats, the values, padding to an even count.
int64_t savedRowWords(int64_t vocabulary);

// Writes the saved form of `logits` into `row` (savedRowWords(logits.size()) words) and returns
// the negative log-probability of `token` (from the float logits, not the rounded values).
double saveLogProbabilities(std::span<const float> logits, TokenId token, std::span<uint16_t> row);

// The scale and offset at the head of a saved row; the values follow at word 4.
struct SavedRowHeader {
    float scale = 0.0f;
    float minLogProb = 0.0f;
};
SavedRowHeader savedRowHeader(std::span<const uint16_t> row);

} // namespace matryx
