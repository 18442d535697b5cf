#include "format/hf_config_import.h"

#include "format/hf_json.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <utility>

namespace matryx {

namespace {

using json = nlohmann::json;

// HF class name -> GGUF architecture, as the converter registers its model classes.
constexpr std::array<std::pair<std::string_view, std::string_view>, 15> kClassArch = {{
    {"LlamaForCausalLM", "llama"},
    {"LLaMAForCausalLM", "llama"},
    {"LlamaModel", "llama"},
    {"MistralForCausalLM", "llama"},
    {"MixtralForCausalLM", "llama"},
    {"Qwen2ForCausalLM", "qwen2"},
    {"Qwen2Model", "qwen2"},
    {"GemmaForCausalLM", "gemma"},
    {"Gemma2ForCausalLM", "gemma2"},
    {"Gemma3ForCausalLM", "gemma3"},
    {"Gemma3ForConditionalGeneration", "gemma3"},
    {"BertModel", "bert"},
    {"BertForMaskedLM", "bert"},
    {"BertForSequenceClassification", "bert"},
    {"CamembertModel", "bert"},
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kModelTypeArch = {{
    {"llama", "llama"},
    {"mistral", "llama"},
    {"mixtral", "llama"},
    {"qwen2", "qwen2"},
    {"gemma", "gemma"},
    {"gemma2", "gemma2"},
    {"gemma3", "gemma3"},
    {"gemma3_text", "gemma3"},
    {"bert", "bert"},
}};

class ConfigImporter {
public:
    ConfigImporter(const json& hparams, std::string arch, const std::string& file, Metadata& out)
        : h_(hparams), arch_(std::move(arch)), file_(file), out_(out) {}

    // The first of `keys` present with a non-null value, as the converter's find_hparam.
    const json* find(std::initializer_list<std::string_view> keys) const {
        for (const auto k : keys)
            if (const auto* v = jsonMember(h_, k)) return v;
        return nullptr;
    }
    std::string key(std::string_view suffix) const { return arch_ + "." + std::string(suffix); }

    Status u32(std::string_view suffix, const json* v, std::string_view field) {
        if (!v) return {};
        const auto i = jsonInteger(v);
        if (!i || *i < 0 || *i > int64_t(std::numeric_limits<uint32_t>::max()))
            return fail(field, "must be a non-negative integer below 2^32");
        out_.set(key(suffix), MetaValue::u32(uint32_t(*i)));
        return {};
    }
    Status u32(std::string_view suffix, std::initializer_list<std::string_view> keys) {
        const json* v = find(keys);
        return u32(suffix, v, v ? fieldOf(keys) : std::string_view{});
    }
    Status f32(std::string_view suffix, const json* v, std::string_view field) {
        if (!v) return {};
        const auto d = jsonNumber(v);
        if (!d || !std::isfinite(float(*d))) return fail(field, "must be a number");
        out_.set(key(suffix), MetaValue::f32(float(*d)));
        return {};
    }
    Status f32(std::string_view suffix, std::initializer_list<std::string_view> keys) {
        const json* v = find(keys);
        return f32(suffix, v, v ? fieldOf(keys) : std::string_view{});
    }
    Error fail(std::string_view field, std::string message) const {
        return makeError(file_, std::string(field), std::nullopt, std::move(message));
    }

    Status common();
    Status rope();
    Status llamaExtras();
    Status gemma();
    Status gemma3();

private:
    std::string_view fieldOf(std::initializer_list<std::string_view> keys) const {
        for (const auto k : keys)
            if (jsonMember(h_, k)) return k;
        return {};
    }

    const json& h_;
    std::string arch_;
    const std::string& file_;
    Metadata& out_;
};

#define MATRYX_TRY(expr)                                                                                     \
    do {                                                                                                     \
        if (auto status_ = (expr); !status_) return status_;                                                 \
    } while (0)

Status ConfigImporter::common() {
    MATRYX_TRY(u32("block_count", {"n_layers", "num_hidden_layers", "n_layer", "num_layers"}));
    MATRYX_TRY(u32("context_length", {"max_position_embeddings", "n_ctx", "n_positions", "max_length",
                                      "max_sequence_length", "model_max_length"}));
    MATRYX_TRY(u32("embedding_length", {"hidden_size", "n_embd", "dim"}));
    MATRYX_TRY(u32("feed_forward_length", {"prefix_dense_intermediate_size", "dense_intermediate_size",
                                           "intermediate_size", "n_inner", "hidden_dim"}));
    MATRYX_TRY(u32("attention.head_count", {"num_attention_heads", "n_head", "n_heads"}));
    MATRYX_TRY(u32("attention.head_count_kv", {"num_key_value_heads", "n_kv_heads"}));
    if (jsonBool(jsonMember(h_, "is_causal")) == false)
        out_.set(key("attention.causal"), MetaValue::boolean(false));
    MATRYX_TRY(rope());
    MATRYX_TRY(f32("attention.layer_norm_rms_epsilon", {"rms_norm_eps", "norm_eps"}));
    MATRYX_TRY(f32("attention.layer_norm_epsilon", {"layer_norm_eps", "layer_norm_epsilon", "norm_epsilon"}));
    MATRYX_TRY(u32("expert_count", {"num_local_experts", "num_experts", "n_routed_experts"}));
    MATRYX_TRY(u32("expert_used_count", {"num_experts_per_tok", "num_experts_per_token", "top_k_experts"}));
    if (const auto* headDim = jsonMember(h_, "head_dim")) {
        MATRYX_TRY(u32("attention.key_length", headDim, "head_dim"));
        MATRYX_TRY(u32("attention.value_length", headDim, "head_dim"));
    }
    return {};
}

Status ConfigImporter::rope() {
    // Newer configs group RoPE settings in "rope_parameters" (per attention kind), older ones in
    // "rope_scaling" with the base frequency at the top level.
    const json* params = jsonMember(h_, "rope_parameters");
    if (!params) params = jsonMember(h_, "rope_scaling");
    const json* full = jsonMember(params, "full_attention");
    const json* p = full ? full : params;

    const json* type = jsonMember(p, "rope_type");
    if (!type) type = jsonMember(p, "type");
    const auto ropeType = jsonString(type);
    const json* factor = jsonMember(p, "factor");
    if (ropeType == "linear" && factor) {
        out_.set(key("rope.scaling.type"), MetaValue::string("linear"));
        MATRYX_TRY(f32("rope.scaling.factor", factor, "rope_scaling.factor"));
    } else if (ropeType == "yarn" && factor) {
        out_.set(key("rope.scaling.type"), MetaValue::string("yarn"));
        MATRYX_TRY(f32("rope.scaling.factor", factor, "rope_scaling.factor"));
        const json* orig = jsonMember(p, "original_max_position_embeddings");
        if (!orig) orig = jsonMember(h_, "original_max_position_embeddings");
        MATRYX_TRY(u32("rope.scaling.original_context_length", orig, "original_max_position_embeddings"));
        MATRYX_TRY(f32("rope.scaling.yarn_ext_factor", jsonMember(p, "extrapolation_factor"),
                       "extrapolation_factor"));
        const json* attn = jsonMember(p, "attention_factor");
        MATRYX_TRY(f32("rope.scaling.yarn_attn_factor", attn ? attn : jsonMember(p, "attn_factor"),
                       "attention_factor"));
        MATRYX_TRY(f32("rope.scaling.yarn_beta_fast", jsonMember(p, "beta_fast"), "beta_fast"));
        MATRYX_TRY(f32("rope.scaling.yarn_beta_slow", jsonMember(p, "beta_slow"), "beta_slow"));
    } else if (ropeType == "su" || ropeType == "longrope") {
        out_.set(key("rope.scaling.type"), MetaValue::string("longrope"));
    }
    // "llama3" scaling becomes a rope_freqs tensor in llama.cpp, which a folder import cannot add.

    const json* theta = jsonMember(p, "rope_theta");
    if (!theta && !full)
        theta = find(
            {"global_rope_theta", "rope_global_theta", "rope_theta_global", "rope_theta", "rotary_emb_base"});
    MATRYX_TRY(f32("rope.freq_base", theta, "rope_theta"));
    const json* local = jsonMember(jsonMember(params, "sliding_attention"), "rope_theta");
    if (!local && !full)
        local = find({"local_rope_theta", "rope_local_theta", "rope_theta_local", "swa_rope_theta",
                      "rope_local_base_freq"});
    return f32("rope.freq_base_swa", local, "rope_local_base_freq");
}

Status ConfigImporter::llamaExtras() {
    MATRYX_TRY(u32("vocab_size", {"vocab_size"}));
    if (const auto* headDim = jsonMember(h_, "head_dim"))
        return u32("rope.dimension_count", headDim, "head_dim");
    const auto hidden = jsonInteger(jsonMember(h_, "hidden_size"));
    const auto heads = jsonInteger(jsonMember(h_, "num_attention_heads"));
    if (hidden && heads && *heads > 0 && *hidden >= 0 && *hidden / *heads <= int64_t(UINT32_MAX))
        out_.set(key("rope.dimension_count"), MetaValue::u32(uint32_t(*hidden / *heads)));
    return {};
}

// Gemma and Gemma 2 have their own, shorter list in the converter.
Status ConfigImporter::gemma() {
    MATRYX_TRY(u32("context_length", {"max_position_embeddings"}));
    MATRYX_TRY(u32("embedding_length", {"hidden_size"}));
    MATRYX_TRY(u32("block_count", {"n_layers", "num_hidden_layers", "n_layer", "num_layers"}));
    MATRYX_TRY(u32("feed_forward_length", {"intermediate_size"}));
    MATRYX_TRY(u32("attention.head_count", {"num_attention_heads"}));
    MATRYX_TRY(u32("attention.head_count_kv", {"num_key_value_heads", "num_attention_heads"}));
    MATRYX_TRY(f32("attention.layer_norm_rms_epsilon", {"rms_norm_eps"}));
    MATRYX_TRY(u32("attention.key_length", {"head_dim"}));
    MATRYX_TRY(u32("attention.value_length", {"head_dim"}));
    if (arch_ == "gemma2") {
        MATRYX_TRY(f32("attn_logit_softcapping", {"attn_logit_softcapping"}));
        MATRYX_TRY(f32("final_logit_softcapping", {"final_logit_softcapping"}));
        MATRYX_TRY(u32("attention.sliding_window", {"sliding_window"}));
    }
    return {};
}

Status ConfigImporter::gemma3() {
    MATRYX_TRY(common());
    // The converter's defaults for keys Gemma 3 configs may leave out.
    const auto orDefault = [&](std::string_view suffix, std::string_view field,
                               MetaValue fallback) -> Status {
        if (const auto* v = jsonMember(h_, field))
            return fallback.type() == MetaType::F32 ? f32(suffix, v, field) : u32(suffix, v, field);
        out_.set(key(suffix), std::move(fallback));
        return {};
    };
    MATRYX_TRY(orDefault("context_length", "max_position_embeddings", MetaValue::u32(131072)));
    MATRYX_TRY(orDefault("attention.head_count", "num_attention_heads", MetaValue::u32(8)));
    MATRYX_TRY(orDefault("attention.layer_norm_rms_epsilon", "rms_norm_eps", MetaValue::f32(1e-6f)));
    MATRYX_TRY(orDefault("attention.key_length", "head_dim", MetaValue::u32(256)));
    MATRYX_TRY(orDefault("attention.value_length", "head_dim", MetaValue::u32(256)));
    if (!out_.contains(key("rope.freq_base"))) out_.set(key("rope.freq_base"), MetaValue::f32(1000000.0f));
    if (const auto* cap = jsonMember(h_, "final_logit_softcapping"); cap && jsonNumber(cap).value_or(0) != 0)
        MATRYX_TRY(f32("final_logit_softcapping", cap, "final_logit_softcapping"));
    if (jsonInteger(jsonMember(h_, "sliding_window_pattern")) != 1)
        MATRYX_TRY(u32("attention.sliding_window", {"sliding_window"}));
    return orDefault("attention.head_count_kv", "num_key_value_heads", MetaValue::u32(4));
}

} // namespace

std::string ggufArchitectureFor(const nlohmann::json& config) {
    const json* classes = jsonMember(jsonMember(config, "text_config"), "architectures");
    if (!classes) classes = jsonMember(config, "architectures");
    if (classes && classes->is_array() && !classes->empty())
        if (const auto cls = jsonString(&classes->front()))
            for (const auto& [name, arch] : kClassArch)
                if (name == *cls) return std::string(arch);
    const auto modelType = jsonString(jsonMember(config, "model_type"));
    if (!modelType) return {};
    for (const auto& [type, arch] : kModelTypeArch)
        if (type == *modelType) return std::string(arch);
    return *modelType;
}

Result<std::string> importHfConfig(const nlohmann::json& config, std::string_view modelName,
                                   const std::string& file, Metadata& out) {
    if (!config.is_object()) return makeError(file, {}, std::nullopt, "config.json must hold a JSON object");
    json hparams = config;
    if (const json* text = jsonMember(config, "text_config"); text && text->is_object())
        for (const auto& [k, v] : text->items())
            hparams[k] = v;

    const std::string arch = ggufArchitectureFor(config);
    if (arch.empty()) return arch;
    out.set("general.architecture", MetaValue::string(arch));
    if (!modelName.empty()) out.set("general.name", MetaValue::string(std::string(modelName)));

    ConfigImporter importer(hparams, arch, file, out);
    Status status;
    if (arch == "gemma" || arch == "gemma2")
        status = importer.gemma();
    else if (arch == "gemma3")
        status = importer.gemma3();
    else
        status = importer.common();
    if (status && arch == "llama") status = importer.llamaExtras();
    if (status && arch == "bert") out.set("bert.attention.causal", MetaValue::boolean(false));
    if (!status) return std::move(status).error();
    return arch;
}

} // namespace matryx
