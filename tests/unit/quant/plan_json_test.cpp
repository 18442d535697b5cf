#include "quant/plan_json.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace matryx {
namespace {

using T = TensorType;

Plan fullPlan() {
    Plan plan = Plan::fromPreset(LlamaFileType::Q4_K_M);
    plan.importance = true;
    plan.description = "attention kept sharp";
    plan.rules.push_back({"attn_v", LayerRange{0, 3}, {}, T::Q6_K, "first four"});
    plan.rules.push_back({"", LayerRange{-2, -1}, {"ffn_down", "ffn_up"}, T::Q8_0, ""});
    plan.rules.push_back({"blk\\.1[0-9]\\.", std::nullopt, {}, T::IQ4_NL, ""});
    plan.overrides["output.weight"] = T::F16;
    plan.overrides["token_embd.weight"] = T::Q5_0;
    return plan;
}

Error loadError(const std::string& text) {
    auto r = planFromJson(text, "p.json");
    EXPECT_FALSE(r) << "accepted: " << text;
    return r ? Error{} : r.error();
}

TEST(PlanJson, RoundTrip) {
    const Plan plan = fullPlan();
    auto back = planFromJson(planToJson(plan));
    ASSERT_TRUE(back) << back.error().toString();
    EXPECT_EQ(*back, plan);

    Plan plain;
    plain.base = T::Q5_1;
    auto plainBack = planFromJson(planToJson(plain));
    ASSERT_TRUE(plainBack);
    EXPECT_EQ(*plainBack, plain);
}

TEST(PlanJson, HandWrittenForms) {
    auto r = planFromJson(R"({"version": 1, "base": 4,
        "rules": [{"layers": {"first_n": 4}, "kinds": ["attn_v"], "type": "q6_k"},
                  {"layers": {"last_n": 2}, "type": 8},
                  {"layers": {"first": 2}, "type": "Q5_0"}],
        "overrides": {"output.weight": 16}})");
    ASSERT_TRUE(r) << r.error().toString();
    EXPECT_EQ(r->base, T::Q4_K);
    ASSERT_EQ(r->rules.size(), 3u);
    EXPECT_EQ(r->rules[0].layers, (LayerRange{0, 3}));
    EXPECT_EQ(r->rules[0].type, T::Q6_K);
    EXPECT_EQ(r->rules[0].kinds, std::vector<std::string>{"attn_v"});
    EXPECT_EQ(r->rules[1].layers, (LayerRange{-2, -1}));
    EXPECT_EQ(r->rules[1].type, T::Q8_0);
    EXPECT_EQ(r->rules[2].layers, (LayerRange{2, -1}));
    EXPECT_EQ(r->overrides.at("output.weight"), T::F16);
    EXPECT_FALSE(r->preset);
}

TEST(PlanJson, PresetGivesItsBase) {
    auto r = planFromJson(R"({"version": 1, "preset": "q5_k_s"})");
    ASSERT_TRUE(r) << r.error().toString();
    EXPECT_EQ(r->preset, LlamaFileType::Q5_K_S);
    EXPECT_EQ(r->base, T::Q5_K);
    EXPECT_FALSE(r->importance);
}

