#include "quant/model_stats.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace matryx {
namespace {

// A model built in memory: three F32 tensors laid out back to back in one source.
//   "token_embd.weight"   {4, 2}: 1, -2, 3, -4, 5, -6, 7, -8 (mean -0.5, absmax 8)
//   "blk.0.attn_q.weight" {2}:    10, 20                     (mean 15)
//   "blk.1.attn_q.weight" {3}:    -1, 0, 4                   (mean 1)
Model makeModel() {
    const std::vector<float> values = {1, -2, 3, -4, 5, -6, 7, -8, 10, 20, -1, 0, 4};
    std::vector<std::byte> bytes(values.size() * sizeof(float));
    std::memcpy(bytes.data(), values.data(), bytes.size());
    Model m;
    m.path = "memory.gguf";
    m.sources.push_back(ByteSource::own(std::move(bytes), "memory.gguf"));
    m.tensors.push_back({"token_embd.weight", TensorType::F32, {4, 2}, 0, 0, 32});
    m.tensors.push_back({"blk.0.attn_q.weight", TensorType::F32, {2}, 0, 32, 8});
    m.tensors.push_back({"blk.1.attn_q.weight", TensorType::F32, {3}, 0, 40, 12});
    return m;
}

class RecordingProgress : public Progress {
public:
    std::vector<std::pair<double, std::string>> reports;
    int cancelAfter = -1;

protected:
    void onReport(double fraction, std::string_view stage) override {
        reports.emplace_back(fraction, std::string(stage));
        if (cancelAfter >= 0 && int(reports.size()) >= cancelAfter) cancel();
    }
};

TEST(ModelStats, EveryTensorInModelOrder) {
    const Model model = makeModel();
    auto r = computeModelStats(model);
    ASSERT_TRUE(r) << r.error().toString();
    ASSERT_EQ(r->tensors.size(), 3u);
    EXPECT_EQ(r->tensors[0].name, "token_embd.weight");
    EXPECT_EQ(r->tensors[0].index, 0u);
    EXPECT_EQ(r->tensors[0].shape, (std::vector<int64_t>{4, 2}));
    EXPECT_EQ(r->tensors[0].type, TensorType::F32);
    EXPECT_DOUBLE_EQ(r->tensors[0].stats.mean, -0.5);
    EXPECT_EQ(r->tensors[0].stats.absMax, 8.0);
    EXPECT_DOUBLE_EQ(r->tensors[1].stats.mean, 15.0);
    EXPECT_DOUBLE_EQ(r->tensors[1].stats.std, 5.0);
    EXPECT_DOUBLE_EQ(r->tensors[2].stats.mean, 1.0);
    EXPECT_EQ(r->tensors[2].stats.min, -1.0);
    // The default is the summary: no vectors, histograms or top lists.
    for (const auto& t : r->tensors) {
        EXPECT_TRUE(t.stats.rowAbsMax.empty());
        EXPECT_TRUE(t.stats.columnAbsMax.empty());
        EXPECT_TRUE(t.stats.topOutliers.empty());
        EXPECT_TRUE(t.stats.linear.counts.empty());
    }
}

TEST(ModelStats, DetailsWhenAskedFor) {
    ModelStatsOptions o;
    o.tensor = TensorStatsOptions{};
    o.tensor.topK = 1;
    auto r = computeModelStats(makeModel(), o);
    ASSERT_TRUE(r);
    const TensorStats& s = r->tensors[0].stats;
    EXPECT_EQ(s.rowAbsMax, (std::vector<float>{4, 8}));
    ASSERT_EQ(s.topOutliers.size(), 1u);
    EXPECT_EQ(s.topOutliers[0].value, -8.0f);
    EXPECT_EQ(s.topOutliers[0].row, 1u);
    EXPECT_EQ(s.topOutliers[0].column, 3u);
    EXPECT_EQ(s.linear.counts.size(), 256u);
}

TEST(ModelStats, PatternSelectsTensors) {
    ModelStatsOptions o;
    o.tensorPattern = "^blk\\.[0-9]+\\.attn_q";
    auto r = computeModelStats(makeModel(), o);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->tensors.size(), 2u);
    EXPECT_EQ(r->tensors[0].index, 1u);
    EXPECT_EQ(r->tensors[1].index, 2u);
    o.tensorPattern = "blk\\.1"; // found anywhere in the name
    r = computeModelStats(makeModel(), o);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->tensors.size(), 1u);
    EXPECT_EQ(r->tensors[0].name, "blk.1.attn_q.weight");
    o.tensorPattern = "nothing matches";
    r = computeModelStats(makeModel(), o);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->tensors.empty());
}

TEST(ModelStats, InvalidPatternIsAnError) {
    ModelStatsOptions o;
    o.tensorPattern = "blk.(";
    auto r = computeModelStats(makeModel(), o);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "tensorPattern");
    EXPECT_FALSE(r.error().cancelled);
}

TEST(ModelStats, ProgressNamesEachTensor) {
    RecordingProgress p;
    ASSERT_TRUE(computeModelStats(makeModel(), {}, p));
    ASSERT_FALSE(p.reports.empty());
    double last = 0;
    std::vector<std::string> stages;
    for (const auto& [fraction, stage] : p.reports) {
        EXPECT_GE(fraction, last);
        last = fraction;
        if (stages.empty() || stages.back() != stage) stages.push_back(stage);
    }
    EXPECT_EQ(p.reports.back().first, 1.0);
    EXPECT_EQ(stages[0], "token_embd.weight");
    EXPECT_EQ(stages[1], "blk.0.attn_q.weight");
    EXPECT_EQ(stages[2], "blk.1.attn_q.weight");
}

TEST(ModelStats, CancelStopsWithACancelledError) {
    for (const int after : {1, 2, 3}) {
        RecordingProgress p;
        p.cancelAfter = after;
        auto r = computeModelStats(makeModel(), {}, p);
        ASSERT_FALSE(r);
        EXPECT_TRUE(r.error().cancelled);
        EXPECT_EQ(int(p.reports.size()), after);
    }
}

TEST(ModelStats, ErrorNamesFileTensorAndOffset) {
    Model model = makeModel();
    model.tensors[1].shape = {3}; // 12 bytes expected, 8 present
    auto r = computeModelStats(model);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().file, "memory.gguf");
    EXPECT_EQ(r.error().field, "tensors[1] blk.0.attn_q.weight: tensor data");
    EXPECT_EQ(r.error().offset, 32u);
}

} // namespace
} // namespace matryx
