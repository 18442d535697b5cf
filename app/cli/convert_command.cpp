// matryx-cli convert IN OUT --type f16|bf16|f32 [--force]: GGUF <-> safetensors with float weights.

#include "cli/cli_support.h"
#include "cli/commands.h"

#include "base/units.h"
#include "format/model_converter.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

namespace matryx::cli {

namespace {

struct ConvertCliOptions {
    std::string input;
    std::string output;
    std::string type = "f16";
    bool force = false;
    int threads = 0;
    bool quiet = false;
};

int runConvert(const ConvertCliOptions& o) {
    const auto floatType = typeFromName(o.type);
    if (!floatType || (*floatType != TensorType::F16 && *floatType != TensorType::BF16 &&
                       *floatType != TensorType::F32)) {
        std::cerr << "matryx-cli: --type must be f16, bf16 or f32\n";
        return kExitFailure;
    }
    if (auto format = outputFormatFor(o.output); !format) {
        std::cerr << "matryx-cli: " << format.error().toString() << '\n';
        return kExitFailure;
    }
    auto model = openOrReport(o.input);
    if (!model)
        return kExitBadInput;

    ConvertOptions options;
    options.floatType = *floatType;
    options.overwrite = o.force ? Overwrite::Yes : Overwrite::No;
    options.threads = o.threads;
    StderrProgress progress(!o.quiet);
    const auto start = std::chrono::steady_clock::now();
    const Status status = convertModel(*model, o.output, options, progress);
    if (!status) {
        std::cerr << "matryx-cli: " << status.error().toString() << '\n';
        return kExitFailure;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!o.quiet)
        std::fprintf(stderr, "wrote %s (%s) in %.1f s\n", o.output.c_str(),
                     formatBytes(std::filesystem::file_size(o.output)).c_str(), seconds);
    return 0;
}

} // namespace

Command addConvertCommand(CLI::App& app) {
    auto options = std::make_shared<ConvertCliOptions>();
    auto* sub = app.add_subcommand("convert", "Convert between GGUF and safetensors with float weights "
                                              "(quantized tensors are dequantized)");
    sub->add_option("IN", options->input, "GGUF file, safetensors file or Hugging Face folder")->required();
    sub->add_option("OUT", options->output, "Output file: .gguf or .safetensors")->required();
    sub->add_option("--type", options->type, "Weight type: f16, bf16 or f32 (1-D tensors stay f32)")
        ->capture_default_str();
    sub->add_option("--threads", options->threads, "Worker threads (0: all cores)")->capture_default_str();
    sub->add_flag("--force", options->force, "Overwrite OUT if it exists");
    sub->add_flag("-q,--quiet", options->quiet, "No progress output");
    return [options] { return runConvert(*options); };
}

} // namespace matryx::cli