TEST(PlanJson, ErrorsNameTheField) {
    EXPECT_EQ(loadError(R"([1, 2])").field, "");
    EXPECT_EQ(loadError(R"({"base": "Q4_K"})").field, "version");
    EXPECT_NE(loadError(R"({"version": 2, "base": "Q4_K"})").message.find("version 2"), std::string::npos);
    EXPECT_EQ(loadError(R"({"version": 1})").field, "base");
    EXPECT_EQ(loadError(R"({"version": 1, "base": "Q4_K", "colour": 1})").field, "colour");
    EXPECT_EQ(loadError(R"({"version": 1, "base": "Q9_K"})").field, "base");
    EXPECT_EQ(loadError(R"({"version": 1, "base": 7})").field, "base");
    EXPECT_EQ(loadError(R"({"version": 1, "base": true})").field, "base");
    EXPECT_EQ(loadError(R"({"version": 1, "base": "Q8_K"})").field, "base");
    EXPECT_EQ(loadError(R"({"version": 1, "preset": "Q7_K"})").field, "preset");
    EXPECT_EQ(loadError(R"({"version": 1, "preset": "Q4_K_M", "base": "Q8_0"})").field, "base");
    EXPECT_EQ(loadError(R"({"version": 1, "base": 4, "rules": {}})").field, "rules");
    EXPECT_EQ(loadError(R"({"version": 1, "base": 4, "rules": [{"pattern": "x"}]})").field, "rules[0].type");
    EXPECT_EQ(
        loadError(R"({"version": 1, "base": 4, "rules": [{"type": 4}, {"type": 4, "pattern": "(("}]})").field,
        "rules[1].pattern");
    EXPECT_EQ(
        loadError(R"({"version": 1, "base": 4, "rules": [{"type": 4, "layers": {"first": "0"}}]})").field,
        "rules[0].layers.first");
    EXPECT_EQ(
        loadError(R"({"version": 1, "base": 4, "rules": [{"type": 4, "layers": {"first_n": 0}}]})").field,
        "rules[0].layers.first_n");
    EXPECT_EQ(
        loadError(R"({"version": 1, "base": 4, "rules": [{"type": 4, "layers": {"first_n": 2, "last": 3}}]})")
            .field,
        "rules[0].layers");
    EXPECT_EQ(
        loadError(R"({"version": 1, "base": 4, "rules": [{"type": 4, "layers": {"first": 3, "last": 1}}]})")
            .field,
        "rules[0].layers");
    EXPECT_EQ(loadError(R"({"version": 1, "base": 4, "rules": [{"type": 4, "kinds": ["a", 3]}]})").field,
              "rules[0].kinds[1]");
    EXPECT_EQ(loadError(R"({"version": 1, "base": 4, "rules": [{"type": 4, "weight": 3}]})").field,
              "rules[0].weight");
    EXPECT_EQ(loadError(R"({"version": 1, "base": 4, "overrides": {"output.weight": "Q8_1"}})").field,
              "overrides['output.weight']");
    EXPECT_EQ(loadError(R"({"version": 1, "base": 4, "overrides": {"": "Q8_0"}})").field, "overrides['']");
    EXPECT_EQ(loadError(R"({"version": 1, "base": 4, "importance_matrix": 1})").field, "importance_matrix");
}

TEST(PlanJson, SyntaxErrorNamesTheOffset) {
    const Error e = loadError("{\"version\": 1,\n \"base\": }");
    EXPECT_EQ(e.file, "p.json");
    ASSERT_TRUE(e.offset);
    EXPECT_EQ(*e.offset, 24u); // the '}' where a value should be
    EXPECT_NE(e.message.find("not valid JSON"), std::string::npos);
    EXPECT_FALSE(planFromJson(""));
    EXPECT_FALSE(planFromJson(std::string("{\"version\": 1, \"base\": \"\xff\"}")));
}

TEST(PlanJson, SaveAndLoad) {
    const auto path = std::filesystem::path(::testing::TempDir()) / "plan_json_test.json";
    std::filesystem::remove(path);
    const Plan plan = fullPlan();
    ASSERT_TRUE(savePlan(plan, path, Overwrite::No));
    auto loaded = loadPlan(path);
    ASSERT_TRUE(loaded) << loaded.error().toString();
    EXPECT_EQ(*loaded, plan);
    EXPECT_FALSE(savePlan(plan, path, Overwrite::No)); // exists
    EXPECT_TRUE(savePlan(Plan{}, path, Overwrite::Yes));
    EXPECT_EQ(*loadPlan(path), Plan{});

    {
        std::ofstream out(path, std::ios::trunc);
        out << R"({"version": 1, "base": "Q4_K", "rules": [{"type": "Q4_K", "pattern": "[" }]})";
    }
    auto bad = loadPlan(path);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().file, path.string());
    EXPECT_EQ(bad.error().field, "rules[0].pattern");
    std::filesystem::remove(path);
    EXPECT_FALSE(loadPlan(path));
}

} // namespace
} // namespace matryx
