#include "infer/model_weights.h"

#include "format/hf_name_map.h"
#include "tensor/dequantize.h"

#include <string>
#include <unordered_map>

namespace matryx {

namespace {

class WeightLoader {
public:
    WeightLoader(const Model& model, const ModelConfig& config) : model_(model), config_(config) {
        const bool gguf = model.format == ModelFormat::Gguf;
        for (const TensorInfo& t : model.tensors)
            byName_.emplace(gguf ? t.name : hfToGguf(t.name, config.archName), &t);
        // Hugging Face Gemma checkpoints store norm weights w where llama.cpp's GGUF stores 1 + w.
        normShift_ = !gguf && (config.arch == ModelArch::Gemma2 || config.arch == ModelArch::Gemma3) ? 1.0f : 0.0f;
    }

    Result<ModelWeights> load();

private:
    const TensorInfo* find(const std::string& name) const {
        const auto it = byName_.find(name);
        return it == byName_.end() ? nullptr : it->second;
    }
    Error missing(const std::string& name) const {
        return makeError(model_.path.string(), "tensor " + name, std::nullopt, "the model has no tensor " + name);
    }
    Error wrong(const TensorInfo& t, const std::string& message) const {
        return makeError(model_.path.string(), "tensor " + t.name, t.offset, message);
    }
    static std::string shapeText(const std::vector<int64_t>& shape);
    // `in` x `out` in ggml order: out rows of in values.
    Status matrix(const std::string& name, int64_t in, int64_t out, MatrixView& view, bool optional = false);
    Status vector(const std::string& name, int64_t length, std::vector<float>& values, bool optional,
                  float shift = 0.0f);
    Status layer(int il, LayerWeights& w);

