#pragma once

// Causal grouped-query attention over a KV cache, with the numerics of llama.cpp's CPU backend
// without flash attention, bit for bit: queries rounded to fp16 meet the fp16 keys, scores are
// soft-capped (Gemma 2) and scaled, exponentiated with ggml's vector exp (exp_approx.h) and summed
// in groups of 8 positions (aligned to position 0, as ggml's rows over the cache cells are) that
// add up in double; the weights, rounded to fp16, meet the fp16 values. Products run in ggml's
// order (f16_dot.h): its tiled order when the batch has several tokens, its vector dot product
// for a single token, with groups aligned to position 0 again. Query head h reads KV head
// h / (heads / kvHeads).

#include "compute/cpu_features.h"
#include "infer/kv_cache.h"

#include <cstdint>
#include <vector>

namespace matryx {

struct AttentionShape {
    int64_t heads = 0, kvHeads = 0, headDimK = 0, headDimV = 0;
    float scoreScale = 1.0f; // multiplies q·k inside the softmax
    float softcap = 0.0f;    // 0 = none; else scores become softcap * tanh(score / softcap) first
    int64_t window = 0;      // 0 = all earlier positions; else the last `window` positions only
    bool batched = false;    // the pass evaluates several tokens (picks the order of the products)
};

// Per-thread scratch for attend(); sized for a cache of `positions` positions.
class AttentionWorkspace {
public:
    void reserve(int threads, int64_t positions, int64_t headDim);

private:
    friend void attend(const AttentionShape&, const float*, int64_t, const KvCache&, int64_t, int64_t, int64_t,
                       float*, int64_t, AttentionWorkspace&, int, CpuKernelLevel);
    int64_t stride_ = 0; // floats per thread
    std::vector<float> scores_;
    std::vector<uint16_t> half_;
};

// For query rows t < count (row t at q + t * qStride, heads * headDimK values, already rotated)
// at positions firstPosition + t: out + t * outStride receives heads * headDimV values. The cache
// must hold keys and values of `layer` for every position up to firstPosition + count - 1.
// Work is split over `threads` OpenMP threads by (row, head).
void attend(const AttentionShape& shape, const float* q, int64_t qStride, const KvCache& cache, int64_t layer,
            int64_t firstPosition, int64_t count, float* out, int64_t outStride, AttentionWorkspace& workspace,
            int threads, CpuKernelLevel level = bestCpuKernelLevel());

} // namespace matryx
