#include "quant/llama_file_type.h"

#include <array>
#include <cctype>

namespace matryx {

namespace {

using F = LlamaFileType;
using T = TensorType;

constexpr std::array kFileTypes = {
    LlamaFileTypeInfo{F::Q1_0, "Q1_0", T::Q1_0, "Q1_0; output Q6_K (1.1 bits per weight)", true},
    LlamaFileTypeInfo{F::Q2_0, "Q2_0", T::Q2_0, "Q2_0; token_embd Q4_K, output Q6_K", true},
    LlamaFileTypeInfo{F::Q4_0, "Q4_0", T::Q4_0, "Q4_0; output Q6_K", true},
    LlamaFileTypeInfo{F::Q4_1, "Q4_1", T::Q4_1, "Q4_1; output Q6_K", true},
    LlamaFileTypeInfo{F::MXFP4_MOE, "MXFP4_MOE", T::MXFP4, "MXFP4 for MoE experts, Q8_0 for the rest", true},
    LlamaFileTypeInfo{F::Q5_0, "Q5_0", T::Q5_0, "Q5_0; output Q6_K", true},
    LlamaFileTypeInfo{F::Q5_1, "Q5_1", T::Q5_1, "Q5_1; output Q6_K", true},
    LlamaFileTypeInfo{F::IQ2_XXS, "IQ2_XXS", T::IQ2_XXS,
                      "IQ2_XXS with Q2_K/Q4_K where it matters; needs importance", true},
    LlamaFileTypeInfo{F::IQ2_XS, "IQ2_XS", T::IQ2_XS,
                      "IQ2_XS with Q2_K/Q4_K where it matters; needs importance", true},
    LlamaFileTypeInfo{F::IQ2_S, "IQ2_S", T::IQ2_XS,
                      "IQ2_XS with IQ3_S/Q4_K where it matters; needs importance", true},
    LlamaFileTypeInfo{F::IQ2_M, "IQ2_M", T::IQ2_S, "IQ2_S with IQ3_S/Q4_K where it matters; needs importance",
                      true},
    LlamaFileTypeInfo{F::IQ1_S, "IQ1_S", T::IQ1_S,
                      "IQ1_S with IQ2_XXS/Q2_K where it matters; needs importance", true},
    LlamaFileTypeInfo{F::IQ1_M, "IQ1_M", T::IQ1_M,
                      "IQ1_M with IQ2_XXS/Q2_K where it matters; needs importance", true},
    LlamaFileTypeInfo{F::TQ1_0, "TQ1_0", T::TQ1_0, "ternary TQ1_0; token_embd Q4_K, output Q6_K", true},
    LlamaFileTypeInfo{F::TQ2_0, "TQ2_0", T::TQ2_0, "ternary TQ2_0; token_embd Q4_K, output Q6_K", true},
    LlamaFileTypeInfo{F::Q2_K, "Q2_K", T::Q2_K,
                      "Q2_K; Q3_K/Q4_K for attn_v, attn_output, ffn_down; output Q6_K", true},
    LlamaFileTypeInfo{F::Q2_K_S, "Q2_K_S", T::Q2_K, "Q2_K; Q4_K for early ffn_down; needs importance", true},
    LlamaFileTypeInfo{F::IQ3_XXS, "IQ3_XXS", T::IQ3_XXS,
                      "IQ3_XXS with IQ3_S/Q4_K where it matters; needs importance", true},
    LlamaFileTypeInfo{F::IQ3_S, "IQ3_S", T::IQ3_S, "IQ3_S; output Q6_K", true},
    LlamaFileTypeInfo{F::IQ3_M, "IQ3_M", T::IQ3_S,
                      "IQ3_S; Q4_K for attn_v, attn_output, early ffn_down; output Q6_K", true},
    LlamaFileTypeInfo{F::IQ3_XS, "IQ3_XS", T::IQ3_S,
                      "IQ3_S with IQ3_XXS for attn_q, attn_k, middle ffn; needs importance", true},
    LlamaFileTypeInfo{F::Q3_K_S, "Q3_K_S", T::Q3_K, "Q3_K; output Q6_K", true},
    LlamaFileTypeInfo{F::Q3_K_M, "Q3_K_M", T::Q3_K,
                      "Q3_K; Q4_K/Q5_K for attn_v, attn_output, ffn_down; output Q6_K", true},
    LlamaFileTypeInfo{F::Q3_K_L, "Q3_K_L", T::Q3_K,
                      "Q3_K; Q5_K for attn_v, attn_output, ffn_down; output Q6_K", true},
    LlamaFileTypeInfo{F::IQ4_NL, "IQ4_NL", T::IQ4_NL, "IQ4_NL; Q5_K for early ffn_down; output Q6_K", true},
    LlamaFileTypeInfo{F::IQ4_XS, "IQ4_XS", T::IQ4_XS, "IQ4_XS; Q5_K for early ffn_down; output Q6_K", true},
    LlamaFileTypeInfo{F::Q4_K_S, "Q4_K_S", T::Q4_K, "Q4_K; Q5_K for early attn_v and ffn_down; output Q6_K",
                      true},
    LlamaFileTypeInfo{F::Q4_K_M, "Q4_K_M", T::Q4_K, "Q4_K; Q6_K for half of attn_v and ffn_down; output Q6_K",
                      true},
    LlamaFileTypeInfo{F::Q5_K_S, "Q5_K_S", T::Q5_K, "Q5_K; output Q6_K", true},
    LlamaFileTypeInfo{F::Q5_K_M, "Q5_K_M", T::Q5_K, "Q5_K; Q6_K for half of attn_v and ffn_down; output Q6_K",
                      true},
    LlamaFileTypeInfo{F::Q6_K, "Q6_K", T::Q6_K, "Q6_K everywhere", true},
    LlamaFileTypeInfo{F::Q8_0, "Q8_0", T::Q8_0, "Q8_0 everywhere", true},
    LlamaFileTypeInfo{F::F16, "F16", T::F16, "F16 weights; 1-D tensors as stored", true},
    LlamaFileTypeInfo{F::BF16, "BF16", T::BF16, "BF16 weights; 1-D tensors as stored", true},
    LlamaFileTypeInfo{F::F32, "F32", T::F32, "F32 weights; 1-D tensors as stored", true},
    LlamaFileTypeInfo{F::NVFP4, "NVFP4", T::NVFP4, "NVFP4 (a file type llama-quantize does not offer)",
                      false},
};

bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

} // namespace

std::span<const LlamaFileTypeInfo> llamaFileTypes() noexcept {
    return kFileTypes;
}

const LlamaFileTypeInfo& llamaFileTypeInfo(LlamaFileType type) noexcept {
    for (const auto& info : kFileTypes)
        if (info.fileType == type) return info;
    return kFileTypes.front(); // unreachable: every enumerator has an entry (unit-tested)
}

std::optional<LlamaFileType> findLlamaFileType(std::string_view name) noexcept {
    constexpr std::array<std::pair<std::string_view, F>, 3> kAliases = {
        {{"Q3_K", F::Q3_K_M}, {"Q4_K", F::Q4_K_M}, {"Q5_K", F::Q5_K_M}}};
    for (const auto& [alias, type] : kAliases)
        if (equalsIgnoreCase(name, alias)) return type;
    for (const auto& info : kFileTypes)
        if (info.preset && equalsIgnoreCase(name, info.name)) return info.fileType;
    return std::nullopt;
}

std::optional<LlamaFileType> fileTypeForBase(TensorType base) noexcept {
    switch (base) {
    case T::Q2_K:
        return F::Q2_K;
    case T::Q3_K:
        return F::Q3_K_M;
    case T::Q4_K:
        return F::Q4_K_M;
    case T::Q5_K:
        return F::Q5_K_M;
    case T::IQ2_XS:
        return F::IQ2_XS;
    case T::IQ2_S:
        return F::IQ2_M;
    case T::IQ3_S:
        return F::IQ3_S;
    default:
        break;
    }
    for (const auto& info : kFileTypes)
        if (info.defaultType == base) return info.fileType;
    return std::nullopt;
}

} // namespace matryx
