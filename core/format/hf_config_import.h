#pragma once

// Imports a Hugging Face config.json as GGUF metadata under llama.cpp's key names, the way
// convert_hf_to_gguf.py does for the architectures Matryx knows:
//
//   architectures[0] / model_type                          general.architecture
//     Llama*, Mistral*, Mixtral* / llama, mistral, mixtral   llama
//     Qwen2* / qwen2                                         qwen2
//     Gemma* / gemma; Gemma2* / gemma2; Gemma3* / gemma3, gemma3_text   gemma, gemma2, gemma3
//     Bert* / bert                                           bert
//     anything else: model_type as it is (only the common keys below are imported)
//   num_hidden_layers (n_layer, ...)       <arch>.block_count
//   max_position_embeddings (n_ctx, ...)   <arch>.context_length
//   hidden_size (n_embd, dim)              <arch>.embedding_length
//   intermediate_size (n_inner, ...)       <arch>.feed_forward_length
//   num_attention_heads / num_key_value_heads   <arch>.attention.head_count / head_count_kv
//   rms_norm_eps / layer_norm_eps          <arch>.attention.layer_norm_rms_epsilon / layer_norm_epsilon
//   rope_theta                             <arch>.rope.freq_base (and freq_base_swa)
//   rope_scaling / rope_parameters         <arch>.rope.scaling.{type,factor,original_context_length,yarn_*}
//   head_dim                               <arch>.attention.key_length, value_length
//   num_local_experts, num_experts_per_tok <arch>.expert_count, expert_used_count
//   llama only: vocab_size -> <arch>.vocab_size, <arch>.rope.dimension_count
//   gemma family: the converter's defaults, soft-capping and sliding window
//   bert: <arch>.attention.causal = false
// A "text_config" object (multimodal checkpoints) is merged over the top level first.
// general.name is the folder's name. The tokenizer is imported separately (hf_tokenizer_import.h).

#include "base/error.h"
#include "format/metadata.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

namespace matryx {

// The GGUF architecture llama.cpp converts a config.json as ("" when it names none).
std::string ggufArchitectureFor(const nlohmann::json& config);

// Appends the keys above to `out`; returns the architecture. Fails when a field that is
// imported has the wrong JSON type or range (Error names `file` and the field).
Result<std::string> importHfConfig(const nlohmann::json& config, std::string_view modelName,
                                   const std::string& file, Metadata& out);

} // namespace matryx
