#pragma once

// What every subcommand shares: opening a model with the right exit code, and a progress line
// on stderr.

#include "base/progress.h"
#include "cli/commands.h"
#include "format/model.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace matryx::cli {

// Exit codes: 0 success, 1 the operation failed (e.g. the target exists), 2 a bad input file.
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

// Opens any supported model; prints the error on stderr and returns nullopt on failure.
std::optional<Model> openOrReport(const std::filesystem::path& path);

// A subcommand that opens one model (FILE) and prints it as text, or as JSON with --json.
using ModelPrinter = int (*)(const Model&);
Command addModelReportCommand(CLI::App& app, const std::string& name, const std::string& description,
                              ModelPrinter printText, ModelPrinter printJson);

// Prints "stage  42%" on stderr, at most a few times a second, only when stderr is a terminal
// or when verbose.
class StderrProgress : public Progress {
public:
    explicit StderrProgress(bool enabled);
    ~StderrProgress() override;

protected:
    void onReport(double fraction, std::string_view stage) override;

private:
    bool enabled_;
    bool printed_ = false;
    int lastPercent_ = -1;
    std::chrono::steady_clock::time_point lastPrint_{};
};

} // namespace matryx::cli
