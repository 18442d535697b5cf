// Activation capture: the accumulation on hand-worked rows, the forward pass's observer calls
// on the demo model (SmolLM2: llama, tied embeddings) and the calibration runner's windows.

#include "infer/activation_capture.h"
#include "infer/activation_capture_runner.h"
#include "infer/inference_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <thread>

namespace matryx {
namespace {

uint64_t histogramTotal(const Histogram& h) {
    return std::accumulate(h.counts.begin(), h.counts.end(), uint64_t{0}) + h.below + h.above;
}

// Row t of 16: (t, -2, 0.5), then two padding values the stride skips.
std::vector<float> sampleRows() {
    std::vector<float> x;
    for (int t = 0; t < 16; ++t)
        x.insert(x.end(), {float(t), -2.0f, 0.5f, 1000.0f, 1000.0f});
    return x;
}

TEST(ActivationCapture, AccumulatesSquaresSumsMaximaAndRows) {
    ActivationCapture capture;
    const auto x = sampleRows();
    capture.observe("blk.0.attn_q.weight", x.data(), 16, 3, 5);
    capture.observe("blk.0.attn_q.weight", x.data(), 16, 3, 5);
    const auto all = capture.snapshot();
    ASSERT_EQ(all.size(), 1u);
    const TensorActivations& a = all[0];
    EXPECT_EQ(a.name, "blk.0.attn_q.weight");
    EXPECT_EQ(a.columns, 3);
    EXPECT_EQ(a.rows, 32u);
    // Twice: sum of t^2 for t < 16 is 1240; 16 x 4; 16 x 0.25.
    EXPECT_EQ(a.sumSquares, (std::vector<float>{2480, 128, 8}));
    EXPECT_EQ(a.sums, (std::vector<float>{240, -64, 16}));
    EXPECT_EQ(a.absMax, (std::vector<float>{15, 2, 0.5f}));
    EXPECT_DOUBLE_EQ(a.meanSquare(0), 77.5);
    EXPECT_DOUBLE_EQ(a.meanSquare(2), 0.25);
    EXPECT_EQ(a.nonFinite, 0u);
    EXPECT_EQ(histogramTotal(a.histogram), 96u);
    EXPECT_EQ(a.histogram.below + a.histogram.above, 0u);
}

TEST(ActivationCapture, SumsInRowOrderInFloat) {
    // 2^24 + 1 + 1 in float stays 2^24 when added one at a time, as llama-imatrix adds.
    std::vector<float> x(16, 0.0f);
    x[0] = 4096.0f; // 4096^2 = 2^24
    for (int t = 1; t < 16; ++t)
        x[size_t(t)] = 1.0f;
    ActivationCapture capture;
    capture.observe("blk.2.ffn_down.weight", x.data(), 16, 1, 1);
    EXPECT_EQ(capture.snapshot()[0].sumSquares[0], 16777216.0f);
}

TEST(ActivationCapture, SkipsWhatLlamaImatrixSkips) {
    const auto x = sampleRows();
    ActivationCapture capture;
    capture.observe("blk.0.attn_k.weight", x.data(), 15, 3, 5); // fewer than 16 rows
    capture.observe("output.weight", x.data(), 16, 3, 5);
    capture.observe("token_embd.weight", x.data(), 16, 3, 5);
    EXPECT_EQ(capture.tensorCount(), 0u);

    ActivationCaptureOptions options;
    options.includeOutput = true;
    options.minRows = 1;
    ActivationCapture withOutput(options);
    withOutput.observe("blk.0.attn_k.weight", x.data(), 15, 3, 5);
    withOutput.observe("output.weight", x.data(), 16, 3, 5);
    EXPECT_EQ(withOutput.tensorCount(), 2u);
    // A second shape for the same weight is ignored.
    withOutput.observe("output.weight", x.data(), 16, 2, 5);
    EXPECT_EQ(withOutput.snapshot()[1].rows, 16u);
}

TEST(ActivationCapture, CountsNonFiniteValuesOutsideHistogramAndMaxima) {
    auto x = sampleRows();
    x[1] = std::numeric_limits<float>::quiet_NaN();
    x[7] = std::numeric_limits<float>::infinity();
    ActivationCapture capture;
    capture.observe("blk.0.ffn_up.weight", x.data(), 16, 3, 5);
    const TensorActivations a = capture.snapshot()[0];
    EXPECT_EQ(a.nonFinite, 2u);
    EXPECT_EQ(histogramTotal(a.histogram), 46u);
    EXPECT_EQ(a.absMax[1], 2.0f);
    EXPECT_TRUE(std::isnan(a.sumSquares[1]));
}

TEST(ActivationCapture, ManyThreadsLoseNothing) {
    const auto x = sampleRows();
    ActivationCapture capture;
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&] {
            for (int k = 0; k < 50; ++k)
                capture.observe("blk.0.attn_v.weight", x.data(), 16, 3, 5);
        });
    for (auto& t : threads)
        t.join();
    const TensorActivations a = capture.snapshot()[0];
    EXPECT_EQ(a.rows, 3200u);
    EXPECT_EQ(a.sumSquares[1], 12800.0f); // integers, exact in any order
    EXPECT_EQ(histogramTotal(a.histogram), 9600u);
}

// Records every call as the forward pass makes it.
class CallLog : public MatmulObserver {
public:
    void observe(std::string_view weight, const float*, int64_t rows, int64_t columns, int64_t stride) override {
        auto& c = calls[std::string(weight)];
        ++c.calls;
        c.rows = rows;
        c.columns = columns;
        EXPECT_EQ(stride, columns);
    }
    struct Call {
        int calls = 0;
        int64_t rows = 0, columns = 0;
    };
    std::map<std::string, Call> calls;
};

