#include "format/hf_config_import.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace matryx {

namespace {

using json = nlohmann::json;

Metadata import(const char* text, std::string* arch = nullptr) {
    Metadata m;
    auto result = importHfConfig(json::parse(text), "my-model", "config.json", m);
    EXPECT_TRUE(result.ok()) << (result ? "" : result.error().toString());
    if (result && arch) *arch = *result;
    return m;
}

void expectU32(const Metadata& m, const char* key, uint32_t value) {
    const MetaValue* v = m.find(key);
    ASSERT_NE(v, nullptr) << key;
    EXPECT_EQ(v->type(), MetaType::U32) << key;
    EXPECT_EQ(v->toUnsigned(), value) << key;
}

void expectF32(const Metadata& m, const char* key, float value) {
    const MetaValue* v = m.find(key);
    ASSERT_NE(v, nullptr) << key;
    EXPECT_EQ(v->type(), MetaType::F32) << key;
    EXPECT_EQ(v->toDouble(), double(value)) << key;
}

} // namespace

// SmolLM2-135M's config.json (a llama).
TEST(HfConfigImport, LlamaKeysAsTheConverterWritesThem) {
    std::string arch;
    const Metadata m = import(R"({
        "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 576,
        "intermediate_size": 1536, "max_position_embeddings": 8192, "num_attention_heads": 9,
        "num_hidden_layers": 30, "num_key_value_heads": 3, "rms_norm_eps": 1e-05,
        "rope_scaling": null, "rope_theta": 100000, "vocab_size": 49152, "tie_word_embeddings": true})",
                              &arch);
    EXPECT_EQ(arch, "llama");
    EXPECT_EQ(m.entries().front().first, "general.architecture");
    EXPECT_EQ(m.getString("general.architecture"), "llama");
    EXPECT_EQ(m.getString("general.name"), "my-model");
    expectU32(m, "llama.block_count", 30);
    expectU32(m, "llama.context_length", 8192);
    expectU32(m, "llama.embedding_length", 576);
    expectU32(m, "llama.feed_forward_length", 1536);
    expectU32(m, "llama.attention.head_count", 9);
    expectU32(m, "llama.attention.head_count_kv", 3);
    expectF32(m, "llama.rope.freq_base", 100000.0f);
    expectF32(m, "llama.attention.layer_norm_rms_epsilon", 1e-5f);
    expectU32(m, "llama.vocab_size", 49152);
    expectU32(m, "llama.rope.dimension_count", 64); // 576 / 9
    EXPECT_FALSE(m.contains("llama.rope.scaling.type"));
}

TEST(HfConfigImport, MistralIsConvertedAsLlama) {
    std::string arch;
    import(R"({"architectures": ["MistralForCausalLM"], "model_type": "mistral", "num_hidden_layers": 2})",
           &arch);
    EXPECT_EQ(arch, "llama");
}

TEST(HfConfigImport, RopeScaling) {
    const Metadata linear =
        import(R"({"model_type": "llama", "rope_scaling": {"type": "linear", "factor": 4.0}})");
    EXPECT_EQ(linear.getString("llama.rope.scaling.type"), "linear");
    expectF32(linear, "llama.rope.scaling.factor", 4.0f);

    const Metadata yarn = import(R"({"architectures": ["Qwen2ForCausalLM"], "rope_theta": 1000000.0,
        "rope_scaling": {"rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32768,
                         "beta_fast": 32, "beta_slow": 1}})");
    EXPECT_EQ(yarn.getString("qwen2.rope.scaling.type"), "yarn");
    expectF32(yarn, "qwen2.rope.scaling.factor", 4.0f);
    expectU32(yarn, "qwen2.rope.scaling.original_context_length", 32768);
    expectF32(yarn, "qwen2.rope.scaling.yarn_beta_fast", 32.0f);
    expectF32(yarn, "qwen2.rope.scaling.yarn_beta_slow", 1.0f);
    expectF32(yarn, "qwen2.rope.freq_base", 1000000.0f);
    EXPECT_FALSE(yarn.contains("qwen2.vocab_size")); // only the llama converter writes it

    const Metadata nested = import(R"({"model_type": "llama",
        "rope_parameters": {"full_attention": {"rope_theta": 500000.0}, "sliding_attention": {"rope_theta": 10000.0}}})");
    expectF32(nested, "llama.rope.freq_base", 500000.0f);
    expectF32(nested, "llama.rope.freq_base_swa", 10000.0f);
}

