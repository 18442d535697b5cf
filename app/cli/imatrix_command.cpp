// matryx-cli imatrix MODEL -o FILE [-f TEXT] [-c N] [--chunks N] [-t N] [-b N]
//                  [--output-format gguf|dat] [--process-output] [--force]
// Runs a calibration text through the model as llama-imatrix does (windows of -c tokens, BOS
// first, 512 by default; the shipped evaluation text when no -f is given) and writes the
// importance matrix in llama-imatrix's GGUF format (or its legacy .dat), for
// `matryx-cli quantize --imatrix` or llama-quantize --imatrix. Ctrl-C stops without writing.

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "cli/evaluation_support.h"
#include "cli/generation_support.h"
#include "infer/activation_capture.h"
#include "infer/activation_capture_runner.h"
#include "infer/evaluation_chunks.h"
#include "quant/importance_matrix.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <unistd.h>

namespace matryx::cli {

namespace {

struct ImatrixOptions {
    std::string path;
    std::string output;
    EvaluationOptions eval;
    std::string format = "gguf";
    bool processOutput = false;
    bool force = false;
};

ImportanceData importanceData(const std::vector<TensorActivations>& tensors) {
    ImportanceData data;
    for (const TensorActivations& t : tensors)
        data.entries.push_back({t.name, t.sumSquares, t.sums, {t.rows}});
    return data;
}

int runImatrix(const ImatrixOptions& o) {
    SessionOptions sessionOptions;
    sessionOptions.contextSize = o.eval.context;
    sessionOptions.threads = o.eval.threads;
    sessionOptions.batchSize = o.eval.batch;
    int exitCode = 0;
    auto loaded = openForGeneration(o.path, sessionOptions, exitCode);
    if (!loaded) return exitCode;
    auto tokens = readEvaluationTokens(o.eval.text, *loaded->tokenizer);
    if (!tokens) return kExitBadInput;
    auto plan = planChunks(int64_t(tokens->size()), o.eval.context, o.eval.chunks);
    if (!plan) {
        std::fprintf(stderr, "matryx-cli: %s\n", plan.error().message.c_str());
        return kExitBadInput;
    }
    std::fprintf(stderr, "imatrix: %zu tokens; computing over %lld chunks, n_ctx=%lld\n", tokens->size(),
                 static_cast<long long>(plan->chunks), static_cast<long long>(plan->context));

    ActivationCaptureOptions captureOptions;
    captureOptions.includeOutput = o.processOutput;
    ActivationCapture capture(captureOptions);
    CalibrationOptions options;
    options.context = o.eval.context;
    options.maxChunks = o.eval.chunks;
    StderrProgress progress(isatty(STDERR_FILENO) != 0);
    auto report = [&] {
        const InterruptCancels interrupt(progress);
        return runCalibration(loaded->session, *tokens, chunkBos(loaded->vocabulary), options, capture, progress);
    }();
    if (!report) {
        std::fprintf(stderr, "matryx-cli: %s\n", report.error().toString().c_str());
        return kExitFailure;
    }

    ImportanceData data = importanceData(capture.snapshot());
#ifdef MATRYX_EVAL_TEXT
    data.datasets.push_back(o.eval.text.empty() ? std::string(MATRYX_EVAL_TEXT) : o.eval.text);
#else
    data.datasets.push_back(o.eval.text);
#endif
    data.chunkCount = static_cast<uint32_t>(report->chunks);
    data.chunkSize = static_cast<uint32_t>(report->context);
    const ImportanceFormat format = o.format == "dat" ? ImportanceFormat::Legacy : ImportanceFormat::Gguf;
    if (Status s = writeImportanceMatrix(o.output, data, format, o.force ? Overwrite::Yes : Overwrite::No); !s) {
        std::fprintf(stderr, "matryx-cli: %s\n", s.error().toString().c_str());
        return kExitFailure;
    }
    std::fprintf(stderr, "imatrix: %zu tensors from %lld chunks of %lld tokens in %.2f s (%.1f tokens/s), written to %s\n",
                 data.entries.size(), static_cast<long long>(report->chunks), static_cast<long long>(report->context),
                 report->seconds, report->seconds > 0 ? double(report->tokens) / report->seconds : 0.0,
                 o.output.c_str());
    return 0;
}

} // namespace

Command addImatrixCommand(CLI::App& app) {
    auto o = std::make_shared<ImatrixOptions>();
    auto* sub = app.add_subcommand("imatrix", "Compute an importance matrix over a text, as llama-imatrix does");
    sub->add_option("MODEL", o->path, "GGUF file, safetensors file or Hugging Face folder")->required();
    sub->add_option("-o,--output", o->output, "The importance matrix file to write")->required();
    addEvaluationOptions(*sub, o->eval);
    sub->add_option("--output-format", o->format, "gguf, or dat for llama.cpp's legacy format")
        ->check(CLI::IsMember({"gguf", "dat"}))
        ->capture_default_str();
    sub->add_flag("--process-output", o->processOutput, "Also collect the output projection (output.weight)");
    sub->add_flag("--force", o->force, "Overwrite the output file if it exists");
    return [o] { return runImatrix(*o); };
}

} // namespace matryx::cli
