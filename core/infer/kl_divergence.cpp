#include "infer/kl_divergence.h"

#include "infer/log_softmax.h"

#include <new>
#include <string>

namespace matryx {

namespace {

// Where the reference's saved rows for a chunk come from.
class ReferenceRows {
public:
    virtual ~ReferenceRows() = default;
    virtual int64_t steps() const = 0; // evaluations per chunk, for progress
    // Makes chunk k's rows available; `window` is what the model evaluates.
    virtual Status prepare(int64_t chunk, std::span<const TokenId> window, Progress& progress) = 0;
    virtual std::span<const uint16_t> row(int64_t chunk, int64_t r) const = 0;
};

class FileRows : public ReferenceRows {
public:
    explicit FileRows(const SavedLogits& file) : file_(file) {}
    int64_t steps() const override { return 1; }
    Status prepare(int64_t, std::span<const TokenId>, Progress&) override { return {}; }
    std::span<const uint16_t> row(int64_t chunk, int64_t r) const override { return file_.row(chunk, r); }

private:
    const SavedLogits& file_;
};

class LiveRows : public ReferenceRows {
public:
    LiveRows(InferenceSession& session, const ChunkPlan& plan, std::span<const TokenId> tokens,
             SavedLogitsWriter* save)
        : session_(session), plan_(plan), tokens_(tokens), save_(save),
          words_(savedRowWords(session.model().config().vocabulary)) {}

    int64_t steps() const override { return 2; }

    Status prepare(int64_t chunk, std::span<const TokenId> window, Progress& progress) override {
        ChunkProgress chunkProgress(progress, chunk, plan_.chunks, 2, 0);
        auto logits = evaluateChunk(session_, window, plan_, chunkProgress);
        if (!logits) return std::move(logits).error();
        try {
            rows_.resize(size_t(plan_.scoredPerChunk * words_));
        } catch (const std::bad_alloc&) {
            return makeError(session_.model().model().path.string(), "logits", std::nullopt,
                             "not enough memory for the reference's log-probabilities of a chunk");
        }
        const TokenId* next = tokens_.data() + chunk * plan_.context + plan_.firstScored + 1;
        for (int64_t i = 0; i < logits->rows; ++i)
            saveLogProbabilities(logits->row(i), next[i], std::span(rows_).subspan(size_t(i * words_), size_t(words_)));
        return save_ ? save_->write(rows_) : Status{};
    }

    std::span<const uint16_t> row(int64_t, int64_t r) const override {
        return std::span(rows_).subspan(size_t(r * words_), size_t(words_));
    }

private:
    InferenceSession& session_;
    const ChunkPlan& plan_;
    std::span<const TokenId> tokens_;
    SavedLogitsWriter* save_;
    int64_t words_;
    std::vector<uint16_t> rows_;
};

Result<KlDivergenceResult> run(InferenceSession& session, ReferenceRows& reference, std::span<const TokenId> tokens,
                               const ChunkPlan& plan, std::optional<TokenId> bos, Progress& progress,
                               const KldChunkCallback& onChunk) {
    const std::string file = session.model().model().path.string();
    if (session.contextSize() < plan.context)
        return makeError(file, "context", std::nullopt,
                         "the session holds " + std::to_string(session.contextSize()) + " positions, a window needs " +
                             std::to_string(plan.context));
    KlDivergenceResult result;
    result.plan = plan;
    KldAccumulator sums;
    std::vector<float> klds, pDiffs;
    try {
        klds.reserve(size_t(plan.scoredTokens()));
        pDiffs.reserve(size_t(plan.scoredTokens()));
    } catch (const std::bad_alloc&) {
        return makeError(file, "tokens", std::nullopt, "not enough memory for the per-token statistics");
    }
    const int64_t steps = reference.steps();
    for (int64_t k = 0; k < plan.chunks; ++k) {
        const std::vector<TokenId> window = chunkTokens(tokens, plan, k, bos);
        if (Status s = reference.prepare(k, window, progress); !s) return std::move(s).error();
        ChunkProgress chunkProgress(progress, k, plan.chunks, steps, steps - 1);
        auto logits = evaluateChunk(session, window, plan, chunkProgress);
        if (!logits) return std::move(logits).error();
        const TokenId* next = tokens.data() + k * plan.context + plan.firstScored + 1;
        for (int64_t i = 0; i < logits->rows; ++i) {
            const KldToken t = sums.add(logits->row(i), reference.row(k, i), next[i]);
            klds.push_back(float(t.kld));
            pDiffs.push_back(t.pDiff);
        }
        result.summary = summarize(sums);
        result.chunks.push_back(result.summary);
        if (onChunk && !onChunk(k, result)) return cancelledError(file);
        if (progress.cancelled()) return cancelledError(file);
    }
    result.kldQuantiles = quantiles(klds);
    result.pDiffQuantiles = quantiles(pDiffs);
    return result;
}

Error vocabularyMismatch(const std::string& file, int64_t model, int64_t reference) {
    return makeError(file, "vocabulary", std::nullopt,
                     "the model's vocabulary has " + std::to_string(model) + " tokens, the reference's " +
                         std::to_string(reference));
}

} // namespace

Result<KlDivergenceResult> computeKlDivergence(InferenceSession& session, const SavedLogits& reference,
                                               std::optional<TokenId> bos, const KlDivergenceOptions& options,
                                               Progress& progress, const KldChunkCallback& onChunk) {
    const int64_t vocabulary = session.model().config().vocabulary;
    if (vocabulary != reference.vocabulary()) return vocabularyMismatch(reference.name(), vocabulary, reference.vocabulary());
    ChunkPlan plan;
    plan.context = reference.context();
    plan.chunks = options.maxChunks > 0 ? std::min(options.maxChunks, reference.chunks()) : reference.chunks();
    plan.firstScored = plan.context / 2;
    plan.scoredPerChunk = reference.rowsPerChunk();
    FileRows rows(reference);
    return run(session, rows, reference.tokens(), plan, bos, progress, onChunk);
}

Result<KlDivergenceResult> computeKlDivergence(InferenceSession& session, InferenceSession& reference,
                                               std::span<const TokenId> tokens, std::optional<TokenId> bos,
                                               const KlDivergenceOptions& options, Progress& progress,
                                               const KldChunkCallback& onChunk, SavedLogitsWriter* saveReference) {
    const std::string file = session.model().model().path.string();
    const int64_t vocabulary = session.model().config().vocabulary;
    const int64_t refVocabulary = reference.model().config().vocabulary;
    if (vocabulary != refVocabulary) return vocabularyMismatch(file, vocabulary, refVocabulary);
    if (saveReference && saveReference->vocabulary() != vocabulary)
        return vocabularyMismatch(file, vocabulary, saveReference->vocabulary());
    auto plan = planChunks(int64_t(tokens.size()), options.context, options.maxChunks);
    if (!plan) {
        Error e = std::move(plan).error();
        e.file = file;
        return e;
    }
    if (reference.contextSize() < plan->context)
        return makeError(reference.model().model().path.string(), "context", std::nullopt,
                         "the reference's session holds " + std::to_string(reference.contextSize()) +
                             " positions, a window needs " + std::to_string(plan->context));
    LiveRows rows(reference, *plan, tokens, saveReference);
    return run(session, rows, tokens, *plan, bos, progress, onChunk);
}

} // namespace matryx
