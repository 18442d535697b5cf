#include "format/hf_name_map.h"

#include <array>
#include <cctype>
#include <optional>
#include <span>
#include <utility>

namespace matryx {

namespace {

using Pair = std::pair<std::string_view, std::string_view>; // {Hugging Face, GGUF}

struct NameTable {
    std::string_view hfBlockPrefix; // "model.layers." or "encoder.layer."
    std::span<const Pair> global;   // whole-model tensors
    std::span<const Pair> block;    // per-block tensors, after the block prefix
};

constexpr std::array kLlamaGlobal = {
    Pair{"model.embed_tokens", "token_embd"},
    Pair{"model.norm", "output_norm"},
    Pair{"lm_head", "output"},
};

constexpr std::array kLlamaBlock = {
    Pair{"self_attn.q_proj", "attn_q"},
    Pair{"self_attn.k_proj", "attn_k"},
    Pair{"self_attn.v_proj", "attn_v"},
    Pair{"self_attn.o_proj", "attn_output"},
    Pair{"self_attn.q_norm", "attn_q_norm"},
    Pair{"self_attn.k_norm", "attn_k_norm"},
    Pair{"mlp.gate_proj", "ffn_gate"},
    Pair{"mlp.up_proj", "ffn_up"},
    Pair{"mlp.down_proj", "ffn_down"},
    Pair{"input_layernorm", "attn_norm"},
    Pair{"post_attention_layernorm", "ffn_norm"},
};

// Gemma 2 and 3 norm both sides of attention and of the feed-forward block.
constexpr std::array kGemma2Block = {
    Pair{"self_attn.q_proj", "attn_q"},
    Pair{"self_attn.k_proj", "attn_k"},
    Pair{"self_attn.v_proj", "attn_v"},
    Pair{"self_attn.o_proj", "attn_output"},
    Pair{"self_attn.q_norm", "attn_q_norm"},
    Pair{"self_attn.k_norm", "attn_k_norm"},
    Pair{"mlp.gate_proj", "ffn_gate"},
    Pair{"mlp.up_proj", "ffn_up"},
    Pair{"mlp.down_proj", "ffn_down"},
    Pair{"input_layernorm", "attn_norm"},
    Pair{"post_attention_layernorm", "post_attention_norm"},
    Pair{"pre_feedforward_layernorm", "ffn_norm"},
    Pair{"post_feedforward_layernorm", "post_ffw_norm"},
};

constexpr std::array kBertGlobal = {
    Pair{"embeddings.word_embeddings", "token_embd"},
    Pair{"embeddings.position_embeddings", "position_embd"},
    Pair{"embeddings.token_type_embeddings", "token_types"},
    Pair{"embeddings.LayerNorm", "token_embd_norm"},
};

constexpr std::array kBertBlock = {
    Pair{"attention.self.query", "attn_q"},
    Pair{"attention.self.key", "attn_k"},
    Pair{"attention.self.value", "attn_v"},
    Pair{"attention.output.dense", "attn_output"},
    Pair{"attention.output.LayerNorm", "attn_output_norm"},
    Pair{"intermediate.dense", "ffn_up"},
    Pair{"output.dense", "ffn_down"},
    Pair{"output.LayerNorm", "layer_output_norm"},
};

constexpr NameTable kLlama{"model.layers.", kLlamaGlobal, kLlamaBlock};
constexpr NameTable kGemma2{"model.layers.", kLlamaGlobal, kGemma2Block};
constexpr NameTable kBert{"encoder.layer.", kBertGlobal, kBertBlock};

constexpr std::string_view kGgufBlockPrefix = "blk.";

const NameTable* tableFor(std::string_view arch) {
    if (arch == "llama" || arch == "mistral" || arch == "qwen2" || arch == "qwen3" || arch == "gemma")
        return &kLlama;
    if (arch == "gemma2" || arch == "gemma3" || arch == "gemma3_text") return &kGemma2;
    if (arch == "bert") return &kBert;
    return nullptr;
}

// `name` is `prefix` followed by "." or nothing more; returns what follows (with its dot).
std::optional<std::string_view> afterModule(std::string_view name, std::string_view module) {
    if (!name.starts_with(module)) return std::nullopt;
    const std::string_view rest = name.substr(module.size());
    if (!rest.empty() && rest.front() != '.') return std::nullopt;
    return rest;
}

// Splits "<prefix>N.<rest>" into N and rest (without the dot).
std::optional<std::pair<std::string_view, std::string_view>> splitBlock(std::string_view name,
                                                                        std::string_view prefix) {
    if (!name.starts_with(prefix)) return std::nullopt;
    name.remove_prefix(prefix.size());
    size_t digits = 0;
    while (digits < name.size() && std::isdigit(static_cast<unsigned char>(name[digits])))
        ++digits;
    if (digits == 0 || digits >= name.size() || name[digits] != '.') return std::nullopt;
    return std::pair(name.substr(0, digits), name.substr(digits + 1));
}

// Maps `name` with the table's `from` side to its `to` side; nullopt when nothing matches.
std::optional<std::string> mapWith(std::string_view name, const NameTable& table, bool toGguf) {
    const auto side = [&](const Pair& p) { return toGguf ? p.first : p.second; };
    const auto other = [&](const Pair& p) { return toGguf ? p.second : p.first; };
    for (const auto& p : table.global)
        if (const auto rest = afterModule(name, side(p))) return std::string(other(p)) + std::string(*rest);
    const std::string_view fromBlock = toGguf ? table.hfBlockPrefix : kGgufBlockPrefix;
    const std::string_view toBlock = toGguf ? kGgufBlockPrefix : table.hfBlockPrefix;
    if (const auto block = splitBlock(name, fromBlock))
        for (const auto& p : table.block)
            if (const auto rest = afterModule(block->second, side(p)))
                return std::string(toBlock) + std::string(block->first) + "." + std::string(other(p)) +
                       std::string(*rest);
    return std::nullopt;
}

// The spellings llama.cpp's converter accepts for the same tensor, brought to the table's form.
std::string normalizeHf(std::string_view name, const NameTable& table) {
    std::string n(name);
    if (&table == &kBert) {
        if (n.starts_with("bert.")) n.erase(0, 5);
        if (n.ends_with(".gamma"))
            n.replace(n.size() - 6, 6, ".weight");
        else if (n.ends_with(".beta"))
            n.replace(n.size() - 5, 5, ".bias");
        return n;
    }
    if (n.starts_with("language_model.")) n.erase(0, 15);
    if (n.starts_with("layers.") || n.starts_with("embed_tokens.") || n.starts_with("norm."))
        n.insert(0, "model.");
    return n;
}

} // namespace

std::string hfToGguf(std::string_view name, std::string_view arch) {
    const NameTable* table = tableFor(arch);
    if (!table) return std::string(name);
    return mapWith(normalizeHf(name, *table), *table, true).value_or(std::string(name));
}

std::string ggufToHf(std::string_view name, std::string_view arch) {
    const NameTable* table = tableFor(arch);
    if (!table) return std::string(name);
    return mapWith(name, *table, false).value_or(std::string(name));
}

} // namespace matryx
