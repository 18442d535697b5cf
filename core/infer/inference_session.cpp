#include "infer/inference_session.h"

#include <algorithm>
#include <new>
#include <string>
#include <thread>

namespace matryx {

Result<InferenceSession> InferenceSession::create(std::shared_ptr<const InferenceModel> model,
                                                  const SessionOptions& options) {
    const ModelConfig& c = model->config();
    const std::string file = model->model().path.string();
    int64_t context = options.contextSize;
    if (context == 0) context = c.trainedContext > 0 ? std::min<int64_t>(c.trainedContext, 4096) : 4096;
    if (context < 1 || context > (int64_t(1) << 24))
        return makeError(file, "context size", std::nullopt,
                         "context size must be between 1 and 16777216, is " + std::to_string(context));
    if (options.batchSize < 1 || options.batchSize > 65536)
        return makeError(file, "batch size", std::nullopt,
                         "batch size must be between 1 and 65536, is " + std::to_string(options.batchSize));
    const int threads = options.threads > 0 ? options.threads : int(std::max(1u, std::thread::hardware_concurrency()));
    auto cache = KvCache::create(c.layers, context, c.kvHeads * c.headDimK, c.kvHeads * c.headDimV);
    if (!cache) return std::move(cache).error();
    auto pass = ForwardPass::create(c, model->weights(), std::min(options.batchSize, context), context, threads);
    if (!pass) return std::move(pass).error();
    return InferenceSession(std::move(model), std::move(*cache), std::move(*pass));
}

void InferenceSession::truncate(int64_t positions) noexcept { position_ = std::clamp<int64_t>(positions, 0, position_); }

Result<Logits> InferenceSession::evaluate(std::span<const TokenId> tokens, int64_t startPosition, LogitsMode mode,
                                          Progress& progress) {
    const ModelConfig& c = model_->config();
    const std::string file = model_->model().path.string();
    if (startPosition < 0 || startPosition > position_)
        return makeError(file, "start position", std::nullopt,
                         "cannot start at position " + std::to_string(startPosition) + ": the cache holds " +
                             std::to_string(position_) + " positions");
    if (tokens.empty()) return makeError(file, "tokens", std::nullopt, "no tokens to evaluate");
    const int64_t count = int64_t(tokens.size());
    if (startPosition + count > contextSize())
        return makeError(file, "tokens", std::nullopt,
                         "context full: " + std::to_string(startPosition + count) + " positions needed, the context holds " +
                             std::to_string(contextSize()));
    for (size_t i = 0; i < tokens.size(); ++i)
        if (tokens[i] < 0 || tokens[i] >= c.vocabulary)
            return makeError(file, "tokens[" + std::to_string(i) + "]", std::nullopt,
                             "token id " + std::to_string(tokens[i]) + " is outside the vocabulary of " +
                                 std::to_string(c.vocabulary));
    position_ = startPosition;

    Logits logits;
    logits.vocabulary = c.vocabulary;
    logits.rows = mode == LogitsMode::All ? count : 1;
    try {
        logits.values.resize(size_t(logits.rows * c.vocabulary));
    } catch (const std::bad_alloc&) {
        return makeError(file, "logits", std::nullopt, "not enough memory for the logits of " + std::to_string(count) +
                                                           " tokens");
    }
    const int64_t batch = pass_.batch();
    for (int64_t done = 0; done < count; done += batch) {
        const int64_t n = std::min(batch, count - done);
        // In Last mode each batch writes its last row to the same place; the final batch's stays.
        const bool all = mode == LogitsMode::All;
        float* out = all ? logits.values.data() + done * c.vocabulary : logits.values.data();
        if (Status s = pass_.run(tokens.data() + done, n, position_, all, out, cache_, progress,
                                 double(done) / double(count), double(n) / double(count));
            !s) {
            Error e = std::move(s).error();
            e.file = file;
            return e;
        }
        position_ += n;
    }
    progress.report(1.0, "evaluated");
    return logits;
}

} // namespace matryx
