#include "quant/quantizable_tensor.h"

#include <array>
#include <utility>

namespace matryx {

namespace {

using Exception = std::pair<std::string_view, std::string_view>; // name part, reason

// Name parts that keep a tensor in its stored type, for every architecture.
constexpr std::array kKeptEverywhere = {
    Exception{"_norm.weight", "norm"},
    Exception{"ffn_gate_inp.weight", "MoE router"},
    Exception{"ffn_gate_tid2eid.weight", "token-to-expert table"},
    Exception{"altup", "small AltUp tensor"},
    Exception{"laurel", "small Laurel tensor"},
    Exception{"per_layer_model_proj", "per-layer projection"},
    Exception{"ssm_conv1d", "convolution"},
    Exception{"shortconv.conv.weight", "convolution"},
    Exception{"indexer.k_proj.weight", "small indexer projection"},
    Exception{"indexer.q_proj.weight", "small indexer projection"},
    Exception{"time_mix_first.weight", "small RWKV tensor"},
    Exception{"time_mix_w0.weight", "small RWKV tensor"},
    Exception{"time_mix_w1.weight", "small RWKV tensor"},
    Exception{"time_mix_w2.weight", "small RWKV tensor"},
    Exception{"time_mix_v0.weight", "small RWKV tensor"},
    Exception{"time_mix_v1.weight", "small RWKV tensor"},
    Exception{"time_mix_v2.weight", "small RWKV tensor"},
    Exception{"time_mix_a0.weight", "small RWKV tensor"},
    Exception{"time_mix_a1.weight", "small RWKV tensor"},
    Exception{"time_mix_a2.weight", "small RWKV tensor"},
    Exception{"time_mix_g1.weight", "small RWKV tensor"},
    Exception{"time_mix_g2.weight", "small RWKV tensor"},
    Exception{"time_mix_decay_w1.weight", "small RWKV tensor"},
    Exception{"time_mix_decay_w2.weight", "small RWKV tensor"},
    Exception{"time_mix_lerp_fused.weight", "small RWKV tensor"},
    Exception{"attn_rel_b.weight", "relative position bias"},
    Exception{".position_embd", "multimodal position embedding"},
    Exception{"sam.pos_embd", "multimodal position embedding"},
    Exception{"sam.neck.", "multimodal tensor"},
    Exception{"sam.net_", "multimodal tensor"},
    Exception{".rel_pos", "multimodal position tensor"},
    Exception{".patch_embd", "multimodal patch embedding"},
    Exception{".patch_merger", "multimodal patch merger"},
    Exception{"a.rvq.codebook", "audio codebook"},
    Exception{"mm.a.code_embd", "audio codebook"},
};

// GLM-5-next keeps its indexer, compressor and small MLA tensors.
constexpr std::array kKeptGlm5Next = {
    Exception{"hc_", "small GLM-5 tensor"},
    Exception{"indexer.attn_q_b", "small GLM-5 tensor"},
    Exception{"indexer.attn_k", "small GLM-5 tensor"},
    Exception{"indexer.proj", "small GLM-5 tensor"},
    Exception{"indexer_compressor_gate", "small GLM-5 tensor"},
    Exception{"indexer_compressor_ape", "small GLM-5 tensor"},
    Exception{"ssm_f_a.weight", "small GLM-5 tensor"},
    Exception{"ssm_f_b.weight", "small GLM-5 tensor"},
    Exception{"ssm_g_a.weight", "small GLM-5 tensor"},
    Exception{"ssm_g_b.weight", "small GLM-5 tensor"},
    Exception{"ssm_beta.weight", "small GLM-5 tensor"},
    Exception{"attn_kv_a_mqa.weight", "small GLM-5 tensor"},
    Exception{"attn_k_b.weight", "small GLM-5 tensor"},
    Exception{"attn_v_b.weight", "small GLM-5 tensor"},
};

} // namespace

int significantDims(std::span<const int64_t> shape) noexcept {
    for (size_t i = shape.size(); i > 1; --i)
        if (shape[i - 1] > 1) return static_cast<int>(i);
    return 1;
}

std::optional<std::string_view> reasonNotQuantized(std::string_view name, std::span<const int64_t> shape,
                                                   std::string_view architecture) noexcept {
    if (significantDims(shape) < 2) return "1-D tensor";
    if (!name.ends_with("weight")) return "not a weight";
    if (name == "position_embd.weight") return "position embedding";
    if (name == "token_types.weight") return "token-type embedding";
    for (const auto& [part, reason] : kKeptEverywhere)
        if (name.find(part) != std::string_view::npos) return reason;
    if (architecture == "glm5-next")
        for (const auto& [part, reason] : kKeptGlm5Next)
            if (name.find(part) != std::string_view::npos) return reason;
    return std::nullopt;
}

} // namespace matryx
