#include "infer/model_config.h"

#include "format/hf_name_map.h"

#include <cmath>
#include <optional>
#include <string>

namespace matryx {

namespace {

// Far above any released model, far below sizes whose products could overflow.
constexpr uint64_t kMaxDimension = uint64_t(1) << 20;
constexpr uint64_t kMaxLayers = 4096;
constexpr uint64_t kMaxHeads = 4096;

class ConfigReader {
public:
    explicit ConfigReader(const Model& model) : model_(model), file_(model.path.string()) {}

    Result<ModelConfig> read();

private:
    std::string key(const std::string& name) const { return config_.archName + "." + name; }
    Error error(const std::string& field, const std::string& message) const {
        return makeError(file_, field, std::nullopt, message);
    }
    // A required or defaulted positive integer no larger than `max`.
    Status integer(const std::string& name, int64_t& out, std::optional<uint64_t> fallback, uint64_t max);
    Status real(const std::string& name, float& out, std::optional<float> fallback);
    Status slidingPattern(uint64_t defaultPeriod);
    Status vocabulary();

    const Model& model_;
    std::string file_;
    ModelConfig config_;
};

Status ConfigReader::integer(const std::string& name, int64_t& out, std::optional<uint64_t> fallback, uint64_t max) {
    const std::string k = key(name);
    const MetaValue* value = model_.metadata.find(k);
    if (!value) {
        if (!fallback) return error(k, "missing");
        out = int64_t(*fallback);
        return {};
    }
    if (value->isArray()) return error(k, "per-layer values are not supported");
    const auto v = value->toUnsigned();
    if (!v || *v == 0 || *v > max)
        return error(k, "must be a positive integer up to " + std::to_string(max) + ", is " + value->display());
    out = int64_t(*v);
    return {};
}

Status ConfigReader::real(const std::string& name, float& out, std::optional<float> fallback) {
    const std::string k = key(name);
    const MetaValue* value = model_.metadata.find(k);
    if (!value) {
        if (!fallback) return error(k, "missing");
        out = *fallback;
        return {};
    }
    const auto v = value->toDouble();
    if (!v || !std::isfinite(*v) || *v < 0) return error(k, "must be a finite non-negative number, is " + value->display());
    out = float(*v);
    return {};
}

// llama.cpp's is_swa pattern: an array of booleans, or a period n where every n-th layer (the
// last of each group) is global.
Status ConfigReader::slidingPattern(uint64_t defaultPeriod) {
    config_.slidingLayers.assign(size_t(config_.layers), false);
    if (config_.slidingWindow == 0) return {};
    const std::string k = key("attention.sliding_window_pattern");
    uint64_t period = defaultPeriod;
    if (const MetaValue* value = model_.metadata.find(k)) {
        if (value->isArray()) {
            const auto& items = value->items();
            if (items.size() != size_t(config_.layers))
                return error(k, "has " + std::to_string(items.size()) + " entries for " +
                                    std::to_string(config_.layers) + " layers");
            for (size_t i = 0; i < items.size(); ++i) {
                const auto b = items[i].toBool();
                if (!b) return error(k, "entry " + std::to_string(i) + " is not a boolean");
                config_.slidingLayers[i] = *b;
            }
            return {};
        }
        const auto v = value->toUnsigned();
        if (!v || *v > kMaxLayers) return error(k, "must be a layer count or an array of booleans");
        period = *v;
    }
    for (int64_t il = 0; il < config_.layers; ++il)
        config_.slidingLayers[size_t(il)] = period == 0 || uint64_t(il) % period < period - 1;
    return {};
}

Status ConfigReader::vocabulary() {
    const bool gguf = model_.format == ModelFormat::Gguf;
    for (const TensorInfo& t : model_.tensors) {
        if ((gguf ? t.name : hfToGguf(t.name, config_.archName)) != "token_embd.weight") continue;
        if (t.shape.size() < 2 || t.shape[0] != config_.embedding || t.shape[1] <= 0 ||
            uint64_t(t.shape[1]) > (uint64_t(1) << 24))
            return makeError(file_, "tensor " + t.name, t.offset,
                             "token embedding must be " + std::to_string(config_.embedding) + " x vocabulary");
        config_.vocabulary = t.shape[1];
        return {};
    }
    return error("token_embd.weight", "the model has no token embedding");
}

#define MATRYX_CHECK(expr)                                                                                        \
    do {                                                                                                          \
        if (Status s_ = (expr); !s_) return std::move(s_).error();                                              \
    } while (0)

Result<ModelConfig> ConfigReader::read() {
    config_.archName = model_.architecture();
    const std::string& a = config_.archName;
    if (a == "llama" || a == "mistral")
        config_.arch = ModelArch::Llama;
    else if (a == "qwen2")
        config_.arch = ModelArch::Qwen2;
    else if (a == "gemma2")
        config_.arch = ModelArch::Gemma2;
    else if (a == "gemma3")
        config_.arch = ModelArch::Gemma3;
    else
        return error("general.architecture", "architecture '" + a +
                                                 "' is not supported for inference (llama, mistral, qwen2, "
                                                 "gemma2 and gemma3 are)");
    const bool gemma = config_.arch == ModelArch::Gemma2 || config_.arch == ModelArch::Gemma3;

    MATRYX_CHECK(integer("block_count", config_.layers, std::nullopt, kMaxLayers));
    MATRYX_CHECK(integer("embedding_length", config_.embedding, std::nullopt, kMaxDimension));
    MATRYX_CHECK(integer("feed_forward_length", config_.feedForward, std::nullopt, 16 * kMaxDimension));
    MATRYX_CHECK(integer("attention.head_count", config_.heads, std::nullopt, kMaxHeads));
    MATRYX_CHECK(integer("attention.head_count_kv", config_.kvHeads, uint64_t(config_.heads), kMaxHeads));
    if (config_.heads % config_.kvHeads != 0)
        return error(key("attention.head_count_kv"), std::to_string(config_.kvHeads) + " KV heads do not divide " +
                                                         std::to_string(config_.heads) + " heads");
    const uint64_t defaultHeadDim = uint64_t(config_.embedding / config_.heads);
    MATRYX_CHECK(integer("attention.key_length", config_.headDimK, defaultHeadDim == 0 ? std::nullopt
                                                                                        : std::optional(defaultHeadDim),
                         kMaxDimension));
    MATRYX_CHECK(integer("attention.value_length", config_.headDimV, uint64_t(config_.headDimK), kMaxDimension));
    if (uint64_t(config_.heads) * uint64_t(config_.headDimK) > 16 * kMaxDimension)
        return error(key("attention.key_length"), "heads times head length is too large");
    int64_t context = 0;
    MATRYX_CHECK(integer("context_length", context, uint64_t(1), uint64_t(1) << 24));
    config_.trainedContext = model_.metadata.contains(key("context_length")) ? context : 0;
    MATRYX_CHECK(real("attention.layer_norm_rms_epsilon", config_.rmsEpsilon, gemma ? 1e-6f : 1e-5f));

    MATRYX_CHECK(integer("rope.dimension_count", config_.ropeDims, uint64_t(config_.headDimK), kMaxDimension));
    if (config_.ropeDims > config_.headDimK || config_.ropeDims % 2 != 0)
        return error(key("rope.dimension_count"), "must be even and at most the head length " +
                                                      std::to_string(config_.headDimK));
    MATRYX_CHECK(real("rope.freq_base", config_.ropeFreqBase, 10000.0f));
    if (config_.ropeFreqBase <= 0.0f) return error(key("rope.freq_base"), "must be positive");
    const std::string scaling = model_.metadata.getString(key("rope.scaling.type")).value_or("linear");
    if (scaling != "none" && scaling != "linear")
        return error(key("rope.scaling.type"), "RoPE scaling '" + scaling + "' is not supported (none and linear are)");
    float factor = 0.0f;
    const std::string factorKey = model_.metadata.contains(key("rope.scaling.factor")) ? "rope.scaling.factor"
                                                                                        : "rope.scale_linear";
    MATRYX_CHECK(real(factorKey, factor, 0.0f));
    config_.ropeFreqScale = factor == 0.0f ? 1.0f : 1.0f / factor;
    config_.ropeOrder = config_.arch == ModelArch::Llama && model_.format == ModelFormat::Gguf ? RopeOrder::Adjacent
                                                                                                : RopeOrder::Halves;

    config_.queryScale = 1.0f / std::sqrt(float(config_.headDimK));
    if (gemma) {
        config_.embeddingScale = std::sqrt(float(config_.embedding));
        config_.postNorms = true;
        config_.gelu = true;
        // The largest Gemma 2 and 3 scale queries by the model width per head instead.
        const bool largest = (config_.arch == ModelArch::Gemma2 && config_.layers == 46) ||
                             (config_.arch == ModelArch::Gemma3 && config_.layers == 62);
        if (largest) config_.queryScale = 1.0f / std::sqrt(float(config_.embedding / config_.heads));
        MATRYX_CHECK(real("rope.freq_base_swa", config_.ropeFreqBaseSwa,
                          config_.arch == ModelArch::Gemma2 ? config_.ropeFreqBase : 10000.0f));
        config_.ropeFreqScaleSwa = config_.arch == ModelArch::Gemma2 ? config_.ropeFreqScale : 1.0f;
    }
    if (config_.arch == ModelArch::Gemma2) {
        MATRYX_CHECK(real("attn_logit_softcapping", config_.attnSoftcap, 50.0f));
        MATRYX_CHECK(real("final_logit_softcapping", config_.finalSoftcap, 30.0f));
        MATRYX_CHECK(integer("attention.sliding_window", config_.slidingWindow, 4096, uint64_t(1) << 24));
        MATRYX_CHECK(slidingPattern(2));
    } else if (config_.arch == ModelArch::Gemma3) {
        config_.qkNorm = true;
        MATRYX_CHECK(real("final_logit_softcapping", config_.finalSoftcap, 0.0f));
        // A window of 0, or none, makes every layer global.
        const MetaValue* window = model_.metadata.find(key("attention.sliding_window"));
        if (window && window->toUnsigned().value_or(1) != 0)
            MATRYX_CHECK(integer("attention.sliding_window", config_.slidingWindow, std::nullopt, uint64_t(1) << 24));
        MATRYX_CHECK(slidingPattern(6));
    } else {
        config_.slidingLayers.assign(size_t(config_.layers), false);
    }
    MATRYX_CHECK(vocabulary());
    return config_;
}

} // namespace

Result<ModelConfig> readModelConfig(const Model& model) { return ConfigReader(model).read(); }

} // namespace matryx
