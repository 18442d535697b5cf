#pragma once

// What `generate` and `chat` share: llama.cpp's sampling flags, a model opened with its tokenizer
// and a session, and Ctrl-C stopping the text being written.

#include "base/progress.h"
#include "infer/generator.h"
#include "infer/inference_model.h"
#include "infer/inference_session.h"
#include "infer/tokenizer.h"
#include "infer/vocabulary.h"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace matryx::cli {

// --temp, --top-k, --top-p, --min-p, --repeat-penalty and -s/--seed, with llama.cpp's names and
// the defaults already in `sampling` and `seed`.
void addSamplingOptions(CLI::App& sub, SamplerSettings& sampling, int64_t& seed);

// The seed to use for a --seed value: itself, or a random one when negative.
uint64_t chosenSeed(int64_t seed);

// A model ready to generate. Not movable once a Generator refers to its session and tokenizer.
struct GenerationModel {
    std::shared_ptr<const InferenceModel> model;
    Vocabulary vocabulary;
    std::unique_ptr<Tokenizer> tokenizer;
    InferenceSession session;
};

// Opens the model, its vocabulary, its tokenizer and a session. On failure prints the error on
// stderr, sets `exitCode` (kExitBadInput for the model and its vocabulary, kExitFailure for the
// session) and returns nullopt.
std::optional<GenerationModel> openForGeneration(const std::string& path, const SessionOptions& options,
                                                 int& exitCode);

// A TokenCallback that writes each piece of text to stdout as it comes.
bool printPiece(std::string_view text, TokenId id);

// While alive, Ctrl-C cancels `progress` instead of ending the program. One at a time.
class InterruptCancels {
public:
    explicit InterruptCancels(Progress& progress);
    ~InterruptCancels();
    InterruptCancels(const InterruptCancels&) = delete;
    InterruptCancels& operator=(const InterruptCancels&) = delete;

private:
    void (*previous_)(int);
};

} // namespace matryx::cli
