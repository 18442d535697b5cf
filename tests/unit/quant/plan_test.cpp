#include "format/gguf_writer.h"
#include "plan_test_model.h"
#include "quant/bit_width.h"
#include "quant/plan.h"
#include "quant/type_fallback.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

namespace matryx {
namespace {

using T = TensorType;

std::map<std::string, ResolvedTensor> byName(const ResolvedPlan& plan) {
    std::map<std::string, ResolvedTensor> out;
    for (const auto& t : plan.tensors)
        out[t.name] = t;
    return out;
}

ResolvedPlan resolveOrFail(const Plan& plan, const Model& model) {
    auto r = plan.resolve(model);
    EXPECT_TRUE(r) << r.error().toString();
    return r ? std::move(*r) : ResolvedPlan{};
}

TEST(Plan, BaseTypeForWeightsNormsKept) {
    Plan plan;
    plan.base = T::Q8_0;
    const auto r = byName(resolveOrFail(plan, test::planTestModel()));
    EXPECT_EQ(r.at("blk.0.attn_q.weight").target, T::Q8_0);
    EXPECT_EQ(r.at("blk.0.attn_q.weight").step, PlanStep::Base);
    EXPECT_EQ(r.at("token_embd.weight").target, T::Q8_0);
    EXPECT_EQ(r.at("output_norm.weight").target, T::F32);
    EXPECT_EQ(r.at("output_norm.weight").step, PlanStep::Kept);
    EXPECT_EQ(r.at("blk.3.ffn_norm.weight").step, PlanStep::Kept);
    // 288 values per row are nine Q8_0 blocks: no fallback.
    EXPECT_EQ(r.at("blk.2.ffn_down.weight").target, T::Q8_0);
    EXPECT_FALSE(r.at("blk.2.ffn_down.weight").chosen);
}

TEST(Plan, RuleByRegex) {
    Plan plan;
    plan.base = T::Q4_0;
    plan.rules.push_back({"attn_(v|k)", std::nullopt, {}, T::Q8_0, "values"});
    const auto r = byName(resolveOrFail(plan, test::planTestModel()));
    for (int b = 0; b < 4; ++b) {
        const std::string p = "blk." + std::to_string(b) + ".";
        EXPECT_EQ(r.at(p + "attn_v.weight").target, T::Q8_0);
        EXPECT_EQ(r.at(p + "attn_k.weight").target, T::Q8_0);
        EXPECT_EQ(r.at(p + "attn_k.weight").step, PlanStep::Rule);
        EXPECT_EQ(r.at(p + "attn_k.weight").rule, 0);
        EXPECT_EQ(r.at(p + "attn_q.weight").target, T::Q4_0);
    }
    EXPECT_EQ(r.at("blk.0.attn_v.weight").why, "rule 0 (values)");
    // The regex is searched, not matched against the whole name; a rule never touches a kept tensor.
    EXPECT_EQ(r.at("blk.0.attn_norm.weight").target, T::F32);
}

TEST(Plan, RuleByLayerRangeAndKind) {
    Plan plan;
    plan.base = T::Q4_0;
    plan.rules.push_back({"", LayerRange{0, 1}, {"ffn_down"}, T::Q5_0, ""});
    plan.rules.push_back({"", LayerRange::lastN(1), {"attn_q", "attn_output"}, T::Q8_0, ""});
    const auto r = byName(resolveOrFail(plan, test::planTestModel({.blocks = 4})));
    EXPECT_EQ(r.at("blk.0.ffn_down.weight").target, T::Q5_0);
    EXPECT_EQ(r.at("blk.1.ffn_down.weight").target, T::Q5_0);
    EXPECT_EQ(r.at("blk.2.ffn_down.weight").target, T::Q4_0);
    EXPECT_EQ(r.at("blk.1.ffn_up.weight").target, T::Q4_0);
    EXPECT_EQ(r.at("blk.3.attn_q.weight").target, T::Q8_0);
    EXPECT_EQ(r.at("blk.3.attn_output.weight").target, T::Q8_0);
    EXPECT_EQ(r.at("blk.3.attn_v.weight").target, T::Q4_0);
    EXPECT_EQ(r.at("blk.2.attn_q.weight").target, T::Q4_0);
    // Tensors outside any block never match a rule with layers.
    EXPECT_EQ(r.at("output.weight").target, T::Q4_0);
}

TEST(Plan, LayerRangeCountsFromTheEnd) {
    EXPECT_TRUE((LayerRange{-2, -1}.contains(8, 10)));
    EXPECT_TRUE((LayerRange{-2, -1}.contains(9, 10)));
    EXPECT_FALSE((LayerRange{-2, -1}.contains(7, 10)));
    EXPECT_TRUE((LayerRange{2, -3}.contains(7, 10)));
    EXPECT_FALSE((LayerRange{2, -3}.contains(8, 10)));
    EXPECT_FALSE((LayerRange{2, -3}.contains(1, 10)));
    EXPECT_EQ(LayerRange::firstN(4), (LayerRange{0, 3}));
    EXPECT_EQ(LayerRange::lastN(4), (LayerRange{-4, -1}));
}

TEST(Plan, PrecedenceBaseRuleLaterRuleOverride) {
    Plan plan;
    plan.base = T::Q4_0;
    plan.rules.push_back({"blk\\.[01]\\.", std::nullopt, {}, T::Q5_1, ""});
    plan.rules.push_back({"attn_q", std::nullopt, {}, T::Q8_0, ""});
    plan.overrides["blk.0.attn_q.weight"] = T::F16;
    const auto r = byName(resolveOrFail(plan, test::planTestModel()));
    EXPECT_EQ(r.at("blk.0.attn_q.weight").target, T::F16);
    EXPECT_EQ(r.at("blk.0.attn_q.weight").step, PlanStep::Override);
    EXPECT_EQ(r.at("blk.1.attn_q.weight").target, T::Q8_0); // both rules match, the later wins
    EXPECT_EQ(r.at("blk.1.attn_q.weight").rule, 1);
    EXPECT_EQ(r.at("blk.1.attn_k.weight").target, T::Q5_1);
    EXPECT_EQ(r.at("blk.1.attn_k.weight").rule, 0);
    EXPECT_EQ(r.at("blk.2.attn_k.weight").target, T::Q4_0);
}

TEST(Plan, RuleBeatsPresetOverrideBeatsRule) {
    Plan plan = Plan::fromPreset(LlamaFileType::Q4_K_M);
    plan.rules.push_back({"output\\.weight", std::nullopt, {}, T::Q8_0, ""});
    plan.rules.push_back({"blk\\.0\\.attn_v", std::nullopt, {}, T::Q4_K, ""});
    plan.overrides["token_embd.weight"] = T::Q5_K;
    const auto r = byName(resolveOrFail(plan, test::planTestModel()));
    EXPECT_EQ(r.at("output.weight").target, T::Q8_0); // the preset says Q6_K
    EXPECT_EQ(r.at("blk.0.attn_v.weight").target, T::Q4_K);
    EXPECT_EQ(r.at("token_embd.weight").target, T::Q5_K);
    EXPECT_EQ(r.at("blk.0.attn_q.weight").step, PlanStep::Preset);
}

TEST(Plan, RowFallbacks) {
    Plan plan;
    plan.base = T::Q4_K;
    plan.overrides["blk.1.ffn_down.weight"] = T::Q6_K;
    plan.overrides["blk.2.ffn_down.weight"] = T::Q5_K;
    plan.overrides["blk.3.ffn_down.weight"] = T::Q2_K;
    const ResolvedPlan resolved = resolveOrFail(plan, test::planTestModel());
    const auto r = byName(resolved);
    // Rows of 288: Q4_K -> Q5_0, Q6_K -> Q8_0, Q5_K -> Q5_1, Q2_K -> Q4_0 (llama.cpp's table).
    EXPECT_EQ(r.at("blk.0.ffn_down.weight").target, T::Q5_0);
    EXPECT_EQ(r.at("blk.0.ffn_down.weight").chosen, T::Q4_K);
    EXPECT_EQ(r.at("blk.1.ffn_down.weight").target, T::Q8_0);
    EXPECT_EQ(r.at("blk.2.ffn_down.weight").target, T::Q5_1);
    EXPECT_EQ(r.at("blk.3.ffn_down.weight").target, T::Q4_0);
    EXPECT_EQ(r.at("blk.0.attn_q.weight").target, T::Q4_K);
    EXPECT_FALSE(r.at("blk.0.attn_q.weight").chosen);
    EXPECT_EQ(resolved.fallbacks(), 4u);
}

TEST(Plan, RowsOfNoBlockSizeFallBackToF16) {
    Plan plan;
    plan.base = T::Q4_K;
    const auto r = byName(resolveOrFail(plan, test::planTestModel({.blocks = 1, .ffDown = 100})));
    EXPECT_EQ(r.at("blk.0.ffn_down.weight").target, T::F16);
    EXPECT_EQ(rowFallbackType(T::Q4_0, 48), T::F16);
    EXPECT_EQ(rowFallbackType(T::IQ2_XS, 96), T::IQ4_NL);
    EXPECT_EQ(rowFallbackType(T::Q4_K, 512), T::Q4_K);
}

// A hand-sized model: token_embd {256, 4} as Q4_K is 4 blocks of 144 bytes; output_norm {256}
// stays F32 (1024 bytes); ffn_down {288, 2} falls back to Q5_0, 18 blocks of 22 bytes.
TEST(Plan, PredictedSizeAndBitsPerWeight) {
    Model m;
    m.path = "tiny.gguf";
    m.metadata.set("general.architecture", MetaValue::string("llama"));
    m.tensors.push_back({"token_embd.weight", T::F16, {256, 4}, 0, 0, 2048});
    m.tensors.push_back({"output_norm.weight", T::F32, {256}, 0, 0, 1024});
    m.tensors.push_back({"blk.0.ffn_down.weight", T::F16, {288, 2}, 0, 0, 1152});
    Plan plan;
    plan.base = T::Q4_K;
    const ResolvedPlan r = resolveOrFail(plan, m);
    ASSERT_EQ(r.tensors.size(), 3u);
    EXPECT_EQ(r.tensors[0].bytes, 576u);
    EXPECT_EQ(r.tensors[1].bytes, 1024u);
    EXPECT_EQ(r.tensors[2].bytes, 396u);
    EXPECT_EQ(r.tensorBytes, 576u + 1024u + 396u);
    EXPECT_EQ(r.elements, 1024u + 256u + 576u);
    EXPECT_DOUBLE_EQ(r.bitsPerWeight(), 8.0 * 1996.0 / 1856.0);
    EXPECT_EQ(r.fileType, LlamaFileType::Q4_K_M);
}

TEST(Plan, PredictedSizeIsSumOfTensorBytes) {
    Plan plan = Plan::fromPreset(LlamaFileType::Q4_K_M);
    plan.rules.push_back({"attn_q", std::nullopt, {}, T::IQ4_NL, ""});
    const ResolvedPlan r = resolveOrFail(plan, test::planTestModel({.blocks = 8}));
    uint64_t sum = 0, elements = 0;
    for (const auto& t : r.tensors) {
        EXPECT_EQ(t.bytes, bytesFor(t.target, t.elements).value()) << t.name;
        sum += t.bytes;
        elements += t.elements;
    }
    EXPECT_EQ(r.tensorBytes, sum);
    EXPECT_EQ(r.elements, elements);
    EXPECT_DOUBLE_EQ(r.bitsPerWeight(), 8.0 * double(sum) / double(elements));
}

// The predicted file size is the size of the file the GGUF writer gives for the same tensors.
TEST(Plan, PredictedFileSizeMatchesWrittenFile) {
    Plan plan = Plan::fromPreset(LlamaFileType::Q4_K_M);
    const ResolvedPlan r = resolveOrFail(plan, test::planTestModel({.blocks = 3}));
    std::vector<OutputTensor> outputs;
    for (const auto& t : r.tensors)
        outputs.push_back({t.name, t.target, t.shape});
    const auto path = std::filesystem::path(::testing::TempDir()) / "plan_size.gguf";
    std::filesystem::remove(path);
    const auto zeros = [](size_t, std::span<std::byte> out) {
        std::fill(out.begin(), out.end(), std::byte{0});
        return Status{};
    };
    WriteOptions options;
    options.alignment = r.alignment;
    ASSERT_TRUE(writeGguf(path, r.metadata, outputs, zeros, options, Progress::none()));
    EXPECT_EQ(std::filesystem::file_size(path), r.fileBytes);
    EXPECT_GT(r.headerBytes, 0u);
    EXPECT_EQ(r.headerBytes % r.alignment, 0u);
    std::filesystem::remove(path);
}

TEST(Plan, MetadataRecordsFileType) {
    Plan plan;
    plan.base = T::Q8_0;
    const ResolvedPlan r = resolveOrFail(plan, test::planTestModel());
    EXPECT_EQ(r.metadata.getUnsigned("general.file_type"), 7u);
    EXPECT_EQ(r.metadata.getUnsigned("general.quantization_version"), 2u);
    EXPECT_EQ(r.metadata.getString("general.architecture"), "llama");
    // A float base is labelled with its float file type (F32 is 0).
    plan.base = T::F32;
    EXPECT_EQ(resolveOrFail(plan, test::planTestModel()).metadata.getUnsigned("general.file_type"), 0u);
}

TEST(Plan, OverrideWarnings) {
    Plan plan;
    plan.base = T::Q4_0;
    plan.overrides["output_norm.weight"] = T::Q8_0;
    plan.overrides["no.such.weight"] = T::Q8_0;
    const ResolvedPlan r = resolveOrFail(plan, test::planTestModel());
    ASSERT_EQ(r.warnings.size(), 2u);
    EXPECT_NE(r.warnings[0].find("no.such.weight"), std::string::npos);
    EXPECT_NE(r.warnings[1].find("never quantized"), std::string::npos);
    EXPECT_EQ(byName(r).at("output_norm.weight").target, T::F32);
}

TEST(Plan, ValidateNamesTheField) {
    Plan plan;
    plan.base = T::Q8_K;
    auto s = plan.validate("p.json");
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().field, "base");
    EXPECT_EQ(s.error().file, "p.json");

