#pragma once

// llama.cpp's file types (enum llama_ftype, the names llama-quantize accepts): each names a
// mixture of tensor types, e.g. Q4_K_M is Q4_K with Q6_K for some attn_v and ffn_down tensors.
// A plan can start from one (plan.h); llama_preset_types.h makes the same per-tensor choices.
// The number is what llama.cpp writes to general.file_type.

#include "tensor/tensor_type.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace matryx {

enum class LlamaFileType : uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q8_0 = 7,
    Q5_0 = 8,
    Q5_1 = 9,
    Q2_K = 10,
    Q3_K_S = 11,
    Q3_K_M = 12,
    Q3_K_L = 13,
    Q4_K_S = 14,
    Q4_K_M = 15,
    Q5_K_S = 16,
    Q5_K_M = 17,
    Q6_K = 18,
    IQ2_XXS = 19,
    IQ2_XS = 20,
    Q2_K_S = 21,
    IQ3_XS = 22,
    IQ3_XXS = 23,
    IQ1_S = 24,
    IQ4_NL = 25,
    IQ3_S = 26,
    IQ3_M = 27,
    IQ2_S = 28,
    IQ2_M = 29,
    IQ4_XS = 30,
    IQ1_M = 31,
    BF16 = 32,
    TQ1_0 = 36,
    TQ2_0 = 37,
    MXFP4_MOE = 38,
    NVFP4 = 39,
    Q1_0 = 40,
    Q2_0 = 41,
};

struct LlamaFileTypeInfo {
    LlamaFileType fileType;
    std::string_view name;    // as llama-quantize spells it: "Q4_K_M"
    TensorType defaultType;   // the type of every tensor the mixture does not single out
    std::string_view summary; // one line for menus and --help
    bool preset;              // llama-quantize offers it (NVFP4 is only a general.file_type value)
};

// Every file type, in llama-quantize's order of presentation.
std::span<const LlamaFileTypeInfo> llamaFileTypes() noexcept;
const LlamaFileTypeInfo& llamaFileTypeInfo(LlamaFileType type) noexcept;
// Case-insensitive; also llama-quantize's aliases Q3_K, Q4_K, Q5_K (the _M mixtures). Only presets.
std::optional<LlamaFileType> findLlamaFileType(std::string_view name) noexcept;
// The file type a plan without a preset is labelled with: the one whose default type is `base`
// (the _M mixture for K-quants), or nullopt for types no file type names.
std::optional<LlamaFileType> fileTypeForBase(TensorType base) noexcept;

} // namespace matryx
