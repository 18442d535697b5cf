// llama.cpp's mixtures on the 8-block test model, worked out by hand from llama-quant.cpp's rules.
// "More bits" layers of 8 are i < 8/8, i >= 7*8/8 and (i - 1) % 3 == 2: blocks 0, 3, 6 and 7.

#include "plan_test_model.h"
#include "quant/llama_file_type.h"
#include "quant/llama_preset_types.h"
#include "quant/plan.h"

#include <gtest/gtest.h>

#include <map>

namespace matryx {
namespace {

using T = TensorType;

std::map<std::string, TensorType>
presetTypes(LlamaFileType preset, const test::PlanModelSpec& spec = {.blocks = 8}, bool importance = false) {
    Plan plan = Plan::fromPreset(preset);
    plan.importance = importance;
    auto r = plan.resolve(test::planTestModel(spec));
    EXPECT_TRUE(r) << r.error().toString();
    std::map<std::string, TensorType> out;
    if (r)
        for (const auto& t : r->tensors)
            out[t.name] = t.target;
    return out;
}

std::string blk(int b, const char* kind) {
    return "blk." + std::to_string(b) + "." + kind + ".weight";
}

bool moreBitsBlock(int b) {
    return b == 0 || b == 3 || b == 6 || b == 7;
}

TEST(PlanPreset, Q4_K_M) {
    const auto t = presetTypes(LlamaFileType::Q4_K_M);
    EXPECT_EQ(t.at("output.weight"), T::Q6_K);
    EXPECT_EQ(t.at("token_embd.weight"), T::Q4_K);
    EXPECT_EQ(t.at("output_norm.weight"), T::F32);
    for (int b = 0; b < 8; ++b) {
        EXPECT_EQ(t.at(blk(b, "attn_v")), moreBitsBlock(b) ? T::Q6_K : T::Q4_K) << b;
        // ffn_down rows of 288 values: Q6_K falls back to Q8_0, Q4_K to Q5_0.
        EXPECT_EQ(t.at(blk(b, "ffn_down")), moreBitsBlock(b) ? T::Q8_0 : T::Q5_0) << b;
        EXPECT_EQ(t.at(blk(b, "attn_q")), T::Q4_K);
        EXPECT_EQ(t.at(blk(b, "attn_k")), T::Q4_K);
        EXPECT_EQ(t.at(blk(b, "attn_output")), T::Q4_K);
        EXPECT_EQ(t.at(blk(b, "ffn_up")), T::Q4_K);
        EXPECT_EQ(t.at(blk(b, "attn_norm")), T::F32);
    }
}

TEST(PlanPreset, TiedEmbeddingsActAsOutput) {
    const auto t = presetTypes(LlamaFileType::Q4_K_M, {.blocks = 8, .tied = true});
    EXPECT_EQ(t.at("token_embd.weight"), T::Q6_K);
    EXPECT_FALSE(t.contains("output.weight"));
}

TEST(PlanPreset, Q4_K_S) {
    const auto t = presetTypes(LlamaFileType::Q4_K_S);
    EXPECT_EQ(t.at("output.weight"), T::Q6_K);
    for (int b = 0; b < 8; ++b) {
        EXPECT_EQ(t.at(blk(b, "attn_v")), b < 4 ? T::Q5_K : T::Q4_K) << b;
        EXPECT_EQ(t.at(blk(b, "ffn_down")), b < 1 ? T::Q5_1 : T::Q5_0) << b; // Q5_K / Q4_K, rows of 288
    }
}

TEST(PlanPreset, Q3_K_M) {
    const auto t = presetTypes(LlamaFileType::Q3_K_M);
    EXPECT_EQ(t.at("output.weight"), T::Q6_K);
    EXPECT_EQ(t.at("token_embd.weight"), T::Q3_K);
    for (int b = 0; b < 8; ++b) {
        EXPECT_EQ(t.at(blk(b, "attn_v")), b < 2 ? T::Q5_K : T::Q4_K) << b;
        EXPECT_EQ(t.at(blk(b, "ffn_down")), T::Q5_0) << b; // Q4_K (none in the first 16th), rows of 288
        EXPECT_EQ(t.at(blk(b, "attn_output")), T::Q4_K);
        EXPECT_EQ(t.at(blk(b, "attn_q")), T::Q3_K);
    }
}

TEST(PlanPreset, Q2_K) {
    const auto t = presetTypes(LlamaFileType::Q2_K);
    EXPECT_EQ(t.at("output.weight"), T::Q6_K);
    EXPECT_EQ(t.at("token_embd.weight"), T::Q2_K);
    for (int b = 0; b < 8; ++b) {
        EXPECT_EQ(t.at(blk(b, "attn_v")), T::Q3_K) << b;   // Q4_K only with 4+ query heads per KV head
        EXPECT_EQ(t.at(blk(b, "ffn_down")), T::Q4_0) << b; // Q3_K, rows of 288
        EXPECT_EQ(t.at(blk(b, "attn_output")), T::Q3_K);
        EXPECT_EQ(t.at(blk(b, "attn_k")), T::Q2_K);
    }
}

TEST(PlanPreset, Q8_0AndQ4_0) {
    for (const auto& [name, type] : presetTypes(LlamaFileType::Q8_0))
        EXPECT_EQ(type, name.find("norm") != std::string::npos ? T::F32 : T::Q8_0) << name;
    const auto q4 = presetTypes(LlamaFileType::Q4_0);
    EXPECT_EQ(q4.at("output.weight"), T::Q6_K);
    EXPECT_EQ(q4.at(blk(0, "ffn_down")), T::Q4_0);
    // With an importance matrix, ffn_down of the first eighth gets Q4_1.
    const auto q4i = presetTypes(LlamaFileType::Q4_0, {.blocks = 8}, true);
    EXPECT_EQ(q4i.at(blk(0, "ffn_down")), T::Q4_1);
    EXPECT_EQ(q4i.at(blk(1, "ffn_down")), T::Q4_0);
}

TEST(PlanPreset, OutputWithRowsOfNoWholeBlocksGetsQ8_0) {
    const auto t = presetTypes(LlamaFileType::Q4_K_M, {.blocks = 2, .embd = 288, .ffDown = 288});
    EXPECT_EQ(t.at("output.weight"), T::Q8_0);
    EXPECT_EQ(t.at(blk(1, "attn_q")), T::Q5_0);
}

TEST(PlanPreset, GroupedQueryAttention) {
    Model m = test::planTestModel({.blocks = 8});
    m.metadata.set("llama.attention.head_count_kv", MetaValue::u32(1));
    Plan plan = Plan::fromPreset(LlamaFileType::Q2_K);
    auto r = plan.resolve(m);
    ASSERT_TRUE(r);
    for (const auto& t : r->tensors)
        if (t.name.find("attn_v") != std::string::npos) {
            EXPECT_EQ(t.target, T::Q4_K) << t.name;
        }
}

TEST(PlanPreset, ImportanceNeededForIq2) {
    Plan plan = Plan::fromPreset(LlamaFileType::IQ2_XS);
    auto r = plan.resolve(test::planTestModel({.blocks = 8, .ffDown = 256}));
    ASSERT_TRUE(r) << r.error().toString();
    int needing = 0;
    for (const auto& t : r->tensors) {
        needing += t.needsImportance;
        if (t.name == "output.weight" || t.name == "token_embd.weight") {
            EXPECT_FALSE(t.needsImportance);
        }
    }
    EXPECT_GT(needing, 0);
}

TEST(PlanPreset, FileTypeNames) {
    EXPECT_EQ(findLlamaFileType("q4_k_m"), LlamaFileType::Q4_K_M);
    EXPECT_EQ(findLlamaFileType("Q4_K"), LlamaFileType::Q4_K_M);
    EXPECT_EQ(findLlamaFileType("IQ4_NL"), LlamaFileType::IQ4_NL);
    EXPECT_FALSE(findLlamaFileType("Q4_K_X"));
    EXPECT_FALSE(findLlamaFileType("NVFP4"));
    EXPECT_EQ(static_cast<uint32_t>(LlamaFileType::Q4_K_M), 15u);
    EXPECT_EQ(llamaFileTypeInfo(LlamaFileType::Q5_K_S).defaultType, T::Q5_K);
    EXPECT_EQ(fileTypeForBase(T::Q6_K), LlamaFileType::Q6_K);
    EXPECT_EQ(fileTypeForBase(T::Q4_K), LlamaFileType::Q4_K_M);
}

} // namespace
} // namespace matryx