    const Model& model_;
    const ModelConfig& config_;
    std::unordered_map<std::string, const TensorInfo*> byName_;
    float normShift_ = 0.0f;
};

std::string WeightLoader::shapeText(const std::vector<int64_t>& shape) {
    std::string text;
    for (size_t i = 0; i < shape.size(); ++i)
        text += (i ? " x " : "") + std::to_string(shape[i]);
    return text.empty() ? "a scalar" : text;
}

// Trailing dimensions of 1 are ignored, as ggml ignores them.
std::vector<int64_t> effectiveShape(const std::vector<int64_t>& shape) {
    std::vector<int64_t> s = shape;
    while (s.size() > 1 && s.back() == 1)
        s.pop_back();
    return s;
}

Status WeightLoader::matrix(const std::string& name, int64_t in, int64_t out, MatrixView& view, bool optional) {
    const TensorInfo* t = find(name);
    if (!t) {
        if (optional) return {};
        return missing(name);
    }
    if (effectiveShape(t->shape) != std::vector<int64_t>{in, out})
        return wrong(*t, "expected " + std::to_string(in) + " x " + std::to_string(out) + ", found " +
                             shapeText(t->shape));
    const auto bytes = bytesFor(t->type, t->elements());
    const std::span<const std::byte> data = model_.data(*t);
    if (!bytes || *bytes != t->bytes || data.size() != t->bytes)
        return wrong(*t, "tensor data does not match its shape and type");
    view = {t->type, data.data(), in, out};
    if (Status s = checkMatrixView(view); !s) return wrong(*t, s.error().message);
    return {};
}

Status WeightLoader::vector(const std::string& name, int64_t length, std::vector<float>& values, bool optional,
                            float shift) {
    const TensorInfo* t = find(name);
    if (!t) {
        if (optional) return {};
        return missing(name);
    }
    if (effectiveShape(t->shape) != std::vector<int64_t>{length})
        return wrong(*t, "expected " + std::to_string(length) + " values, found " + shapeText(t->shape));
    values.resize(size_t(length));
    if (Status s = dequantize(t->type, model_.data(*t), values); !s) return wrong(*t, s.error().message);
    if (shift != 0.0f)
        for (float& v : values)
            v += shift;
    return {};
}

#define MATRYX_CHECK(expr)                                                                                        \
    do {                                                                                                          \
        if (Status s_ = (expr); !s_) return std::move(s_).error();                                              \
    } while (0)

Status WeightLoader::layer(int il, LayerWeights& w) {
    const ModelConfig& c = config_;
    const std::string p = "blk." + std::to_string(il) + ".";
    const int64_t qOut = c.heads * c.headDimK, kOut = c.kvHeads * c.headDimK, vOut = c.kvHeads * c.headDimV;
    if (find(p + "attn_qkv.weight") && !find(p + "attn_q.weight"))
        return makeError(model_.path.string(), "tensor " + p + "attn_qkv.weight", std::nullopt,
                         "fused query-key-value projections are not supported");
    MATRYX_CHECK(vector(p + "attn_norm.weight", c.embedding, w.attnNorm, false, normShift_));
    MATRYX_CHECK(matrix(p + "attn_q.weight", c.embedding, qOut, w.q));
    MATRYX_CHECK(matrix(p + "attn_k.weight", c.embedding, kOut, w.k));
    MATRYX_CHECK(matrix(p + "attn_v.weight", c.embedding, vOut, w.v));
    MATRYX_CHECK(matrix(p + "attn_output.weight", c.heads * c.headDimV, c.embedding, w.o));
    MATRYX_CHECK(vector(p + "attn_q.bias", qOut, w.qBias, true));
    MATRYX_CHECK(vector(p + "attn_k.bias", kOut, w.kBias, true));
    MATRYX_CHECK(vector(p + "attn_v.bias", vOut, w.vBias, true));
    MATRYX_CHECK(vector(p + "attn_output.bias", c.embedding, w.oBias, true));
    if (c.qkNorm) {
        MATRYX_CHECK(vector(p + "attn_q_norm.weight", c.headDimK, w.qNorm, false, normShift_));
        MATRYX_CHECK(vector(p + "attn_k_norm.weight", c.headDimK, w.kNorm, false, normShift_));
    }
    if (c.postNorms) {
        MATRYX_CHECK(vector(p + "post_attention_norm.weight", c.embedding, w.postAttnNorm, false, normShift_));
        MATRYX_CHECK(vector(p + "post_ffw_norm.weight", c.embedding, w.postFfnNorm, false, normShift_));
    }
    MATRYX_CHECK(vector(p + "ffn_norm.weight", c.embedding, w.ffnNorm, false, normShift_));
    MATRYX_CHECK(matrix(p + "ffn_gate.weight", c.embedding, c.feedForward, w.gate));
    MATRYX_CHECK(matrix(p + "ffn_up.weight", c.embedding, c.feedForward, w.up));
    MATRYX_CHECK(matrix(p + "ffn_down.weight", c.feedForward, c.embedding, w.down));
    MATRYX_CHECK(vector(p + "ffn_gate.bias", c.feedForward, w.gateBias, true));
    MATRYX_CHECK(vector(p + "ffn_up.bias", c.feedForward, w.upBias, true));
    MATRYX_CHECK(vector(p + "ffn_down.bias", c.embedding, w.downBias, true));
    return {};
}

Result<ModelWeights> WeightLoader::load() {
    ModelWeights weights;
    const ModelConfig& c = config_;
    MATRYX_CHECK(matrix("token_embd.weight", c.embedding, c.vocabulary, weights.tokenEmbedding));
    MATRYX_CHECK(vector("output_norm.weight", c.embedding, weights.outputNorm, false, normShift_));
    // Gemma 2 always ties the output to the embedding; the others do when output.weight is absent.
    weights.tiedOutput = c.arch == ModelArch::Gemma2 || !find("output.weight");
    if (weights.tiedOutput)
        weights.output = weights.tokenEmbedding;
    else
        MATRYX_CHECK(matrix("output.weight", c.embedding, c.vocabulary, weights.output));
    MATRYX_CHECK(vector("rope_freqs.weight", c.ropeDims / 2, weights.ropeFactors, true));
    weights.layers.resize(size_t(c.layers));
    for (int il = 0; il < c.layers; ++il)
        MATRYX_CHECK(layer(il, weights.layers[size_t(il)]));
    return weights;
}

} // namespace

Result<ModelWeights> loadModelWeights(const Model& model, const ModelConfig& config) {
    return WeightLoader(model, config).load();
}

} // namespace matryx
