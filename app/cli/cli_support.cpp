#include "cli/cli_support.h"

#include "format/model_reader.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <unistd.h>

namespace matryx::cli {

std::optional<Model> openOrReport(const std::filesystem::path& path) {
    auto model = openModel(path);
    if (!model) {
        std::cerr << "matryx-cli: " << model.error().toString() << '\n';
        return std::nullopt;
    }
    return std::move(model).value();
}

Command addModelReportCommand(CLI::App& app, const std::string& name, const std::string& description,
                              ModelPrinter printText, ModelPrinter printJson) {
    struct Options {
        std::string path;
        bool json = false;
    };
    auto options = std::make_shared<Options>();
    auto* sub = app.add_subcommand(name, description);
    sub->add_option("FILE", options->path, "GGUF file, safetensors file or Hugging Face folder")->required();
    sub->add_flag("--json", options->json, "Print as JSON");
    return [options, printText, printJson] {
        auto model = openOrReport(options->path);
        if (!model)
            return kExitBadInput;
        return options->json ? printJson(*model) : printText(*model);
    };
}

StderrProgress::StderrProgress(bool enabled) : enabled_(enabled && ::isatty(STDERR_FILENO)) {}

StderrProgress::~StderrProgress() {
    if (printed_)
        std::fputs("\n", stderr);
}

void StderrProgress::onReport(double fraction, std::string_view stage) {
    if (!enabled_)
        return;
    const int percent = static_cast<int>(fraction * 100.0);
    const auto now = std::chrono::steady_clock::now();
    if (percent == lastPercent_ || (percent < 100 && now - lastPrint_ < std::chrono::milliseconds(100)))
        return;
    lastPercent_ = percent;
    lastPrint_ = now;
    std::fprintf(stderr, "\r\033[K%3d%%  %.*s", percent, static_cast<int>(stage.size()), stage.data());
    std::fflush(stderr);
    printed_ = true;
}

} // namespace matryx::cli
