#include "infer/activation_capture_runner.h"

#include "infer/evaluation_chunks.h"

#include <chrono>
#include <string>

namespace matryx {

namespace {

// Unsets the observer however the run ends, so that the session never points at a dead one.
class ObserverScope {
public:
    ObserverScope(InferenceSession& session, MatmulObserver& observer) : session_(session) {
        session_.setMatmulObserver(&observer);
    }
    ~ObserverScope() {
        session_.setMatmulObserver(nullptr);
        session_.reset();
    }
    ObserverScope(const ObserverScope&) = delete;
    ObserverScope& operator=(const ObserverScope&) = delete;

private:
    InferenceSession& session_;
};

} // namespace

Result<CalibrationReport> runCalibration(InferenceSession& session, std::span<const TokenId> tokens,
                                         std::optional<TokenId> bos, const CalibrationOptions& options,
                                         MatmulObserver& observer, Progress& progress) {
    const std::string file = session.model().model().path.string();
    if (options.context > session.contextSize())
        return makeError(file, "context", std::nullopt,
                         "a calibration window of " + std::to_string(options.context) +
                             " tokens does not fit the session's context of " + std::to_string(session.contextSize()));
    auto plan = planChunks(int64_t(tokens.size()), options.context, options.maxChunks);
    if (!plan) {
        Error e = std::move(plan).error();
        e.file = file;
        return e;
    }
    const auto start = std::chrono::steady_clock::now();
    const ObserverScope scope(session, observer);
    for (int64_t chunk = 0; chunk < plan->chunks; ++chunk) {
        if (!progress.report(double(chunk) / double(plan->chunks),
                             "chunk " + std::to_string(chunk + 1) + "/" + std::to_string(plan->chunks)))
            return cancelledError(file);
        const std::vector<TokenId> window = chunkTokens(tokens, *plan, chunk, bos);
        ChunkProgress chunkProgress(progress, chunk, plan->chunks);
        session.reset();
        // Every row's logits, so that the last layer runs every row as llama-imatrix's does.
        if (auto logits = session.evaluate(window, 0, LogitsMode::All, chunkProgress); !logits)
            return std::move(logits).error();
    }
    progress.report(1.0, "calibrated");
    CalibrationReport report;
    report.context = plan->context;
    report.chunks = plan->chunks;
    report.tokens = plan->chunks * plan->context;
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
}

} // namespace matryx