TEST(HfConfigImport, Gemma2HasSoftCappingAndSlidingWindow) {
    const Metadata m = import(R"({"architectures": ["Gemma2ForCausalLM"], "max_position_embeddings": 8192,
        "hidden_size": 2304, "num_hidden_layers": 26, "intermediate_size": 9216, "num_attention_heads": 8,
        "num_key_value_heads": 4, "rms_norm_eps": 1e-06, "head_dim": 256, "attn_logit_softcapping": 50.0,
        "final_logit_softcapping": 30.0, "sliding_window": 4096, "rope_theta": 10000.0})");
    EXPECT_EQ(m.getString("general.architecture"), "gemma2");
    expectU32(m, "gemma2.attention.head_count_kv", 4);
    expectU32(m, "gemma2.attention.key_length", 256);
    expectU32(m, "gemma2.attention.value_length", 256);
    expectF32(m, "gemma2.attn_logit_softcapping", 50.0f);
    expectF32(m, "gemma2.final_logit_softcapping", 30.0f);
    expectU32(m, "gemma2.attention.sliding_window", 4096);
    EXPECT_FALSE(m.contains("gemma2.rope.freq_base")); // the gemma converters leave it to llama.cpp
}

TEST(HfConfigImport, Gemma3DefaultsAndTextConfig) {
    // A multimodal Gemma 3 config keeps the language model's settings in text_config.
    const Metadata m = import(R"({"architectures": ["Gemma3ForConditionalGeneration"], "model_type": "gemma3",
        "text_config": {"hidden_size": 640, "num_hidden_layers": 18, "intermediate_size": 2048,
                        "num_key_value_heads": 1, "sliding_window": 512, "model_type": "gemma3_text"}})");
    EXPECT_EQ(m.getString("general.architecture"), "gemma3");
    expectU32(m, "gemma3.embedding_length", 640);
    expectU32(m, "gemma3.block_count", 18);
    expectU32(m, "gemma3.context_length", 131072);
    expectU32(m, "gemma3.attention.head_count", 8);
    expectU32(m, "gemma3.attention.head_count_kv", 1);
    expectU32(m, "gemma3.attention.key_length", 256);
    expectF32(m, "gemma3.attention.layer_norm_rms_epsilon", 1e-6f);
    expectF32(m, "gemma3.rope.freq_base", 1000000.0f);
    expectU32(m, "gemma3.attention.sliding_window", 512);
}

TEST(HfConfigImport, BertUsesLayerNormEpsilonAndIsNotCausal) {
    const Metadata m =
        import(R"({"architectures": ["BertModel"], "hidden_size": 384, "intermediate_size": 1536,
        "layer_norm_eps": 1e-12, "max_position_embeddings": 512, "model_type": "bert",
        "num_attention_heads": 12, "num_hidden_layers": 6, "vocab_size": 30522})");
    EXPECT_EQ(m.getString("general.architecture"), "bert");
    expectF32(m, "bert.attention.layer_norm_epsilon", 1e-12f);
    EXPECT_FALSE(m.contains("bert.attention.layer_norm_rms_epsilon"));
    EXPECT_EQ(m.find("bert.attention.causal")->toBool(), false);
    expectU32(m, "bert.block_count", 6);
}

TEST(HfConfigImport, UnknownArchitectureKeepsModelType) {
    std::string arch;
    const Metadata m = import(R"({"model_type": "phi3", "num_hidden_layers": 32})", &arch);
    EXPECT_EQ(arch, "phi3");
    expectU32(m, "phi3.block_count", 32);
    std::string none;
    EXPECT_TRUE(import(R"({"foo": 1})", &none).empty());
    EXPECT_EQ(none, "");
}

TEST(HfConfigImport, WrongTypesNameTheField) {
    Metadata m;
    auto r = importHfConfig(json::parse(R"({"model_type": "llama", "num_hidden_layers": "thirty"})"), "x",
                            "/m/config.json", m);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().file, "/m/config.json");
    EXPECT_EQ(r.error().field, "num_hidden_layers");
    auto negative = importHfConfig(json::parse(R"({"model_type": "llama", "hidden_size": -1})"), "x", "c", m);
    ASSERT_FALSE(negative.ok());
    EXPECT_EQ(negative.error().field, "hidden_size");
    auto eps =
        importHfConfig(json::parse(R"({"model_type": "llama", "rms_norm_eps": "small"})"), "x", "c", m);
    ASSERT_FALSE(eps.ok());
    EXPECT_EQ(eps.error().field, "rms_norm_eps");
    EXPECT_FALSE(importHfConfig(json::parse("[1, 2]"), "x", "c", m).ok());
}

} // namespace matryx
