#pragma once

// How llama-perplexity cuts a tokenized text into windows and which tokens it scores, shared by
// perplexity and KL divergence so that both score exactly the tokens llama.cpp scores:
//
// - the text is tokenized once, with BOS first when the vocabulary adds one, and needs at least
//   2 x context tokens;
// - chunk k holds tokens [k*context, (k+1)*context); a trailing part shorter than a window is
//   dropped; each chunk starts from an empty cache, and its first token is replaced by BOS when
//   the vocabulary adds one;
// - only the second half is scored: the logits at positions context/2 ... context-2 predict
//   the tokens after them, context - 1 - context/2 tokens per chunk.

#include "base/error.h"
#include "base/progress.h"
#include "infer/inference_session.h"
#include "infer/vocabulary.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace matryx {

struct ChunkPlan {
    int64_t context = 0;        // tokens per window
    int64_t chunks = 0;         // windows evaluated
    int64_t firstScored = 0;    // position of the first logits row scored: context / 2
    int64_t scoredPerChunk = 0; // context - 1 - firstScored

    int64_t scoredTokens() const noexcept { return chunks * scoredPerChunk; }
};

// The windows for `tokenCount` tokens. maxChunks <= 0 takes every full window. Fails when the
// context is below 2 or above 2^24, or when the text has fewer than 2 x context tokens (the
// message says how many it has and needs).
Result<ChunkPlan> planChunks(int64_t tokenCount, int64_t context, int64_t maxChunks);

// The tokens chunk `chunk` evaluates: its window, the first one replaced by `bos` when given.
std::vector<TokenId> chunkTokens(std::span<const TokenId> tokens, const ChunkPlan& plan, int64_t chunk,
                                 std::optional<TokenId> bos);

// Clears `session` and evaluates one chunk's tokens (as chunkTokens gives them); returns the
// logits rows firstScored ... context - 2, scoredPerChunk rows. The session's context must hold
// plan.context tokens. Fails as InferenceSession::evaluate fails (cancel included).
Result<Logits> evaluateChunk(InferenceSession& session, std::span<const TokenId> chunk, const ChunkPlan& plan,
                             Progress& progress);

// The BOS to put at the start of each chunk: the vocabulary's when it adds one, else none.
std::optional<TokenId> chunkBos(const Vocabulary& vocabulary);

// Forwards reports of work on one chunk to `outer` as a fraction of the whole job, and a cancel
// of `outer` to whatever polls this one.
class ChunkProgress : public Progress {
public:
    ChunkProgress(Progress& outer, int64_t chunk, int64_t chunks, int64_t steps = 1, int64_t step = 0)
        : outer_(outer), chunk_(chunk), chunks_(chunks), steps_(steps), step_(step) {}

protected:
    void onReport(double fraction, std::string_view stage) override;

private:
    Progress& outer_;
    int64_t chunk_, chunks_, steps_, step_;
};

} // namespace matryx
