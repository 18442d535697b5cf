#pragma once

// One pass of a batch of tokens through every layer of a llama-family model: embedding lookup,
// per layer RMSNorm, projections (matmul.h, weights in their stored type), RoPE, KV cache store,
// attention, output projection, feed-forward (SwiGLU or GeGLU) and residuals, then the final norm
// and the output projection. Owns the scratch buffers for up to `batch` tokens; the KV cache and
// the weights belong to the caller (InferenceSession).

#include "base/error.h"
#include "base/progress.h"
#include "compute/matmul.h"
#include "infer/attention.h"
#include "infer/kv_cache.h"
#include "infer/matmul_observer.h"
#include "infer/model_config.h"
#include "infer/model_weights.h"

#include <cstdint>
#include <vector>

namespace matryx {

class ForwardPass {
public:
    // Allocates scratch for `batch` tokens; fails (as an Error) when memory runs out.
    static Result<ForwardPass> create(const ModelConfig& config, const ModelWeights& weights, int64_t batch,
                                      int64_t contextSize, int threads);

    int64_t batch() const noexcept { return batch_; }

    // Shows the input of every matrix product to `observer` (null: to nobody, the default) until
    // set again. The observer is the caller's and must outlive the passes it watches.
    void setObserver(MatmulObserver* observer) noexcept { observer_ = observer; }

    // Runs tokens[0..count) (count <= batch, ids already checked against the vocabulary) at
    // positions first.. first + count - 1, storing their keys and values in `cache`. Writes the
    // logits of every token (allLogits, count rows) or of the last one (one row) to `logits`.
    // Polls `progress` once per layer; returns a cancelled Error when it says stop (the cache then
    // holds partial entries for these positions, which later passes overwrite).
    Status run(const int32_t* tokens, int64_t count, int64_t first, bool allLogits, float* logits, KvCache& cache,
               Progress& progress, double progressBase, double progressSpan);

private:
    ForwardPass(const ModelConfig& config, const ModelWeights& weights) : config_(&config), weights_(&weights) {}

    void embed(const int32_t* tokens, int64_t count);
    void attentionBlock(int64_t il, int64_t count, int64_t first, int64_t rowsFrom, KvCache& cache);
    void feedForwardBlock(int64_t il, int64_t rows);
    void ropeTables(int64_t count, int64_t first);
    void observe(int64_t il, std::string_view role, const float* x, int64_t rows, int64_t columns) const;

    const ModelConfig* config_;
    const ModelWeights* weights_;
    int64_t batch_ = 0;
    int threads_ = 1;
    MatmulObserver* observer_ = nullptr;
    MatmulOptions matmul_;
    MatmulWorkspace matmulWorkspace_;
    AttentionWorkspace attentionWorkspace_;
    std::vector<float> x_, h_, q_, k_, v_, attn_, o_, gate_, up_;
    std::vector<float> ropeGlobal_, ropeLocal_;
};

} // namespace matryx
