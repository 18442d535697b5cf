#include "infer/perplexity.h"

#include "infer/log_softmax.h"

#include <cmath>
#include <new>
#include <string>

namespace matryx {

double NllAccumulator::perplexity() const { return count > 0 ? std::exp(sum / double(count)) : 1.0; }

double NllAccumulator::uncertainty() const {
    if (count < 2) return 0.0;
    const double mean = sum / double(count);
    const double variance = sumSquares / double(count) - mean * mean;
    return variance > 0.0 ? std::exp(mean) * std::sqrt(variance / double(count - 1)) : 0.0;
}

Result<PerplexityResult> computePerplexity(InferenceSession& session, std::span<const TokenId> tokens,
                                           std::optional<TokenId> bos, const PerplexityOptions& options,
                                           Progress& progress, const PerplexityChunkCallback& onChunk,
                                           SavedLogitsWriter* save) {
    const std::string file = session.model().model().path.string();
    auto plan = planChunks(int64_t(tokens.size()), options.context, options.maxChunks);
    if (!plan) {
        Error e = std::move(plan).error();
        e.file = file;
        return e;
    }
    if (session.contextSize() < plan->context)
        return makeError(file, "context", std::nullopt,
                         "the session holds " + std::to_string(session.contextSize()) + " positions, a window needs " +
                             std::to_string(plan->context));

    PerplexityResult result;
    result.plan = *plan;
    result.textTokens = int64_t(tokens.size());
    NllAccumulator total;
    std::vector<uint16_t> savedRows;
    if (save) {
        try {
            savedRows.resize(size_t(plan->scoredPerChunk * savedRowWords(save->vocabulary())));
        } catch (const std::bad_alloc&) {
            return makeError(file, "logits", std::nullopt, "not enough memory to save the logits of a chunk");
        }
    }
    for (int64_t k = 0; k < plan->chunks; ++k) {
        const std::vector<TokenId> window = chunkTokens(tokens, *plan, k, bos);
        ChunkProgress chunkProgress(progress, k, plan->chunks);
        auto logits = evaluateChunk(session, window, *plan, chunkProgress);
        if (!logits) return std::move(logits).error();
        if (save && logits->vocabulary != save->vocabulary())
            return makeError(file, "vocabulary", std::nullopt, "the model's vocabulary differs from the logits file's");

        // The scored rows predict the tokens after them in the original text (window[i + 1] equals
        // tokens[start + i + 1] for every scored i, as the BOS only replaces position 0).
        const TokenId* next = tokens.data() + k * plan->context + plan->firstScored + 1;
        NllAccumulator chunk;
        const int64_t words = save ? savedRowWords(save->vocabulary()) : 0;
        for (int64_t i = 0; i < logits->rows; ++i) {
            double nll;
            if (save)
                nll = saveLogProbabilities(logits->row(i), next[i], std::span(savedRows).subspan(size_t(i * words),
                                                                                                   size_t(words)));
            else
                nll = -tokenLogProbability(logits->row(i), next[i]);
            chunk.add(nll);
            total.add(nll);
        }
        if (save)
            if (Status s = save->write(savedRows); !s) return std::move(s).error();
        result.chunks.push_back({chunk.sum / double(chunk.count), chunk.perplexity(), total.perplexity()});
        result.ppl = total.perplexity();
        result.uncertainty = total.uncertainty();
        result.scoredTokens = total.count;
        if (onChunk && !onChunk(k, result)) return cancelledError(file);
        if (progress.cancelled()) return cancelledError(file);
    }
    return result;
}

} // namespace matryx
