#include "infer/forward_pass.h"

#include "infer/exp_approx.h"
#include "infer/rope.h"
#include "infer/transformer_ops.h"
#include "tensor/dequantize.h"

#include <new>
#include <string>

namespace matryx {

namespace {

void addBias(float* rows, int64_t count, int64_t stride, const std::vector<float>& bias) {
    if (bias.empty()) return;
    for (int64_t t = 0; t < count; ++t)
        addInPlace(rows + t * stride, bias.data(), int64_t(bias.size()));
}

RopeParams ropeParams(const ModelConfig& c, const ModelWeights& w, bool local) {
    RopeParams p;
    p.dims = c.ropeDims;
    p.order = c.ropeOrder;
    p.freqBase = local ? c.ropeFreqBaseSwa : c.ropeFreqBase;
    p.freqScale = local ? c.ropeFreqScaleSwa : c.ropeFreqScale;
    p.factors = w.ropeFactors.empty() ? nullptr : w.ropeFactors.data();
    return p;
}

bool gemma(const ModelConfig& c) { return c.arch == ModelArch::Gemma2 || c.arch == ModelArch::Gemma3; }

} // namespace

Result<ForwardPass> ForwardPass::create(const ModelConfig& config, const ModelWeights& weights, int64_t batch,
                                        int64_t contextSize, int threads) {
    ForwardPass pass(config, weights);
    pass.batch_ = batch;
    pass.threads_ = threads;
    pass.matmul_ = {threads, bestCpuKernelLevel()};
    const auto& c = config;
    try {
        pass.x_.resize(size_t(batch * c.embedding));
        pass.h_.resize(size_t(batch * std::max(c.embedding, c.heads * c.headDimV)));
        pass.q_.resize(size_t(batch * c.heads * c.headDimK));
        pass.k_.resize(size_t(batch * c.kvHeads * c.headDimK));
        pass.v_.resize(size_t(batch * c.kvHeads * c.headDimV));
        pass.attn_.resize(size_t(batch * c.heads * c.headDimV));
        pass.o_.resize(size_t(batch * c.embedding));
        pass.gate_.resize(size_t(batch * c.feedForward));
        pass.up_.resize(size_t(batch * c.feedForward));
        pass.ropeGlobal_.resize(size_t(batch * c.ropeDims));
        pass.ropeLocal_.resize(size_t(batch * c.ropeDims));
        pass.attentionWorkspace_.reserve(threads, contextSize, c.headDimK);
    } catch (const std::bad_alloc&) {
        return makeError("<inference>", "batch", std::nullopt,
                         "not enough memory for a batch of " + std::to_string(batch) + " tokens");
    }
    return pass;
}

std::string layerWeightName(int64_t layer, std::string_view role) {
    return "blk." + std::to_string(layer) + "." + std::string(role) + ".weight";
}

void ForwardPass::observe(int64_t il, std::string_view role, const float* x, int64_t rows, int64_t columns) const {
    if (!observer_) return;
    const std::string name = il >= 0 ? layerWeightName(il, role) : std::string(role);
    observer_->observe(name, x, rows, columns, columns);
}

void ForwardPass::embed(const int32_t* tokens, int64_t count) {
    const MatrixView& e = weights_->tokenEmbedding;
    const DequantizeBlocksFn dequantize = dequantizeBlocksFunction(e.type);
    const int64_t blocks = e.rowLength / int64_t(typeTraits(e.type).blockSize);
    for (int64_t t = 0; t < count; ++t) {
        float* row = x_.data() + t * config_->embedding;
        dequantize(e.data + size_t(tokens[t]) * e.rowBytes(), row, blocks);
        if (config_->embeddingScale != 1.0f) scaleInPlace(row, config_->embedding, config_->embeddingScale);
    }
}

void ForwardPass::ropeTables(int64_t count, int64_t first) {
    const auto& c = *config_;
    const RopeParams global = ropeParams(c, *weights_, false);
    const RopeParams local = ropeParams(c, *weights_, true);
    for (int64_t t = 0; t < count; ++t) {
        ropeAngles(global, first + t, ropeGlobal_.data() + t * c.ropeDims);
        if (c.slidingWindow > 0) ropeAngles(local, first + t, ropeLocal_.data() + t * c.ropeDims);
    }
}

// Rows [rowsFrom, count) continue past attention: all of them, or only the last when only its
// logits are wanted in the last layer (keys and values are stored for every row either way).
void ForwardPass::attentionBlock(int64_t il, int64_t count, int64_t first, int64_t rowsFrom, KvCache& cache) {
    const auto& c = *config_;
    const LayerWeights& w = weights_->layers[size_t(il)];
    const int64_t qw = c.heads * c.headDimK, kw = c.kvHeads * c.headDimK, vw = c.kvHeads * c.headDimV;
    const bool local = c.slidingLayers[size_t(il)];

    for (int64_t t = 0; t < count; ++t)
        rmsNorm(x_.data() + t * c.embedding, w.attnNorm.data(), h_.data() + t * c.embedding, c.embedding,
                c.rmsEpsilon);
    for (const char* role : {"attn_q", "attn_k", "attn_v"})
        observe(il, role, h_.data(), count, c.embedding);
    const MatmulTarget qkv[] = {{w.q, q_.data(), qw}, {w.k, k_.data(), kw}, {w.v, v_.data(), vw}};
    multiply(qkv, h_.data(), c.embedding, count, c.embedding, matmulWorkspace_, matmul_);
    addBias(q_.data(), count, qw, w.qBias);
    addBias(k_.data(), count, kw, w.kBias);
    addBias(v_.data(), count, vw, w.vBias);

    const RopeParams rope = ropeParams(c, *weights_, local);
    const std::vector<float>& table = local ? ropeLocal_ : ropeGlobal_;
    for (int64_t t = 0; t < count; ++t) {
        float* qt = q_.data() + t * qw;
        float* kt = k_.data() + t * kw;
        if (c.qkNorm) {
            for (int64_t h = 0; h < c.heads; ++h)
                rmsNorm(qt + h * c.headDimK, w.qNorm.data(), qt + h * c.headDimK, c.headDimK, c.rmsEpsilon);
            for (int64_t h = 0; h < c.kvHeads; ++h)
                rmsNorm(kt + h * c.headDimK, w.kNorm.data(), kt + h * c.headDimK, c.headDimK, c.rmsEpsilon);
        }
        applyRope(rope, table.data() + t * c.ropeDims, qt, c.heads, c.headDimK);
        applyRope(rope, table.data() + t * c.ropeDims, kt, c.kvHeads, c.headDimK);
        // Gemma scales the queries themselves; the others scale the scores in the softmax.
        if (gemma(c)) scaleInPlace(qt, qw, c.queryScale);
        cache.store(il, first + t, kt, v_.data() + t * vw);
    }

    AttentionShape shape{c.heads, c.kvHeads, c.headDimK, c.headDimV};
    shape.scoreScale = gemma(c) ? 1.0f : c.queryScale;
    shape.softcap = c.attnSoftcap;
    shape.window = local ? c.slidingWindow : 0;
    shape.batched = count > 1;
    const int64_t rows = count - rowsFrom;
    const int64_t aw = c.heads * c.headDimV;
    attend(shape, q_.data() + rowsFrom * qw, qw, cache, il, first + rowsFrom, rows, attn_.data(), aw,
           attentionWorkspace_, threads_);

    observe(il, "attn_output", attn_.data(), rows, aw);
    multiply(w.o, o_.data(), c.embedding, attn_.data(), rows, aw, matmulWorkspace_, matmul_);
    addBias(o_.data(), rows, c.embedding, w.oBias);
    for (int64_t t = 0; t < rows; ++t) {
        float* ot = o_.data() + t * c.embedding;
        if (c.postNorms) rmsNorm(ot, w.postAttnNorm.data(), ot, c.embedding, c.rmsEpsilon);
        // Row t of the output belongs to input row rowsFrom + t; keep the residual stream compact.
        float* xt = x_.data() + t * c.embedding;
        const float* source = x_.data() + (rowsFrom + t) * c.embedding;
        if (xt != source)
            for (int64_t i = 0; i < c.embedding; ++i)
                xt[i] = source[i];
        addInPlace(xt, ot, c.embedding);
    }
}

void ForwardPass::feedForwardBlock(int64_t il, int64_t rows) {
    const auto& c = *config_;
    const LayerWeights& w = weights_->layers[size_t(il)];
    for (int64_t t = 0; t < rows; ++t)
        rmsNorm(x_.data() + t * c.embedding, w.ffnNorm.data(), h_.data() + t * c.embedding, c.embedding,
                c.rmsEpsilon);
    observe(il, "ffn_gate", h_.data(), rows, c.embedding);
    observe(il, "ffn_up", h_.data(), rows, c.embedding);
    const MatmulTarget gateUp[] = {{w.gate, gate_.data(), c.feedForward}, {w.up, up_.data(), c.feedForward}};
    multiply(gateUp, h_.data(), c.embedding, rows, c.embedding, matmulWorkspace_, matmul_);
    addBias(gate_.data(), rows, c.feedForward, w.gateBias);
    addBias(up_.data(), rows, c.feedForward, w.upBias);
    for (int64_t t = 0; t < rows; ++t) {
        float* g = gate_.data() + t * c.feedForward;
        const float* u = up_.data() + t * c.feedForward;
        if (c.gelu)
            geglu(g, u, c.feedForward);
        else
            swigluApprox(g, u, c.feedForward);
    }
    observe(il, "ffn_down", gate_.data(), rows, c.feedForward);
    multiply(w.down, o_.data(), c.embedding, gate_.data(), rows, c.feedForward, matmulWorkspace_, matmul_);
    addBias(o_.data(), rows, c.embedding, w.downBias);
    for (int64_t t = 0; t < rows; ++t) {
        float* ot = o_.data() + t * c.embedding;
        if (c.postNorms) rmsNorm(ot, w.postFfnNorm.data(), ot, c.embedding, c.rmsEpsilon);
        addInPlace(x_.data() + t * c.embedding, ot, c.embedding);
    }
}

Status ForwardPass::run(const int32_t* tokens, int64_t count, int64_t first, bool allLogits, float* logits,
                        KvCache& cache, Progress& progress, double progressBase, double progressSpan) {
    const auto& c = *config_;
    embed(tokens, count);
    ropeTables(count, first);
    int64_t rows = count;
    for (int64_t il = 0; il < c.layers; ++il) {
        if (!progress.report(progressBase + progressSpan * double(il) / double(c.layers), "evaluating"))
            return cancelledError("<inference>");
        const bool last = il == c.layers - 1;
        const int64_t rowsFrom = last && !allLogits ? count - 1 : 0;
        attentionBlock(il, count, first, rowsFrom, cache);
        rows = count - rowsFrom;
        feedForwardBlock(il, rows);
    }
    for (int64_t t = 0; t < rows; ++t)
        rmsNorm(x_.data() + t * c.embedding, weights_->outputNorm.data(), h_.data() + t * c.embedding, c.embedding,
                c.rmsEpsilon);
    // A tied output reads the token embedding, and llama.cpp names the product after it.
    observe(-1, weights_->tiedOutput ? "token_embd.weight" : "output.weight", h_.data(), rows, c.embedding);
    multiply(weights_->output, logits, c.vocabulary, h_.data(), rows, c.embedding, matmulWorkspace_, matmul_);
    if (c.finalSoftcap > 0.0f) softcap(logits, rows * c.vocabulary, c.finalSoftcap);
    return {};
}

} // namespace matryx
