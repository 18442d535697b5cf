// matryx-cli generate MODEL -p TEXT [-n N] [--temp T] [--top-k K] [--top-p P] [--min-p P]
//                     [--repeat-penalty R] [--repeat-last-n N] [--seed S] [--stop TEXT]...
//                     [-t N] [-c N] [-b N] [--no-display-prompt]
// Continues the prompt, streaming the text to stdout as it is generated, and prints token counts
// and speeds on stderr. Flag names and defaults are llama.cpp's (llama-completion): -n -1
// generates until an end-of-generation token or a full context, --temp 0 is greedy, a seed of
// -1 picks one at random (printed). Special tokens written in the prompt ("<|im_start|>") are
// parsed. Ctrl-C stops generation and still prints the statistics.

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "infer/generator.h"
#include "infer/inference_model.h"
#include "infer/inference_session.h"
#include "infer/tokenizer.h"

#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <memory>
#include <random>
#include <string>

namespace matryx::cli {

namespace {

struct GenerateOptions {
    std::string path;
    std::string prompt;
    int64_t tokens = -1;
    float temperature = 0.8f;
    int32_t topK = 40;
    float topP = 0.95f;
    float minP = 0.05f;
    float repeatPenalty = 1.0f;
    int32_t repeatLastN = 64;
    int64_t seed = -1;
    std::vector<std::string> stops;
    int threads = 0;
    int64_t context = 0;
    int64_t batch = 512;
    bool noDisplayPrompt = false;
};

Progress* interruptTarget = nullptr;

extern "C" void onInterrupt(int) {
    if (interruptTarget) interruptTarget->cancel();
}

double perSecond(double count, double seconds) { return seconds > 0 ? count / seconds : 0.0; }

int runGenerate(const GenerateOptions& o) {
    auto model = InferenceModel::open(o.path);
    if (!model) {
        std::fprintf(stderr, "matryx-cli: %s\n", model.error().toString().c_str());
        return kExitBadInput;
    }
    auto vocabulary = Vocabulary::fromMetadata((*model)->model().metadata, o.path);
    if (!vocabulary) {
        std::fprintf(stderr, "matryx-cli: %s\n", vocabulary.error().toString().c_str());
        return kExitBadInput;
    }
    auto tokenizer = makeTokenizer(*vocabulary);
    if (!tokenizer) {
        std::fprintf(stderr, "matryx-cli: %s\n", tokenizer.error().toString().c_str());
        return kExitBadInput;
    }
    SessionOptions sessionOptions;
    sessionOptions.contextSize = o.context;
    sessionOptions.threads = o.threads;
    sessionOptions.batchSize = o.batch;
    auto session = InferenceSession::create(*model, sessionOptions);
    if (!session) {
        std::fprintf(stderr, "matryx-cli: %s\n", session.error().toString().c_str());
        return kExitFailure;
    }

    GenerationSettings settings;
    settings.maxTokens = o.tokens;
    settings.stopStrings = o.stops;
    SamplerSettings& s = settings.sampling;
    s.temperature = o.temperature;
    s.topK = o.topK;
    s.topP = o.topP;
    s.minP = o.minP;
    s.repeatPenalty = o.repeatPenalty;
    s.repeatLastN = o.repeatLastN;
    s.seed = o.seed < 0 ? std::random_device{}() : uint64_t(o.seed);
    if (o.seed < 0 && s.temperature > 0.0f)
        std::fprintf(stderr, "seed: %llu\n", static_cast<unsigned long long>(s.seed));

    const std::vector<TokenId> prompt = (*tokenizer)->encode(o.prompt, true, true);
    if (!o.noDisplayPrompt) {
        std::fputs(o.prompt.c_str(), stdout);
        std::fflush(stdout);
    }
    Progress progress;
    interruptTarget = &progress;
    const auto previous = std::signal(SIGINT, onInterrupt);
    Generator generator(*session, **tokenizer);
    auto result = generator.generate(prompt, settings, [](std::string_view text, TokenId) {
        std::fwrite(text.data(), 1, text.size(), stdout);
        std::fflush(stdout);
        return true;
    }, progress);
    std::signal(SIGINT, previous);
    interruptTarget = nullptr;
    std::fputs("\n", stdout);
    std::fflush(stdout);
    if (!result) {
        std::fprintf(stderr, "matryx-cli: %s\n", result.error().toString().c_str());
        return kExitFailure;
    }
    const GenerationResult& r = *result;
    // The first generated token comes from the prompt's logits; the others each cost a pass.
    std::fprintf(stderr, "\nprompt: %lld tokens in %.2f s (%.1f tokens/s)\n", static_cast<long long>(r.promptTokens),
                 r.promptSeconds, perSecond(double(r.promptTokens), r.promptSeconds));
    std::fprintf(stderr, "generated: %zu tokens in %.2f s (%.1f tokens/s)\n", r.tokens.size(), r.generateSeconds,
                 perSecond(double(r.tokens.size()), r.generateSeconds));
    std::fprintf(stderr, "stopped: %s%s%s\n", stopReasonName(r.reason), r.message.empty() ? "" : ": ",
                 r.message.c_str());
    return 0;
}

} // namespace

Command addGenerateCommand(CLI::App& app) {
    auto o = std::make_shared<GenerateOptions>();
    auto* sub = app.add_subcommand("generate", "Continue a prompt with the model, streaming the text");
    sub->add_option("MODEL", o->path, "GGUF file, safetensors file or Hugging Face folder")->required();
    sub->add_option("-p,--prompt", o->prompt, "Text to continue")->required();
    sub->add_option("-n,--n-predict", o->tokens, "Tokens to generate (-1: until the end or a full context)")
        ->capture_default_str();
    sub->add_option("--temp", o->temperature, "Temperature (0: greedy)")->capture_default_str();
    sub->add_option("--top-k", o->topK, "Keep the K most likely tokens (0: off)")->capture_default_str();
    sub->add_option("--top-p", o->topP, "Keep the most likely tokens up to this mass (1: off)")
        ->capture_default_str();
    sub->add_option("--min-p", o->minP, "Drop tokens below this fraction of the best one (0: off)")
        ->capture_default_str();
    sub->add_option("--repeat-penalty", o->repeatPenalty, "Penalty for recent tokens (1: off)")
        ->capture_default_str();
    sub->add_option("--repeat-last-n", o->repeatLastN, "Recent tokens the penalty looks at (-1: all)")
        ->capture_default_str();
    sub->add_option("-s,--seed", o->seed, "Random seed (-1: random)")->capture_default_str();
    sub->add_option("--stop", o->stops, "Stop before this text (repeatable)");
    sub->add_option("-t,--threads", o->threads, "Threads (0: every core)")->capture_default_str();
    sub->add_option("-c,--ctx-size", o->context, "Context size in tokens (0: the model's, at most 4096)")
        ->capture_default_str();
    sub->add_option("-b,--batch-size", o->batch, "Prompt tokens per pass")->capture_default_str();
    sub->add_flag("--no-display-prompt", o->noDisplayPrompt, "Print only the generated text");
    return [o] { return runGenerate(*o); };
}

} // namespace matryx::cli
