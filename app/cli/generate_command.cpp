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
#include "cli/generation_support.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <string>

namespace matryx::cli {

namespace {

struct GenerateOptions {
    std::string path;
    std::string prompt;
    int64_t tokens = -1;
    SamplerSettings sampling;
    int64_t seed = -1;
    std::vector<std::string> stops;
    int threads = 0;
    int64_t context = 0;
    int64_t batch = 512;
    bool noDisplayPrompt = false;
};

double perSecond(double count, double seconds) { return seconds > 0 ? count / seconds : 0.0; }

int runGenerate(const GenerateOptions& o) {
    SessionOptions sessionOptions;
    sessionOptions.contextSize = o.context;
    sessionOptions.threads = o.threads;
    sessionOptions.batchSize = o.batch;
    int exitCode = 0;
    auto loaded = openForGeneration(o.path, sessionOptions, exitCode);
    if (!loaded) return exitCode;

    GenerationSettings settings;
    settings.maxTokens = o.tokens;
    settings.stopStrings = o.stops;
    settings.sampling = o.sampling;
    settings.sampling.seed = chosenSeed(o.seed);
    if (o.seed < 0 && settings.sampling.temperature > 0.0f)
        std::fprintf(stderr, "seed: %llu\n", static_cast<unsigned long long>(settings.sampling.seed));

    const std::vector<TokenId> prompt = loaded->tokenizer->encode(o.prompt, true, true);
    if (!o.noDisplayPrompt) {
        std::fputs(o.prompt.c_str(), stdout);
        std::fflush(stdout);
    }
    Progress progress;
    Generator generator(loaded->session, *loaded->tokenizer);
    auto result = [&] {
        const InterruptCancels interrupt(progress);
        return generator.generate(prompt, settings, printPiece, progress);
    }();
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
    addSamplingOptions(*sub, o->sampling, o->seed);
    sub->add_option("--repeat-last-n", o->sampling.repeatLastN, "Recent tokens the penalty looks at (-1: all)")
        ->capture_default_str();
    sub->add_option("--stop", o->stops, "Stop before this text (repeatable)");
    sub->add_option("-t,--threads", o->threads, "Threads (0: every core)")->capture_default_str();
    sub->add_option("-c,--ctx-size", o->context, "Context size in tokens (0: the model's, at most 4096)")
        ->capture_default_str();
    sub->add_option("-b,--batch-size", o->batch, "Prompt tokens per pass")->capture_default_str();
    sub->add_flag("--no-display-prompt", o->noDisplayPrompt, "Print only the generated text");
    return [o] { return runGenerate(*o); };
}

} // namespace matryx::cli
