#pragma once

// Perplexity of a model over a tokenized text, windowed and scored as llama.cpp's
// llama-perplexity does (evaluation_chunks.h): PPL = exp(mean negative log-likelihood of the
// scored tokens), and its uncertainty as llama.cpp estimates it, PPL x the standard error of the
// mean NLL, sqrt((mean(nll^2) - mean(nll)^2) / (count - 1)).
//
//   auto result = computePerplexity(session, tokens, chunkBos(vocabulary), {.context = 512});
//   // result->ppl, result->uncertainty, result->chunks[k].runningPpl ("[k]" in llama.cpp's log)

#include "base/error.h"
#include "base/progress.h"
#include "infer/evaluation_chunks.h"
#include "infer/inference_session.h"
#include "infer/saved_logits.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace matryx {

// Running sums of negative log-likelihoods.
struct NllAccumulator {
    double sum = 0.0;
    double sumSquares = 0.0;
    int64_t count = 0;

    void add(double nll) {
        sum += nll;
        sumSquares += nll * nll;
        ++count;
    }
    double perplexity() const;  // exp(mean); 1 when empty
    // PPL x standard error of the mean NLL; 0 with fewer than two values or no spread.
    double uncertainty() const;
};

struct PerplexityChunk {
    double nll = 0.0;        // mean NLL of this chunk's scored tokens
    double ppl = 0.0;        // exp(nll) of this chunk alone
    double runningPpl = 0.0; // over every chunk so far, as llama-perplexity prints "[k]value"
};

struct PerplexityResult {
    double ppl = 0.0;
    double uncertainty = 0.0;
    int64_t scoredTokens = 0;
    int64_t textTokens = 0; // tokens of the whole text
    ChunkPlan plan;
    std::vector<PerplexityChunk> chunks;
};

struct PerplexityOptions {
    int64_t context = 512;  // tokens per window (llama-perplexity's -c)
    int64_t maxChunks = 0;  // 0: every full window (--chunks)
};

// Called after each chunk with its index and the result so far; return false to stop (the
// call then fails with a cancelled error).
using PerplexityChunkCallback = std::function<bool(int64_t chunk, const PerplexityResult& sofar)>;

// Evaluates every chunk on `session` (whose context must hold options.context tokens; it is
// reset). `bos` replaces each chunk's first token (chunkBos). When `save` is given, the
// log-probabilities of the scored rows go to it as llama-perplexity --kl-divergence-base writes
// them (its header written first). Fails on a text too short for two windows, on a session
// error, on a write error, or when `progress` is cancelled or `onChunk` answers false.
Result<PerplexityResult> computePerplexity(InferenceSession& session, std::span<const TokenId> tokens,
                                           std::optional<TokenId> bos, const PerplexityOptions& options,
                                           Progress& progress = Progress::none(),
                                           const PerplexityChunkCallback& onChunk = {},
                                           SavedLogitsWriter* save = nullptr);

} // namespace matryx