    plan = Plan::fromPreset(LlamaFileType::Q4_K_M);
    plan.base = T::Q5_K;
    s = plan.validate();
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().field, "base");

    plan = Plan{};
    plan.rules.push_back({"ok", std::nullopt, {}, T::Q8_0, ""});
    plan.rules.push_back({"(unclosed", std::nullopt, {}, T::Q8_0, ""});
    s = plan.validate();
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().field, "rules[1].pattern");

    plan.rules = {{"", LayerRange{5, 2}, {}, T::Q8_0, ""}};
    s = plan.validate();
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().field, "rules[0].layers");

    plan.rules = {{"", std::nullopt, {"attn_v", ""}, T::Q8_0, ""}};
    s = plan.validate();
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().field, "rules[0].kinds[1]");

    plan.rules.clear();
    plan.overrides["output.weight"] = T::Q8_1;
    s = plan.validate();
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().field, "overrides['output.weight']");
    EXPECT_FALSE(plan.resolve(test::planTestModel()));
}

TEST(Plan, BitWidths) {
    EXPECT_EQ(typeForBits(4), T::Q4_K);
    EXPECT_EQ(typeForBits(8), T::Q8_0);
    EXPECT_EQ(typeForBits(16), T::F16);
    EXPECT_FALSE(typeForBits(7));
    EXPECT_TRUE(isWeightType(T::IQ4_NL));
    EXPECT_FALSE(isWeightType(T::Q8_K));
    EXPECT_FALSE(isWeightType(T::Q8_1));
}

} // namespace
} // namespace matryx
