// matryx-cli quantize IN OUT (--preset P | --plan plan.json) [--imatrix F] [--threads N] [--device D]
// [--force]:
// writes a GGUF file with the types the plan gives, streaming tensor by tensor.

#include "base/units.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "cli/matryoshka_quantize.h"
#include "compute/quantize_dispatch.h"
#include "quant/importance_matrix.h"
#include "quant/plan_json.h"
#include "quant/quantize_pipeline.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

namespace matryx::cli {

namespace {

struct QuantizeCliOptions {
    std::string input;
    std::string output;
    std::string preset;
    std::string planFile;
    std::string imatrix;
    int threads = 0;
    std::string device; // empty: MATRYX_DEVICE, else auto
    bool force = false;
    bool quiet = false;
    bool matryoshka = false;
    bool verbose = false;
};

Result<Plan> planFrom(const QuantizeCliOptions& o) {
    if (!o.preset.empty()) {
        const auto preset = findLlamaFileType(o.preset);
        if (!preset)
            return makeError("command line", "--preset", std::nullopt, "unknown preset '" + o.preset + "'");
        return Plan::fromPreset(*preset);
    }
    return loadPlan(o.planFile);
}

void printRequantizeNote(const QuantizeReport& report) {
    if (report.requantized.empty()) return;
    std::string from;
    for (const auto& [type, n] : report.requantizedFrom)
        from += (from.empty() ? "" : ", ") + std::to_string(n) + " " + type;
    std::fprintf(stderr,
                 "note: %zu tensors were already quantized (%s); they were dequantized and quantized again, "
                 "so their error adds to the source's\n",
                 report.requantized.size(), from.c_str());
}

int runQuantize(const QuantizeCliOptions& o) {
    auto request = o.device.empty() ? deviceRequestFromEnvironment() : parseDeviceRequest(o.device);
    if (!request) {
        std::cerr << "matryx-cli: " << request.error().toString() << '\n';
        return kExitFailure;
    }
    auto device = openQuantizeDevice(*request);
    if (!device) {
        std::cerr << "matryx-cli: " << device.error().toString() << '\n';
        return kExitFailure;
    }

    if (o.matryoshka)
        return runMatryoshkaQuantize({o.input, o.output, o.threads, o.force, o.quiet, o.verbose, *device});
    if (o.preset.empty() == o.planFile.empty()) {
        std::cerr << "matryx-cli: give exactly one of --preset and --plan\n";
        return kExitFailure;
    }
    auto plan = planFrom(o);
    if (!plan) {
        std::cerr << "matryx-cli: " << plan.error().toString() << '\n';
        return o.planFile.empty() ? kExitFailure : kExitBadInput;
    }
    auto model = openOrReport(o.input);
    if (!model) return kExitBadInput;
    if (model->format != ModelFormat::Gguf) {
        std::cerr << "matryx-cli: " << o.input << " is " << modelFormatName(model->format)
                  << "; quantize reads GGUF: convert it first with matryx-cli convert IN model.gguf\n";
        return kExitFailure;
    }

    ImportanceMatrix importance;
    if (!o.imatrix.empty()) {
        auto loaded = readImportanceMatrix(o.imatrix);
        if (!loaded) {
            std::cerr << "matryx-cli: " << loaded.error().toString() << '\n';
            return kExitBadInput;
        }
        importance = std::move(*loaded);
        plan->importance = true;
    }
    auto resolved = plan->resolve(*model);
    if (!resolved) {
        std::cerr << "matryx-cli: " << resolved.error().toString() << '\n';
        return kExitFailure;
    }
    for (const auto& w : resolved->warnings)
        std::cerr << "matryx-cli: warning: " << w << '\n';

    QuantizeOptions options;
    options.device = *device;
    options.overwrite = o.force ? Overwrite::Yes : Overwrite::No;
    options.threads = o.threads;
    if (!o.imatrix.empty()) options.importance = &importance.weights;
    StderrProgress progress(!o.quiet);
    const auto start = std::chrono::steady_clock::now();
    auto report = quantizeModel(*model, *resolved, o.output, options, progress);
    if (!report) {
        std::cerr << "matryx-cli: " << report.error().toString() << '\n';
        return kExitFailure;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    printRequantizeNote(*report);
    if (!o.imatrix.empty() && report->withImportance == 0)
        std::fprintf(stderr, "warning: the importance matrix names none of the quantized tensors\n");
    if (!o.quiet) {
        const char* fileType =
            resolved->fileType ? llamaFileTypeInfo(*resolved->fileType).name.data() : "(none)";
        std::fprintf(stderr,
                     "wrote %s (%s, %.4f bits/weight, file type %s): %zu tensors converted, %zu copied, "
                     "%zu with importance, in %.1f s\n",
                     o.output.c_str(), formatBytes(report->fileBytes).c_str(), resolved->bitsPerWeight(),
                     fileType, report->converted, report->copied, report->withImportance, seconds);
        if (report->onDevice > 0)
            std::fprintf(stderr, "%zu tensors quantized on %s\n", report->onDevice,
                         options.device->description().c_str());
    }
    return 0;
}

} // namespace

Command addQuantizeCommand(CLI::App& app) {
    auto options = std::make_shared<QuantizeCliOptions>();
    auto* sub =
        app.add_subcommand("quantize", "Write a GGUF file quantized by a llama.cpp preset or a saved plan");
    sub->add_option("IN", options->input, "GGUF file")->required();
    sub->add_option("OUT", options->output, "Output GGUF file")->required();
    sub->add_option("--preset", options->preset, "llama.cpp file type, e.g. Q4_K_M, Q8_0, IQ4_NL");
    sub->add_option("--plan", options->planFile, "Plan saved as JSON (matryx-cli plan --save)");
    sub->add_option("--imatrix", options->imatrix,
                    "Importance matrix from llama-imatrix (GGUF or legacy .dat); presets then choose as "
                    "llama.cpp does with one");
    sub->add_option("--threads", options->threads, "Worker threads (0: all cores)")->capture_default_str();
    sub->add_option("--device", options->device,
                    "auto (OpenCL on a GPU, else the CPU), cpu, opencl or opencl:N; default MATRYX_DEVICE or auto");
    sub->add_flag("--force", options->force, "Overwrite OUT if it exists");
    sub->add_flag("-q,--quiet", options->quiet, "No progress output");
    sub->add_flag("--matryoshka", options->matryoshka,
                  "Write one nested int8 file (see README) that matryx-cli slice cuts to 8, 6, 5, 4, 3 or 2 bits; "
                  "prints each width's error next to round-to-nearest");
    sub->add_flag("-v,--verbose", options->verbose, "With --matryoshka: the error table of every tensor");
    return [options] { return runQuantize(*options); };
}

} // namespace matryx::cli
