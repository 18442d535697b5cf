#include "infer/evaluation_chunks.h"

#include <algorithm>
#include <string>

namespace matryx {

Result<ChunkPlan> planChunks(int64_t tokenCount, int64_t context, int64_t maxChunks) {
    if (context < 2 || context > (int64_t(1) << 24))
        return makeError("", "context", std::nullopt,
                         "the evaluation context must be between 2 and 16777216 tokens, is " + std::to_string(context));
    if (tokenCount < 2 * context)
        return makeError("", "text", std::nullopt,
                         "the text has " + std::to_string(tokenCount) + " tokens; a context of " +
                             std::to_string(context) + " needs at least " + std::to_string(2 * context));
    ChunkPlan plan;
    plan.context = context;
    plan.chunks = tokenCount / context;
    if (maxChunks > 0) plan.chunks = std::min(plan.chunks, maxChunks);
    plan.firstScored = context / 2;
    plan.scoredPerChunk = context - 1 - plan.firstScored;
    return plan;
}

std::vector<TokenId> chunkTokens(std::span<const TokenId> tokens, const ChunkPlan& plan, int64_t chunk,
                                 std::optional<TokenId> bos) {
    const auto begin = tokens.begin() + chunk * plan.context;
    std::vector<TokenId> window(begin, begin + plan.context);
    if (bos) window[0] = *bos;
    return window;
}

Result<Logits> evaluateChunk(InferenceSession& session, std::span<const TokenId> chunk, const ChunkPlan& plan,
                             Progress& progress) {
    session.reset();
    auto all = session.evaluate(chunk, 0, LogitsMode::All, progress);
    if (!all) return std::move(all).error();
    Logits scored;
    scored.vocabulary = all->vocabulary;
    scored.rows = plan.scoredPerChunk;
    const auto first = all->values.begin() + plan.firstScored * all->vocabulary;
    // The rows are moved down in place: the full chunk's buffer is not needed twice.
    scored.values = std::move(all->values);
    std::copy(first, first + scored.rows * scored.vocabulary, scored.values.begin());
    scored.values.resize(size_t(scored.rows * scored.vocabulary));
    return scored;
}

std::optional<TokenId> chunkBos(const Vocabulary& vocabulary) {
    if (vocabulary.addBos && vocabulary.bos) return vocabulary.bos;
    return std::nullopt;
}

void ChunkProgress::onReport(double fraction, std::string_view stage) {
    const double done = (double(chunk_) + (double(step_) + fraction) / double(steps_)) / double(chunks_);
    if (!outer_.report(done, stage)) cancel();
}

} // namespace matryx
