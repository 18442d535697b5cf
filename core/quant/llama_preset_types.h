#pragma once

// The per-tensor types llama.cpp's quantizer picks for one of its file types on one model
// (llama-quantize without --pure, --tensor-type, --output-tensor-type or --token-embedding-type),
// reimplemented from its decision rules so that a plan started from a preset gives the same file:
//
// - the output tensor, and token_embd when the model has no output.weight (tied embeddings),
//   get Q6_K (Q5_K for the 1- and 2-bit IQ mixtures, Q8_0 for MXFP4_MOE, for Falcon, or when the
//   rows do not split into the default type's blocks); token_embd otherwise keeps the default
//   except in the IQ1/IQ2/IQ3_XXS/TQ/Q2_0 mixtures;
// - attn_v (and fused attn_qkv, attn_kv_b) gets more bits in the mixtures that ask for it,
//   counting attn_v tensors in llama.cpp's order (by layer, then by name) against their total:
//   "more bits" means the first and last eighth of them and every third one in between;
//   grouped-query attention (n_head / n_head_kv >= 4), 8 experts and 70B models change it;
// - ffn_down, ffn_gate and ffn_up decide by layer (block index, or the running count of such
//   tensors when the model has no experts) against the block count, with the same pattern;
// - attn_output, attn_k and attn_q get the mixture's choices;
// - the result is the type *before* the row-length fallback (type_fallback.h), which the plan
//   applies to every choice alike.
//
// Tensors that are never quantized (quantizable_tensor.h) get no choice. Model facts come from
// the metadata: {arch}.block_count, {arch}.nextn_predict_layers, {arch}.attention.head_count and
// head_count_kv (first layer when arrays), {arch}.expert_count.

#include "base/error.h"
#include "format/model.h"
#include "quant/llama_file_type.h"

#include <optional>
#include <string>
#include <vector>

namespace matryx {

struct PresetChoice {
    TensorType type = TensorType::F32;
    std::string why; // the rule that picked it, e.g. "attn_v in a layer that gets more bits"
};

// One entry per model tensor, in the model's order: nullopt for tensors that are never quantized.
// `importance` says an importance matrix will be used (llama.cpp's choices differ for IQ3_XXS,
// IQ4_NL, IQ4_XS, Q4_0 and Q5_0). Fails, as llama.cpp does, when the model has experts and an
// ffn_down/ffn_gate/ffn_up tensor's name gives no block index within the block count; and for
// NVFP4, which names no mixture.
Result<std::vector<std::optional<PresetChoice>>> llamaPresetTypes(const Model& model, LlamaFileType fileType,
                                                                  bool importance);

// Whether llama-quantize refuses to write `type` for this tensor without an importance matrix
// (IQ1_*, IQ2_*, IQ3_XXS anywhere but token_embd and output; Q2_K in a Q2_K_S file).
bool llamaRequiresImportance(std::string_view tensorName, TensorType type,
                             std::optional<LlamaFileType> fileType);

} // namespace matryx
