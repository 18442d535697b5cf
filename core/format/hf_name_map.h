#pragma once

// Tensor names between Hugging Face checkpoints and GGUF, as llama.cpp's converter names them
// (gguf-py tensor_mapping.py), for the architectures Matryx imports:
//
//   Hugging Face                                   GGUF
//   model.embed_tokens                             token_embd
//   model.norm                                     output_norm
//   lm_head                                        output
//   model.layers.N.self_attn.{q,k,v,o}_proj        blk.N.attn_{q,k,v,output}
//   model.layers.N.self_attn.{q,k}_norm            blk.N.attn_{q,k}_norm
//   model.layers.N.mlp.{gate,up,down}_proj         blk.N.ffn_{gate,up,down}
//   model.layers.N.input_layernorm                 blk.N.attn_norm
//   model.layers.N.post_attention_layernorm        blk.N.ffn_norm              (llama, qwen2, gemma)
//                                                  blk.N.post_attention_norm   (gemma2, gemma3)
//   model.layers.N.pre_feedforward_layernorm       blk.N.ffn_norm              (gemma2, gemma3)
//   model.layers.N.post_feedforward_layernorm      blk.N.post_ffw_norm         (gemma2, gemma3)
//   BERT: embeddings.{word,position,token_type}_embeddings -> token_embd, position_embd,
//   token_types; embeddings.LayerNorm -> token_embd_norm; encoder.layer.N.attention.self.
//   {query,key,value} -> blk.N.attn_{q,k,v}; attention.output.dense -> attn_output;
//   attention.output.LayerNorm -> attn_output_norm; intermediate.dense -> ffn_up; output.dense
//   -> ffn_down; output.LayerNorm -> layer_output_norm.
//
// The last part (".weight", ".bias") is kept. HF names are also recognised without the "model."
// prefix (base models), with a "language_model." prefix (Gemma 3 multimodal) and, for BERT, with
// "bert." and the old ".gamma"/".beta"; ggufToHf gives the plain "model." / BERT form.
//
// `arch` is the GGUF architecture ("llama", "qwen2", "qwen3", "gemma", "gemma2", "gemma3",
// "bert"); Hugging Face model types that llama.cpp converts as one of them ("mistral",
// "gemma3_text") are accepted too. Names that are not in the table, and all names of other
// architectures, pass through unchanged.
//
// Names only: llama's q/k weights also need their rows reordered (hf_rope_permute.h), and
// llama.cpp adds 1 to Gemma's norm weights when converting; neither is done here.

#include <string>
#include <string_view>

namespace matryx {

std::string hfToGguf(std::string_view name, std::string_view arch);
std::string ggufToHf(std::string_view name, std::string_view arch);

} // namespace matryx
