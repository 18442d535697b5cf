#include "format/gguf_reader.h"
#include "format/gguf_writer.h"
#include "plan_test_model.h"
#include "quant/plan_json.h"
#include "quant/plan_layout.h"
#include "quant/quantize_pipeline.h"
#include "tensor/dequantize.h"
#include "tensor/quantize.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

namespace matryx {
namespace {

namespace fs = std::filesystem;
using T = TensorType;

class QuantizePipeline : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::path(::testing::TempDir()) /
               ("quantize_pipeline_" +
                std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // The plan test model with values, written as GGUF with a tokenizer; `quantized` stores the
    // matrices as Q4_0 instead of F16.
    Model writeSource(bool quantized = false) {
        Model shape = test::planTestModel({.blocks = 2});
        Metadata md = shape.metadata;
        md.set("tokenizer.ggml.model", MetaValue::string("gpt2"));
        md.set("tokenizer.ggml.tokens", MetaValue::stringArray({"a", "b", "<|im_end|>"}));
        md.set("tokenizer.chat_template", MetaValue::string("{{ messages }}"));
        std::vector<OutputTensor> tensors;
        for (const auto& t : shape.tensors)
            tensors.push_back({t.name, quantized && t.type == T::F16 ? T::Q4_0 : t.type, t.shape});
        std::mt19937 rng(7);
        std::normal_distribution<float> normal(0.0f, 0.05f);
        const auto produce = [&](size_t i, std::span<std::byte> out) {
            const uint64_t n = shape.tensors[i].elements();
            std::vector<float> values(n);
            for (auto& v : values)
                v = normal(rng);
            return quantize(tensors[i].type, values, tensors[i].shape[0], out);
        };
        const fs::path path = dir_ / "source.gguf";
        EXPECT_TRUE(writeGguf(path, md, tensors, produce, WriteOptions{}, Progress::none()));
        auto model = readGguf(path);
        EXPECT_TRUE(model) << model.error().toString();
        return std::move(*model);
    }

    static Plan mixPlan() {
        Plan plan;
        plan.base = T::Q8_0;
        plan.rules.push_back({"attn_v", LayerRange{0, 0}, {}, T::Q4_K, "first attn_v"});
        plan.overrides["output.weight"] = T::Q6_K;
        return plan;
    }

    // What the pipeline must write for tensor t: its values through f32 into the target type.
    static std::vector<std::byte> expectedBytes(const Model& m, const TensorInfo& t, T target,
                                                const float* importance = nullptr) {
        std::vector<float> values(t.elements());
        EXPECT_TRUE(dequantize(t.type, m.data(t), values));
        std::vector<std::byte> out(bytesFor(target, values.size()).value());
        EXPECT_TRUE(quantize(target, values, t.rowLength(), out, importance));
        return out;
    }

    std::vector<fs::path> files() const {
        std::vector<fs::path> out;
        for (const auto& e : fs::directory_iterator(dir_))
            out.push_back(e.path().filename());
        std::sort(out.begin(), out.end());
        return out;
    }

    fs::path dir_;
};

class CancellingProgress : public Progress {
public:
    explicit CancellingProgress(int after) : after_(after) {}
    std::vector<std::string> stages;

protected:
    void onReport(double, std::string_view stage) override {
        stages.emplace_back(stage);
        if (static_cast<int>(stages.size()) >= after_) cancel();
    }

private:
    int after_;
};

TEST_F(QuantizePipeline, WritesThePlanWithMetadataCarried) {
    const Model source = writeSource();
    const Plan plan = mixPlan();
    auto resolved = plan.resolve(source);
    ASSERT_TRUE(resolved) << resolved.error().toString();
    const fs::path out = dir_ / "out.gguf";
    auto report = quantizeModel(source, *resolved, out, QuantizeOptions{.threads = 2}, Progress::none());
    ASSERT_TRUE(report) << report.error().toString();
    EXPECT_EQ(report->tensors, source.tensors.size());
    EXPECT_EQ(report->copied, 1u + 2u * 2u); // the norms
    EXPECT_EQ(report->converted, source.tensors.size() - report->copied);
    EXPECT_TRUE(report->requantized.empty());
    EXPECT_EQ(report->fileBytes, resolved->fileBytes);
    EXPECT_EQ(fs::file_size(out), resolved->fileBytes);

    auto written = readGguf(out);
    ASSERT_TRUE(written) << written.error().toString();
    ASSERT_EQ(written->tensors.size(), source.tensors.size());
    for (size_t i = 0; i < source.tensors.size(); ++i) {
        const TensorInfo& s = source.tensors[i];
        const TensorInfo& w = written->tensors[i];
        EXPECT_EQ(w.name, s.name);
        EXPECT_EQ(w.shape, s.shape);
        EXPECT_EQ(w.type, resolved->tensors[i].target) << w.name;
        const auto bytes = written->data(w);
        if (w.type == s.type) {
            EXPECT_TRUE(std::equal(bytes.begin(), bytes.end(), source.data(s).begin(), source.data(s).end()))
                << w.name;
        } else {
            const auto expected = expectedBytes(source, s, w.type);
            EXPECT_TRUE(std::equal(bytes.begin(), bytes.end(), expected.begin(), expected.end())) << w.name;
        }
    }
    const auto types = [&](const char* name) { return written->findTensor(name)->type; };
    EXPECT_EQ(types("blk.0.attn_v.weight"), T::Q4_K);
    EXPECT_EQ(types("blk.1.attn_v.weight"), T::Q8_0);
    EXPECT_EQ(types("output.weight"), T::Q6_K);
    EXPECT_EQ(types("blk.1.ffn_down.weight"), T::Q8_0);

    // Every source key is carried, in order; the plan's keys are set.
    const Metadata& md = written->metadata;
    EXPECT_EQ(md.find("tokenizer.ggml.tokens")->items().size(), 3u);
    EXPECT_EQ(md.getString("tokenizer.ggml.model"), "gpt2");
    EXPECT_EQ(md.getString("tokenizer.chat_template"), "{{ messages }}");
    EXPECT_EQ(md.getUnsigned("general.file_type"), 7u); // Q8_0
    EXPECT_EQ(md.getUnsigned("general.quantization_version"), 2u);
    size_t at = 0;
    for (const auto& [key, value] : source.metadata) {
        while (at < md.entries().size() && md.entries()[at].first != key)
            ++at;
        ASSERT_LT(at, md.entries().size()) << key << " missing or out of order";
        if (key != "general.file_type") {
            EXPECT_EQ(md.entries()[at].second, value) << key;
        }
    }
    const auto planText = md.getString(kPlanMetadataKey);
    ASSERT_TRUE(planText);
    auto recorded = planFromJson(*planText);
    ASSERT_TRUE(recorded) << recorded.error().toString();
    EXPECT_EQ(*recorded, plan);
}

TEST_F(QuantizePipeline, ChunkSizeAndThreadsDoNotChangeBytes) {
    const Model source = writeSource();
    auto resolved = Plan::fromPreset(LlamaFileType::Q4_K_M).resolve(source);
    ASSERT_TRUE(resolved);
    ASSERT_TRUE(quantizeModel(source, *resolved, dir_ / "a.gguf", {.threads = 1}, Progress::none()));
    ASSERT_TRUE(
        quantizeModel(source, *resolved, dir_ / "b.gguf", {.threads = 2, .chunkBytes = 1}, Progress::none()));
    auto a = readGguf(dir_ / "a.gguf");
    auto b = readGguf(dir_ / "b.gguf");
    ASSERT_TRUE(a && b);
    const auto bytesA = a->sources[0]->bytes();
    const auto bytesB = b->sources[0]->bytes();
    EXPECT_TRUE(std::equal(bytesA.begin(), bytesA.end(), bytesB.begin(), bytesB.end()));
}

TEST_F(QuantizePipeline, CancelLeavesNothingBehind) {
    const Model source = writeSource();
    auto resolved = mixPlan().resolve(source);
    ASSERT_TRUE(resolved);
    CancellingProgress progress(4);
    auto r = quantizeModel(source, *resolved, dir_ / "out.gguf", {}, progress);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().cancelled);
    EXPECT_EQ(files(), std::vector<fs::path>{"source.gguf"});
    ASSERT_GE(progress.stages.size(), 3u);
    EXPECT_EQ(progress.stages[0], "quantizing token_embd.weight to Q8_0");
    EXPECT_EQ(progress.stages[1], "copying output_norm.weight");
    EXPECT_EQ(progress.stages[2], "quantizing output.weight to Q6_K");
}

TEST_F(QuantizePipeline, ExistingFileNeedsOverwrite) {
    const Model source = writeSource();
    auto resolved = mixPlan().resolve(source);
    ASSERT_TRUE(resolved);
    const fs::path out = dir_ / "out.gguf";
    { std::ofstream(out) << "keep me"; }
    EXPECT_FALSE(quantizeModel(source, *resolved, out, {}, Progress::none()));
    EXPECT_EQ(fs::file_size(out), 7u);
    EXPECT_TRUE(quantizeModel(source, *resolved, out, {.overwrite = Overwrite::Yes}, Progress::none()));
    EXPECT_EQ(fs::file_size(out), resolved->fileBytes);
}

TEST_F(QuantizePipeline, RequantizesThroughDequantization) {
    const Model source = writeSource(true);
    Plan plan;
    plan.base = T::Q8_0;
    auto resolved = plan.resolve(source);
    ASSERT_TRUE(resolved);
    auto report = quantizeModel(source, *resolved, dir_ / "out.gguf", {}, Progress::none());
    ASSERT_TRUE(report) << report.error().toString();
    const size_t matrices = 2 + 2 * 7;
    EXPECT_EQ(report->requantized.size(), matrices);
    EXPECT_EQ(report->requantizedFrom, (std::map<std::string, size_t>{{"Q4_0", matrices}}));
    auto written = readGguf(dir_ / "out.gguf");
    ASSERT_TRUE(written);
    const TensorInfo& s = *source.findTensor("blk.1.attn_q.weight");
    const TensorInfo& w = *written->findTensor("blk.1.attn_q.weight");
    const auto expected = expectedBytes(source, s, T::Q8_0);
    EXPECT_TRUE(
        std::equal(expected.begin(), expected.end(), written->data(w).begin(), written->data(w).end()));
}

TEST_F(QuantizePipeline, Importance) {
    const Model source = writeSource();
    Plan plan;
    plan.base = T::Q4_K;
    auto resolved = plan.resolve(source);
    ASSERT_TRUE(resolved);
    ImportanceMap importance;
    importance["blk.0.attn_q.weight"] = std::vector<float>(256);
    for (size_t i = 0; i < 256; ++i)
        importance["blk.0.attn_q.weight"][i] = 1.0f + float(i % 7);
    importance["blk.1.attn_q.weight"] = std::vector<float>(100, 1.0f); // wrong length
    auto bad =
        quantizeModel(source, *resolved, dir_ / "out.gguf", {.importance = &importance}, Progress::none());
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "importance['blk.1.attn_q.weight']");
    EXPECT_EQ(files(), std::vector<fs::path>{"source.gguf"});

