#include "cli/generation_support.h"

#include "cli/cli_support.h"

#include <csignal>
#include <cstdio>
#include <random>

namespace matryx::cli {

namespace {

Progress* interruptTarget = nullptr;

extern "C" void onInterrupt(int) {
    if (interruptTarget) interruptTarget->cancel();
}

} // namespace

void addSamplingOptions(CLI::App& sub, SamplerSettings& sampling, int64_t& seed) {
    sub.add_option("--temp", sampling.temperature, "Temperature (0: greedy)")->capture_default_str();
    sub.add_option("--top-k", sampling.topK, "Keep the K most likely tokens (0: off)")->capture_default_str();
    sub.add_option("--top-p", sampling.topP, "Keep the most likely tokens up to this mass (1: off)")
        ->capture_default_str();
    sub.add_option("--min-p", sampling.minP, "Drop tokens below this fraction of the best one (0: off)")
        ->capture_default_str();
    sub.add_option("--repeat-penalty", sampling.repeatPenalty, "Penalty for recent tokens (1: off)")
        ->capture_default_str();
    sub.add_option("-s,--seed", seed, "Random seed (-1: random)")->capture_default_str();
}

uint64_t chosenSeed(int64_t seed) {
    return seed < 0 ? std::random_device{}() : uint64_t(seed);
}

std::optional<GenerationModel> openForGeneration(const std::string& path, const SessionOptions& options,
                                                 int& exitCode) {
    auto fail = [&](const Error& error, int code) {
        std::fprintf(stderr, "matryx-cli: %s\n", error.toString().c_str());
        exitCode = code;
        return std::nullopt;
    };
    auto model = InferenceModel::open(path);
    if (!model) return fail(model.error(), kExitBadInput);
    auto vocabulary = Vocabulary::fromMetadata((*model)->model().metadata, path);
    if (!vocabulary) return fail(vocabulary.error(), kExitBadInput);
    auto tokenizer = makeTokenizer(*vocabulary);
    if (!tokenizer) return fail(tokenizer.error(), kExitBadInput);
    auto session = InferenceSession::create(*model, options);
    if (!session) return fail(session.error(), kExitFailure);
    return GenerationModel{std::move(*model), std::move(*vocabulary), std::move(*tokenizer), std::move(*session)};
}

bool printPiece(std::string_view text, TokenId) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return true;
}

InterruptCancels::InterruptCancels(Progress& progress) {
    interruptTarget = &progress;
    previous_ = std::signal(SIGINT, onInterrupt);
}

InterruptCancels::~InterruptCancels() {
    std::signal(SIGINT, previous_);
    interruptTarget = nullptr;
}

} // namespace matryx::cli
