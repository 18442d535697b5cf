#pragma once

// KL divergence of a model against a reference on the same tokens, as llama-perplexity
// --kl-divergence computes it (kld_statistics.h for the per-token arithmetic, evaluation_chunks.h
// for the windows). The reference is either a second model run live on the same text or a
// llama.cpp saved-logits file (saved_logits.h). Either way its log-probabilities are taken in
// the 16-bit saved form, so a live reference and a file saved from it give the same numbers.
//
//   auto ref = SavedLogits::open("base.kld");
//   auto result = computeKlDivergence(session, *ref, chunkBos(vocabulary), {});
//   // result->summary.kld.value, result->kldQuantiles.p99, result->summary.sameTop.value

#include "base/error.h"
#include "base/progress.h"
#include "infer/evaluation_chunks.h"
#include "infer/inference_session.h"
#include "infer/kld_statistics.h"
#include "infer/saved_logits.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace matryx {

struct KlDivergenceResult {
    ChunkPlan plan;
    KldSummary summary;         // over every scored token
    Quantiles kldQuantiles;     // of the per-token KL divergences
    Quantiles pDiffQuantiles;   // of the per-token Δp
    std::vector<KldSummary> chunks; // running summary after each chunk, as llama.cpp prints it
};

struct KlDivergenceOptions {
    int64_t context = 512; // tokens per window, for a live reference (a file brings its own)
    int64_t maxChunks = 0; // 0: every chunk
};

// Called after each chunk with its index and the result so far (quantiles not yet filled);
// return false to stop (the call then fails with a cancelled error).
using KldChunkCallback = std::function<bool(int64_t chunk, const KlDivergenceResult& sofar)>;

// Against a saved reference: the file's tokens and context, up to options.maxChunks chunks.
// `session`'s context must hold the file's context. Fails when the vocabulary sizes differ, on
// a session error, or when cancelled.
Result<KlDivergenceResult> computeKlDivergence(InferenceSession& session, const SavedLogits& reference,
                                               std::optional<TokenId> bos, const KlDivergenceOptions& options,
                                               Progress& progress = Progress::none(),
                                               const KldChunkCallback& onChunk = {});

// Against a reference model evaluated on the same tokens in its own session. When
// `saveReference` is given, the reference's rows are written to it as they are computed (create
// it for the same context, chunks and tokens; commit it after). Fails when the vocabulary sizes
// differ, on a text too short for two windows, on a session or write error, or when cancelled.
Result<KlDivergenceResult> computeKlDivergence(InferenceSession& session, InferenceSession& reference,
                                               std::span<const TokenId> tokens, std::optional<TokenId> bos,
                                               const KlDivergenceOptions& options,
                                               Progress& progress = Progress::none(),
                                               const KldChunkCallback& onChunk = {},
                                               SavedLogitsWriter* saveReference = nullptr);

} // namespace matryx
