// matryx-cli perplexity MODEL [-f TEXT] [-c N] [--chunks N] [-t N] [-b N] [--save-logits FILE [--force]]
// Perplexity over a text, windowed and scored as llama-perplexity does, printed as it prints it:
// the running estimate after each window ("[1]12.3456,[2]...") on stdout, then
// "Final estimate: PPL = ... +/- ...". --save-logits writes the scored log-probabilities in the
// file format of llama-perplexity --kl-divergence-base, for `kld --reference-logits` or
// llama-perplexity --kl-divergence. Ctrl-C stops after the current layer.

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "cli/evaluation_support.h"
#include "cli/generation_support.h"
#include "infer/perplexity.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

namespace matryx::cli {

namespace {

struct PerplexityCommandOptions {
    std::string path;
    EvaluationOptions eval;
    std::string saveLogits;
    bool force = false;
};

int runPerplexity(const PerplexityCommandOptions& o) {
    SessionOptions sessionOptions;
    sessionOptions.contextSize = o.eval.context;
    sessionOptions.threads = o.eval.threads;
    sessionOptions.batchSize = o.eval.batch;
    int exitCode = 0;
    auto loaded = openForGeneration(o.path, sessionOptions, exitCode);
    if (!loaded) return exitCode;

    std::fprintf(stderr, "perplexity: tokenizing the input ..\n");
    const auto start = std::chrono::steady_clock::now();
    auto tokens = readEvaluationTokens(o.eval.text, *loaded->tokenizer);
    if (!tokens) return kExitBadInput;
    auto plan = planChunks(int64_t(tokens->size()), o.eval.context, o.eval.chunks);
    if (!plan) {
        std::fprintf(stderr, "matryx-cli: %s\n", plan.error().message.c_str());
        return kExitBadInput;
    }
    std::fprintf(stderr, "perplexity: %zu tokens; calculating perplexity over %lld chunks, n_ctx=%lld\n",
                 tokens->size(), static_cast<long long>(plan->chunks), static_cast<long long>(plan->context));

    std::unique_ptr<SavedLogitsWriter> save;
    if (!o.saveLogits.empty()) {
        auto writer = SavedLogitsWriter::create(o.saveLogits, plan->context, loaded->model->config().vocabulary,
                                                plan->chunks, *tokens, o.force ? Overwrite::Yes : Overwrite::No);
        if (!writer) {
            std::fprintf(stderr, "matryx-cli: %s\n", writer.error().toString().c_str());
            return kExitFailure;
        }
        save = std::move(*writer);
        std::fprintf(stderr, "perplexity: saving all logits to %s\n", o.saveLogits.c_str());
    }

    PerplexityOptions options;
    options.context = o.eval.context;
    options.maxChunks = o.eval.chunks;
    auto chunkStart = std::chrono::steady_clock::now();
    auto onChunk = [&](int64_t chunk, const PerplexityResult& sofar) {
        if (chunk == 0) {
            const std::chrono::duration<double> pass = std::chrono::steady_clock::now() - chunkStart;
            printPassTime("perplexity", pass.count(), plan->chunks);
        }
        std::printf("[%lld]%.4f,", static_cast<long long>(chunk + 1), sofar.chunks.back().runningPpl);
        std::fflush(stdout);
        return true;
    };
    Progress progress;
    auto result = [&] {
        const InterruptCancels interrupt(progress);
        return computePerplexity(loaded->session, *tokens, chunkBos(loaded->vocabulary), options, progress, onChunk,
                                 save.get());
    }();
    std::printf("\n");
    if (!result) {
        std::fprintf(stderr, "matryx-cli: %s\n", result.error().toString().c_str());
        return kExitFailure;
    }
    if (save)
        if (Status s = save->commit(); !s) {
            std::fprintf(stderr, "matryx-cli: %s\n", s.error().toString().c_str());
            return kExitFailure;
        }
    std::printf("Final estimate: PPL = %.4f +/- %.5f\n", result->ppl, result->uncertainty);
    const std::chrono::duration<double> total = std::chrono::steady_clock::now() - start;
    std::fprintf(stderr, "perplexity: %lld tokens scored in %.2f s\n", static_cast<long long>(result->scoredTokens),
                 total.count());
    return 0;
}

} // namespace

Command addPerplexityCommand(CLI::App& app) {
    auto o = std::make_shared<PerplexityCommandOptions>();
    auto* sub = app.add_subcommand("perplexity", "Perplexity of the model over a text, as llama-perplexity computes it");
    sub->add_option("MODEL", o->path, "GGUF file, safetensors file or Hugging Face folder")->required();
    addEvaluationOptions(*sub, o->eval);
    sub->add_option("--save-logits,--kl-divergence-base", o->saveLogits,
                    "Save the log-probabilities for KL divergence (llama.cpp's logits file)");
    sub->add_flag("--force", o->force, "Overwrite the --save-logits file if it exists");
    return [o] { return runPerplexity(*o); };
}

} // namespace matryx::cli