std::shared_ptr<const InferenceModel> demoModel() {
    auto model = InferenceModel::open(MATRYX_DEMO_MODEL);
    if (!model) ADD_FAILURE() << "the demo model is needed: " << model.error().toString();
    return model ? *model : nullptr;
}

std::vector<TokenId> someTokens(size_t n) {
    std::vector<TokenId> t(n);
    for (size_t i = 0; i < n; ++i)
        t[i] = TokenId(1 + (i * 7919) % 40000);
    return t;
}

TEST(ActivationCaptureModel, ObserverSeesEveryMatrixOncePerLayer) {
    auto model = demoModel();
    ASSERT_TRUE(model);
    const ModelConfig& c = model->config();
    auto session = InferenceSession::create(model, {64, 2, 512});
    ASSERT_TRUE(session);
    CallLog log;
    session->setMatmulObserver(&log);
    ASSERT_TRUE(session->evaluate(someTokens(20), 0, LogitsMode::All));
    const std::map<std::string, int64_t> columns = {
        {"attn_q", c.embedding}, {"attn_k", c.embedding}, {"attn_v", c.embedding},
        {"attn_output", c.heads * c.headDimV}, {"ffn_gate", c.embedding}, {"ffn_up", c.embedding},
        {"ffn_down", c.feedForward}};
    EXPECT_EQ(log.calls.size(), size_t(c.layers) * columns.size() + 1);
    for (int64_t il = 0; il < c.layers; ++il)
        for (const auto& [role, k] : columns) {
            const auto& call = log.calls[layerWeightName(il, role)];
            EXPECT_EQ(call.calls, 1) << layerWeightName(il, role);
            EXPECT_EQ(call.rows, 20);
            EXPECT_EQ(call.columns, k);
        }
    // SmolLM2 ties its output to the token embedding; the product is named after that tensor.
    EXPECT_EQ(log.calls["token_embd.weight"].calls, 1);
    EXPECT_EQ(log.calls["token_embd.weight"].columns, c.embedding);

    // Only the last row goes on past the last layer's attention when only its logits are asked for.
    log.calls.clear();
    ASSERT_TRUE(session->evaluate(someTokens(20), 0, LogitsMode::Last));
    const std::string last = std::to_string(c.layers - 1);
    EXPECT_EQ(log.calls["blk." + last + ".attn_q.weight"].rows, 20);
    EXPECT_EQ(log.calls["blk." + last + ".attn_output.weight"].rows, 1);
    EXPECT_EQ(log.calls["blk." + last + ".ffn_down.weight"].rows, 1);

    session->setMatmulObserver(nullptr);
    log.calls.clear();
    ASSERT_TRUE(session->evaluate(someTokens(4), 0, LogitsMode::Last));
    EXPECT_TRUE(log.calls.empty());
}

TEST(ActivationCaptureModel, RunnerEvaluatesWholeWindowsWithBos) {
    auto model = demoModel();
    ASSERT_TRUE(model);
    auto session = InferenceSession::create(model, {32, 2, 512});
    ASSERT_TRUE(session);
    ActivationCapture capture;
    CalibrationOptions options;
    options.context = 16;
    // 50 tokens: three windows of 16, the rest dropped.
    auto report = runCalibration(*session, someTokens(50), TokenId(1), options, capture);
    ASSERT_TRUE(report) << report.error().toString();
    EXPECT_EQ(report->chunks, 3);
    EXPECT_EQ(report->tokens, 48);
    EXPECT_EQ(session->position(), 0);
    const auto all = capture.snapshot();
    EXPECT_EQ(all.size(), size_t(model->config().layers) * 7);
    for (const auto& a : all)
        EXPECT_EQ(a.rows, 48u) << a.name;
    // The query, key and value projections read the same activations.
    EXPECT_EQ(all[0].name, "blk.0.attn_k.weight");
    const auto& q = *std::find_if(all.begin(), all.end(), [](const auto& a) { return a.name == "blk.0.attn_q.weight"; });
    EXPECT_EQ(all[0].sumSquares, q.sumSquares);

    options.maxChunks = 1;
    capture.clear();
    ASSERT_TRUE(runCalibration(*session, someTokens(50), std::nullopt, options, capture));
    EXPECT_EQ(capture.snapshot()[0].rows, 16u);
}

TEST(ActivationCaptureModel, RunnerFailsCleanly) {
    auto model = demoModel();
    ASSERT_TRUE(model);
    auto session = InferenceSession::create(model, {32, 2, 512});
    ASSERT_TRUE(session);
    ActivationCapture capture;
    CalibrationOptions options;
    options.context = 16;
    auto tooShort = runCalibration(*session, someTokens(31), std::nullopt, options, capture);
    ASSERT_FALSE(tooShort);
    EXPECT_NE(tooShort.error().message.find("needs at least 32"), std::string::npos);
    options.context = 64;
    EXPECT_FALSE(runCalibration(*session, someTokens(200), std::nullopt, options, capture));

    options.context = 16;
    Progress progress;
    progress.cancel();
    auto cancelled = runCalibration(*session, someTokens(50), std::nullopt, options, capture, progress);
    ASSERT_FALSE(cancelled);
    EXPECT_TRUE(cancelled.error().cancelled);
    // The observer is unset afterwards.
    ASSERT_TRUE(session->evaluate(someTokens(20), 0, LogitsMode::All));
    EXPECT_EQ(capture.tensorCount(), 0u);
}

} // namespace
} // namespace matryx
