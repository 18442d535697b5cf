// matryx-cli kld MODEL (--reference REF | --reference-logits FILE) [--save-logits FILE [--force]]
//                [-f TEXT] [-c N] [--chunks N] [-t N] [-b N]
// KL divergence of MODEL against a reference on the same tokens, printed as llama-perplexity
// --kl-divergence prints it: a line per window with the running PPL, ln(PPL(Q)/PPL(base)), mean
// KLD, RMS Δp and same-top fraction, then the perplexity, KL divergence and token probability
// statistics. The reference is a second model run on the text (--reference; --save-logits keeps
// its log-probabilities for later runs) or a logits file saved by `perplexity --save-logits` or
// llama-perplexity --kl-divergence-base (--reference-logits; its tokens and context are used).

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "cli/evaluation_support.h"
#include "cli/generation_support.h"
#include "infer/kl_divergence.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

namespace matryx::cli {

namespace {

struct KldCommandOptions {
    std::string path;
    std::string reference;
    std::string referenceLogits;
    EvaluationOptions eval;
    std::string saveLogits;
    bool force = false;
};

void printChunk(int64_t chunk, const KldSummary& s) {
    std::printf("%4lld", static_cast<long long>(chunk + 1));
    std::printf("    %9.4f ± %9.4f", s.ppl.value, s.ppl.uncertainty);
    std::printf("    %10.5f ± %10.5f", s.lnPplRatio.value, s.lnPplRatio.uncertainty);
    std::printf("    %10.5f ± %10.5f", s.kld.value, s.kld.uncertainty);
    std::printf("    %6.3f ± %6.3f %%", 100.0 * s.rmsPDiff.value, 100.0 * s.rmsPDiff.uncertainty);
    std::printf("    %6.3f ± %6.3f %%\n", 100.0 * s.sameTop.value, 100.0 * s.sameTop.uncertainty);
    std::fflush(stdout);
}

void printStatistics(const KlDivergenceResult& r) {
    const KldSummary& s = r.summary;
    std::printf("\n====== Perplexity statistics ======\n");
    std::printf("Mean PPL(Q)                   : %10.6f ± %10.6f\n", s.ppl.value, s.ppl.uncertainty);
    std::printf("Mean PPL(base)                : %10.6f ± %10.6f\n", s.referencePpl.value, s.referencePpl.uncertainty);
    std::printf("Cor(ln(PPL(Q)), ln(PPL(base))): %6.2f%%\n", 100.0 * s.pplCorrelation);
    std::printf("Mean ln(PPL(Q)/PPL(base))     : %10.6f ± %10.6f\n", s.lnPplRatio.value, s.lnPplRatio.uncertainty);
    std::printf("\n====== KL divergence statistics ======\n");
    std::printf("Mean    KLD: %10.6f ± %10.6f\n", s.kld.value, s.kld.uncertainty);
    const Quantiles& k = r.kldQuantiles;
    std::printf("Maximum KLD: %10.6f\n99.9%%   KLD: %10.6f\n99.0%%   KLD: %10.6f\n95.0%%   KLD: %10.6f\n", k.max, k.p999,
                k.p99, k.p95);
    std::printf("90.0%%   KLD: %10.6f\nMedian  KLD: %10.6f\n10.0%%   KLD: %10.6f\n 5.0%%   KLD: %10.6f\n", k.p90, k.median,
                k.p10, k.p5);
    std::printf(" 1.0%%   KLD: %10.6f\n 0.1%%   KLD: %10.6f\nMinimum KLD: %10.6f\n", k.p1, k.p01, k.min);
    std::printf("\n====== Token probability statistics ======\n");
    std::printf("Mean    Δp: %6.3f ± %5.3f %%\n", 100.0 * s.meanPDiff.value, 100.0 * s.meanPDiff.uncertainty);
    const Quantiles& p = r.pDiffQuantiles;
    std::printf("Maximum Δp: %6.3f%%\n99.0%%   Δp: %6.3f%%\nMedian  Δp: %6.3f%%\n 1.0%%   Δp: %6.3f%%\n", 100.0 * p.max,
                100.0 * p.p99, 100.0 * p.median, 100.0 * p.p1);
    std::printf("Minimum Δp: %6.3f%%\n", 100.0 * p.min);
    std::printf("RMS Δp    : %6.3f ± %5.3f %%\n", 100.0 * s.rmsPDiff.value, 100.0 * s.rmsPDiff.uncertainty);
    std::printf("Same top p: %6.3f ± %5.3f %%\n", 100.0 * s.sameTop.value, 100.0 * s.sameTop.uncertainty);
}

int fail(const Error& e, int code) {
    std::fprintf(stderr, "matryx-cli: %s\n", e.toString().c_str());
    return code;
}

int runKld(const KldCommandOptions& o) {
    std::optional<SavedLogits> file;
    int64_t context = o.eval.context;
    if (!o.referenceLogits.empty()) {
        auto opened = SavedLogits::open(o.referenceLogits);
        if (!opened) return fail(opened.error(), kExitBadInput);
        file = std::move(*opened);
        context = file->context();
    }
    SessionOptions sessionOptions;
    sessionOptions.contextSize = context;
    sessionOptions.threads = o.eval.threads;
    sessionOptions.batchSize = o.eval.batch;
    int exitCode = 0;
    auto loaded = openForGeneration(o.path, sessionOptions, exitCode);
    if (!loaded) return exitCode;

    KlDivergenceOptions options;
    options.context = context;
    options.maxChunks = o.eval.chunks;
    const auto start = std::chrono::steady_clock::now();
    auto chunkStart = start;
    int64_t chunks = 0;
    auto onChunk = [&](int64_t chunk, const KlDivergenceResult& sofar) {
        if (chunk == 0) {
            const std::chrono::duration<double> pass = std::chrono::steady_clock::now() - chunkStart;
            printPassTime("kl_divergence", pass.count(), sofar.plan.chunks);
            std::printf("\nchunk             PPL               ln(PPL(Q)/PPL(base))          KL Divergence"
                        "              Δp RMS            Same top p\n");
        }
        printChunk(chunk, sofar.chunks.back());
        return true;
    };
    Progress progress;
    const InterruptCancels interrupt(progress);
    Result<KlDivergenceResult> result = Error{};
    std::unique_ptr<SavedLogitsWriter> save;
    if (file) {
        chunks = o.eval.chunks > 0 ? std::min(o.eval.chunks, file->chunks()) : file->chunks();
        std::fprintf(stderr, "kl_divergence: computing over %lld chunks, n_ctx=%lld\n", static_cast<long long>(chunks),
                     static_cast<long long>(context));
        chunkStart = std::chrono::steady_clock::now();
        result = computeKlDivergence(loaded->session, *file, chunkBos(loaded->vocabulary), options, progress, onChunk);
    } else {
        auto reference = openForGeneration(o.reference, sessionOptions, exitCode);
        if (!reference) return exitCode;
        auto tokens = readEvaluationTokens(o.eval.text, *loaded->tokenizer);
        if (!tokens) return kExitBadInput;
        auto plan = planChunks(int64_t(tokens->size()), context, o.eval.chunks);
        if (!plan) return fail(plan.error(), kExitBadInput);
        if (!o.saveLogits.empty()) {
            auto writer = SavedLogitsWriter::create(o.saveLogits, plan->context, reference->model->config().vocabulary,
                                                    plan->chunks, *tokens, o.force ? Overwrite::Yes : Overwrite::No);
            if (!writer) return fail(writer.error(), kExitFailure);
            save = std::move(*writer);
            std::fprintf(stderr, "kl_divergence: saving the reference's logits to %s\n", o.saveLogits.c_str());
        }
        std::fprintf(stderr, "kl_divergence: %zu tokens; computing over %lld chunks, n_ctx=%lld\n", tokens->size(),
                     static_cast<long long>(plan->chunks), static_cast<long long>(context));
        chunkStart = std::chrono::steady_clock::now();
        result = computeKlDivergence(loaded->session, reference->session, *tokens, chunkBos(loaded->vocabulary),
                                     options, progress, onChunk, save.get());
    }
    if (!result) return fail(result.error(), kExitFailure);
    if (save)
        if (Status s = save->commit(); !s) return fail(s.error(), kExitFailure);
    printStatistics(*result);
    const std::chrono::duration<double> total = std::chrono::steady_clock::now() - start;
    std::fprintf(stderr, "kl_divergence: %lld tokens scored in %.2f s\n",
                 static_cast<long long>(result->summary.tokens), total.count());
    return 0;
}

} // namespace

Command addKldCommand(CLI::App& app) {
    auto o = std::make_shared<KldCommandOptions>();
    auto* sub = app.add_subcommand("kld", "KL divergence of a model against a reference, as llama-perplexity "
                                          "--kl-divergence computes it");
    sub->add_option("MODEL", o->path, "The model to judge: GGUF file, safetensors file or Hugging Face folder")
        ->required();
    auto* ref = sub->add_option("--reference", o->reference, "The reference model, run on the same text");
    auto* logits = sub->add_option("--reference-logits,--kl-divergence-base", o->referenceLogits,
                                   "The reference's saved logits (perplexity --save-logits, llama-perplexity "
                                   "--kl-divergence-base)");
    ref->excludes(logits);
    sub->add_option("--save-logits", o->saveLogits, "With --reference: save its logits for later runs")
        ->needs(ref);
    sub->add_flag("--force", o->force, "Overwrite the --save-logits file if it exists");
    addEvaluationOptions(*sub, o->eval);
    sub->callback([ref, logits] {
        if (ref->count() == 0 && logits->count() == 0)
            throw CLI::RequiredError("--reference or --reference-logits");
    });
    return [o] { return runKld(*o); };
}

} // namespace matryx::cli
