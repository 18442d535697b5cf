#pragma once

// Runs calibration text through a model for an observer (activation_capture.h), cut into
// windows the way llama-imatrix cuts it (evaluation_chunks.h): the text tokenized once with BOS
// first when the vocabulary adds one, at least 2 x context tokens, windows of `context` tokens
// each evaluated from an empty cache with its first token replaced by that BOS, and every row
// carried through every layer (llama-imatrix asks for all logits).

#include "base/error.h"
#include "base/progress.h"
#include "infer/inference_session.h"
#include "infer/matmul_observer.h"
#include "infer/vocabulary.h"

#include <cstdint>
#include <optional>
#include <span>

namespace matryx {

struct CalibrationOptions {
    int64_t context = 512; // tokens per window (llama-imatrix's -c default)
    int64_t maxChunks = 0; // windows to run; 0 = every full window of the text
};

struct CalibrationReport {
    int64_t context = 0;
    int64_t chunks = 0; // windows evaluated
    int64_t tokens = 0; // tokens evaluated: chunks x context
    double seconds = 0; // wall time of the evaluation
};

// Evaluates the windows of `tokens` in `session` with `observer` watching every matrix product,
// and leaves the session empty with no observer. `bos` is what starts each window (chunkBos).
// Fails, naming the problem, when the session's context is shorter than options.context, when
// the text is too short (planChunks), when an evaluation fails, or when `progress` is cancelled
// (polled once per layer; reports say "chunk i/n"). What the observer gathered before a failure
// stays with it.
Result<CalibrationReport> runCalibration(InferenceSession& session, std::span<const TokenId> tokens,
                                         std::optional<TokenId> bos, const CalibrationOptions& options,
                                         MatmulObserver& observer, Progress& progress = Progress::none());

} // namespace matryx
