#include "infer/attention.h"

#include "compute/f16_dot.h"
#include "infer/exp_approx.h"
#include "tensor/float_convert.h"

#include <omp.h>

#include <algorithm>
#include <cmath>

namespace matryx {

namespace {

// Groups of the value product start at a multiple of this many positions: ggml's products run
// over every cache cell from 0, so a window's first group may hold earlier (masked, zero) cells.
constexpr int64_t kAlign = 32;

// Replaces scores (positions first .. first + n - 1) by exp(score - max) and returns their sum
// the way ggml sums a softmax row: groups of 8 cells from cell 0 (cells outside count 0), each
// group's lanes added pairwise, the groups in double.
double exponentiate(float* scores, int64_t first, int64_t n, float max) {
    expApprox(scores, scores, n, max);
    double sum = 0.0;
    for (int64_t group = first / 8 * 8; group < first + n; group += 8) {
        float l[8];
        for (int64_t i = 0; i < 8; ++i) {
            const int64_t cell = group + i;
            l[i] = cell >= first && cell < first + n ? scores[cell - first] : 0.0f;
        }
        sum += double(((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7])));
    }
    return sum;
}

} // namespace

void AttentionWorkspace::reserve(int threads, int64_t positions, int64_t headDim) {
    // Per thread: the scores (f32), then the fp16 query and the fp16 weights packed in halves.
    stride_ = positions + kAlign + 16;
    const size_t need = size_t(std::max(threads, 1)) * size_t(stride_);
    if (scores_.size() < need) scores_.resize(need);
    const size_t halfNeed = size_t(std::max(threads, 1)) * size_t(stride_ + headDim + 16);
    if (half_.size() < halfNeed) half_.resize(halfNeed);
}

void attend(const AttentionShape& shape, const float* q, int64_t qStride, const KvCache& cache, int64_t layer,
            int64_t firstPosition, int64_t count, float* out, int64_t outStride, AttentionWorkspace& ws,
            int threads, CpuKernelLevel level) {
    threads = std::max(threads, 1);
    ws.reserve(threads, cache.positions(), shape.headDimK);
    const int64_t group = shape.heads / shape.kvHeads;
    const int64_t items = count * shape.heads;
    const size_t halfStride = size_t(ws.stride_ + shape.headDimK + 16);
    const size_t valueStride = size_t(cache.positions());
    const F16DotOrder order = shape.batched ? F16DotOrder::Blocked : F16DotOrder::Interleaved;

#pragma omp parallel for num_threads(threads) schedule(dynamic, 1) if (threads > 1 && items > 1)
    for (int64_t item = 0; item < items; ++item) {
        const int64_t t = item / shape.heads, h = item % shape.heads, g = h / group;
        const int64_t position = firstPosition + t;
        const int64_t first = shape.window > 0 ? std::max<int64_t>(0, position - shape.window + 1) : 0;
        const int64_t n = position - first + 1;
        const int thread = omp_get_thread_num();
        float* scores = ws.scores_.data() + size_t(thread) * size_t(ws.stride_);
        uint16_t* q16 = ws.half_.data() + size_t(thread) * halfStride;
        uint16_t* weights16 = q16 + shape.headDimK + 16;

        const float* qh = q + t * qStride + h * shape.headDimK;
        for (int64_t i = 0; i < shape.headDimK; ++i)
            q16[i] = f32ToFp16(qh[i]);
        // Keys of KV head g at consecutive positions are keyWidth apart.
        dotF16Rows(q16, cache.keys(layer, first) + g * shape.headDimK, size_t(cache.keyWidth()), n, shape.headDimK,
                   scores, order, false, level);

        if (shape.softcap > 0.0f) {
            const float inverse = 1.0f / shape.softcap;
            for (int64_t j = 0; j < n; ++j)
                scores[j] = std::tanh(scores[j] * inverse) * shape.softcap;
        }
        float max = -INFINITY;
        for (int64_t j = 0; j < n; ++j) {
            scores[j] *= shape.scoreScale;
            max = std::max(max, scores[j]);
        }
        const float inverseSum = float(1.0 / exponentiate(scores, first, n, max));

        // The value product starts at an aligned position; the weights before `first` are zero.
        const int64_t start = first / kAlign * kAlign;
        std::fill(weights16, weights16 + (first - start), uint16_t(0));
        for (int64_t j = 0; j < n; ++j)
            weights16[first - start + j] = f32ToFp16(scores[j] * inverseSum);

        float* oh = out + t * outStride + h * shape.headDimV;
        dotF16Rows(weights16, cache.values(layer, g * shape.headDimV) + start, valueStride, shape.headDimV,
                   position + 1 - start, oh, order, true, level);
    }
}

} // namespace matryx
