#include "format/hf_name_map.h"

#include <gtest/gtest.h>

namespace matryx {

namespace {

struct NameCase {
    const char* arch;
    const char* hf;
    const char* gguf;
};

// GGUF names as gguf-py's TENSOR_NAMES spells them (constants.py).
constexpr NameCase kCases[] = {
    {"llama", "model.embed_tokens.weight", "token_embd.weight"},
    {"llama", "model.norm.weight", "output_norm.weight"},
    {"llama", "lm_head.weight", "output.weight"},
    {"llama", "model.layers.0.self_attn.q_proj.weight", "blk.0.attn_q.weight"},
    {"llama", "model.layers.7.self_attn.k_proj.weight", "blk.7.attn_k.weight"},
    {"llama", "model.layers.12.self_attn.v_proj.weight", "blk.12.attn_v.weight"},
    {"llama", "model.layers.3.self_attn.o_proj.weight", "blk.3.attn_output.weight"},
    {"llama", "model.layers.3.mlp.gate_proj.weight", "blk.3.ffn_gate.weight"},
    {"llama", "model.layers.3.mlp.up_proj.weight", "blk.3.ffn_up.weight"},
    {"llama", "model.layers.3.mlp.down_proj.weight", "blk.3.ffn_down.weight"},
    {"llama", "model.layers.3.input_layernorm.weight", "blk.3.attn_norm.weight"},
    {"llama", "model.layers.3.post_attention_layernorm.weight", "blk.3.ffn_norm.weight"},
    {"qwen2", "model.layers.1.self_attn.q_proj.bias", "blk.1.attn_q.bias"},
    {"qwen2", "model.layers.1.self_attn.k_proj.bias", "blk.1.attn_k.bias"},
    {"qwen2", "model.layers.1.self_attn.v_proj.bias", "blk.1.attn_v.bias"},
    {"qwen2", "model.layers.1.post_attention_layernorm.weight", "blk.1.ffn_norm.weight"},
    {"gemma", "model.layers.2.post_attention_layernorm.weight", "blk.2.ffn_norm.weight"},
    {"gemma2", "model.layers.2.post_attention_layernorm.weight", "blk.2.post_attention_norm.weight"},
    {"gemma2", "model.layers.2.pre_feedforward_layernorm.weight", "blk.2.ffn_norm.weight"},
    {"gemma2", "model.layers.2.post_feedforward_layernorm.weight", "blk.2.post_ffw_norm.weight"},
    {"gemma3", "model.layers.5.self_attn.q_norm.weight", "blk.5.attn_q_norm.weight"},
    {"gemma3", "model.layers.5.self_attn.k_norm.weight", "blk.5.attn_k_norm.weight"},
    {"gemma3", "model.layers.5.post_attention_layernorm.weight", "blk.5.post_attention_norm.weight"},
    {"gemma3", "model.layers.5.pre_feedforward_layernorm.weight", "blk.5.ffn_norm.weight"},
    {"gemma3", "model.layers.5.post_feedforward_layernorm.weight", "blk.5.post_ffw_norm.weight"},
    {"gemma3", "model.embed_tokens.weight", "token_embd.weight"},
    {"bert", "embeddings.word_embeddings.weight", "token_embd.weight"},
    {"bert", "embeddings.position_embeddings.weight", "position_embd.weight"},
    {"bert", "embeddings.token_type_embeddings.weight", "token_types.weight"},
    {"bert", "embeddings.LayerNorm.bias", "token_embd_norm.bias"},
    {"bert", "encoder.layer.4.attention.self.query.weight", "blk.4.attn_q.weight"},
    {"bert", "encoder.layer.4.attention.self.key.bias", "blk.4.attn_k.bias"},
    {"bert", "encoder.layer.4.attention.self.value.weight", "blk.4.attn_v.weight"},
    {"bert", "encoder.layer.4.attention.output.dense.weight", "blk.4.attn_output.weight"},
    {"bert", "encoder.layer.4.attention.output.LayerNorm.weight", "blk.4.attn_output_norm.weight"},
    {"bert", "encoder.layer.4.intermediate.dense.weight", "blk.4.ffn_up.weight"},
    {"bert", "encoder.layer.4.output.dense.bias", "blk.4.ffn_down.bias"},
    {"bert", "encoder.layer.4.output.LayerNorm.weight", "blk.4.layer_output_norm.weight"},
};

} // namespace

TEST(HfNameMap, MapsBothWays) {
    for (const auto& c : kCases) {
        EXPECT_EQ(hfToGguf(c.hf, c.arch), c.gguf) << c.arch << " " << c.hf;
        EXPECT_EQ(ggufToHf(c.gguf, c.arch), c.hf) << c.arch << " " << c.gguf;
    }
}

TEST(HfNameMap, AcceptsOtherHfSpellings) {
    EXPECT_EQ(hfToGguf("layers.0.self_attn.q_proj.weight", "qwen2"), "blk.0.attn_q.weight");
    EXPECT_EQ(hfToGguf("embed_tokens.weight", "llama"), "token_embd.weight");
    EXPECT_EQ(hfToGguf("language_model.model.layers.1.mlp.up_proj.weight", "gemma3"), "blk.1.ffn_up.weight");
    EXPECT_EQ(hfToGguf("bert.encoder.layer.0.output.LayerNorm.gamma", "bert"),
              "blk.0.layer_output_norm.weight");
    EXPECT_EQ(hfToGguf("model.layers.0.self_attn.q_proj.weight", "mistral"), "blk.0.attn_q.weight");
    EXPECT_EQ(hfToGguf("model.layers.0.post_attention_layernorm.weight", "gemma3_text"),
              "blk.0.post_attention_norm.weight");
}

TEST(HfNameMap, UnknownNamesPassThrough) {
    EXPECT_EQ(hfToGguf("model.layers.0.self_attn.rotary_emb.inv_freq", "llama"),
              "model.layers.0.self_attn.rotary_emb.inv_freq");
    EXPECT_EQ(hfToGguf("model.layers.x.mlp.up_proj.weight", "llama"), "model.layers.x.mlp.up_proj.weight");
    EXPECT_EQ(hfToGguf("model.normal.weight", "llama"), "model.normal.weight");
    EXPECT_EQ(hfToGguf("pooler.dense.weight", "bert"), "pooler.dense.weight");
    EXPECT_EQ(hfToGguf("model.layers.0.mlp.up_proj.weight", "phi3"), "model.layers.0.mlp.up_proj.weight");
    EXPECT_EQ(ggufToHf("blk.0.unknown.weight", "llama"), "blk.0.unknown.weight");
    EXPECT_EQ(ggufToHf("rope_freqs.weight", "llama"), "rope_freqs.weight");
}

} // namespace matryx
