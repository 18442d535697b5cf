#pragma once

// One conversation with a model: a KV cache of contextSize positions and the scratch to run
// batches through the forward pass. evaluate() appends tokens (or rewrites the tail of the
// cache, for multi-turn reuse of a shared prefix) and returns logits. A session is used by one
// thread at a time; the model it shares may serve other sessions at once.

#include "base/error.h"
#include "base/progress.h"
#include "infer/forward_pass.h"
#include "infer/inference_model.h"
#include "infer/kv_cache.h"
#include "infer/vocabulary.h"

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace matryx {

struct SessionOptions {
    int64_t contextSize = 0; // positions; 0 = the trained context, at most 4096
    int threads = 0;         // 0 = every core
    int64_t batchSize = 512; // tokens per pass through the layers (llama.cpp's n_ubatch)
};

enum class LogitsMode {
    Last, // the logits of the last token only
    All,  // the logits of every token evaluated
};

struct Logits {
    int64_t vocabulary = 0;
    int64_t rows = 0;
    std::vector<float> values; // rows x vocabulary

    std::span<const float> row(int64_t i) const {
        return std::span(values).subspan(size_t(i * vocabulary), size_t(vocabulary));
    }
};

class InferenceSession {
public:
    // Allocates the KV cache and scratch; fails when memory runs out or the options are out of
    // range (contextSize above 2^24, batchSize below 1).
    static Result<InferenceSession> create(std::shared_ptr<const InferenceModel> model,
                                           const SessionOptions& options = {});

    // Evaluates tokens at positions startPosition, startPosition + 1, ...: positions before
    // startPosition are kept from earlier calls, later ones are replaced. Prompts are processed
    // batchSize tokens at a time with matrix-matrix products. Fails, leaving position() at
    // startPosition or where a cancel stopped it, when startPosition > position(), when a token
    // id is outside the vocabulary, when the context would overflow ("context full"), or when
    // `progress` is cancelled (checked once per layer; the error has cancelled = true).
    Result<Logits> evaluate(std::span<const TokenId> tokens, int64_t startPosition, LogitsMode mode,
                            Progress& progress = Progress::none());

    int64_t position() const noexcept { return position_; } // positions held in the cache
    int64_t contextSize() const noexcept { return cache_.positions(); }
    const InferenceModel& model() const noexcept { return *model_; }

    // Shows the input of every matrix product of later evaluate() calls to `observer` (null:
    // nobody). The observer is the caller's; it must outlive those calls or be unset before.
    void setMatmulObserver(MatmulObserver* observer) noexcept { pass_.setObserver(observer); }

    // Forgets positions from `positions` on (no effect if already shorter).
    void truncate(int64_t positions) noexcept;
    void reset() noexcept { position_ = 0; }

private:
    InferenceSession(std::shared_ptr<const InferenceModel> model, KvCache cache, ForwardPass pass)
        : model_(std::move(model)), cache_(std::move(cache)), pass_(std::move(pass)) {}

    std::shared_ptr<const InferenceModel> model_;
    KvCache cache_;
    ForwardPass pass_;
    int64_t position_ = 0;
};

} // namespace matryx