    importance.erase("blk.1.attn_q.weight");
    auto report =
        quantizeModel(source, *resolved, dir_ / "out.gguf", {.importance = &importance}, Progress::none());
    ASSERT_TRUE(report) << report.error().toString();
    EXPECT_EQ(report->withImportance, 1u);
    auto written = readGguf(dir_ / "out.gguf");
    ASSERT_TRUE(written);
    const TensorInfo& s = *source.findTensor("blk.0.attn_q.weight");
    const auto withWeights = expectedBytes(source, s, T::Q4_K, importance.at(s.name).data());
    const auto without = expectedBytes(source, s, T::Q4_K);
    const auto got = written->data(*written->findTensor(s.name));
    EXPECT_TRUE(std::equal(withWeights.begin(), withWeights.end(), got.begin(), got.end()));
    EXPECT_NE(withWeights, without); // the weights made a difference
}

TEST_F(QuantizePipeline, RefusedBeforeWriting) {
    const Model source = writeSource();
    Plan plan;
    plan.base = T::Q8_0;
    plan.overrides["blk.0.attn_q.weight"] = T::IQ2_XS; // needs ggml's lattice search
    auto resolved = plan.resolve(source);
    ASSERT_TRUE(resolved);
    auto r = quantizeModel(source, *resolved, dir_ / "out.gguf", {}, Progress::none());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "tensors['blk.0.attn_q.weight']");
    EXPECT_NE(r.error().message.find("IQ2_XS"), std::string::npos);

    // A plan resolved for another model.
    auto other = Plan{}.resolve(test::planTestModel({.blocks = 3}));
    ASSERT_TRUE(other);
    EXPECT_FALSE(quantizeModel(source, *other, dir_ / "out.gguf", {}, Progress::none()));
    EXPECT_EQ(files(), std::vector<fs::path>{"source.gguf"});
}

} // namespace
} // namespace matryx
