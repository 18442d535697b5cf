// matryx-cli slice NESTED OUT --bits 8|6|5|4|3|2 [--bits-for REGEX=BITS ...] [--threads N] [--force]:
// writes a standard GGUF file from a nested Matryoshka file, without the original model.

#include "base/units.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "quant/matryoshka_slicer.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace matryx::cli {

namespace {

struct SliceCliOptions {
    std::string input;
    std::string output;
    int bits = 4;
    std::vector<std::string> bitsFor;
    int threads = 0;
    bool force = false;
    bool quiet = false;
};

Result<SliceRule> parseRule(const std::string& text) {
    const size_t eq = text.rfind('=');
    SliceRule rule;
    if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
        return makeError("command line", "--bits-for", std::nullopt, "'" + text + "' is not REGEX=BITS");
    rule.pattern = text.substr(0, eq);
    try {
        size_t used = 0;
        rule.bits = std::stoi(text.substr(eq + 1), &used);
        if (used != text.size() - eq - 1) throw std::invalid_argument("trailing characters");
    } catch (const std::exception&) {
        return makeError("command line", "--bits-for", std::nullopt,
                         "'" + text.substr(eq + 1) + "' in '" + text + "' is not a number of bits");
    }
    return rule;
}

int runSlice(const SliceCliOptions& o) {
    SliceOptions options;
    options.bits = o.bits;
    options.overwrite = o.force ? Overwrite::Yes : Overwrite::No;
    options.threads = o.threads;
    for (const auto& text : o.bitsFor) {
        auto rule = parseRule(text);
        if (!rule) {
            std::cerr << "matryx-cli: " << rule.error().toString() << '\n';
            return kExitFailure;
        }
        options.rules.push_back(*rule);
    }
    if (auto s = validateSliceOptions(options); !s) {
        std::cerr << "matryx-cli: " << s.error().toString() << '\n';
        return kExitFailure;
    }
    auto model = openOrReport(o.input);
    if (!model) return kExitBadInput;
    StderrProgress progress(!o.quiet);
    auto report = sliceMatryoshkaModel(*model, o.output, options, progress);
    if (!report) {
        std::cerr << "matryx-cli: " << report.error().toString() << '\n';
        return report.error().cancelled ? kExitFailure : kExitBadInput;
    }
    if (!o.quiet) {
        std::string types;
        for (const auto& [type, n] : report->typeCounts)
            types += (types.empty() ? "" : ", ") + std::to_string(n) + " " + type;
        const char* fileType = report->fileType ? llamaFileTypeInfo(*report->fileType).name.data() : "(none)";
        std::fprintf(stderr, "wrote %s (%s, file type %s): %zu tensors sliced (%s), %zu copied\n",
                     o.output.c_str(), formatBytes(report->fileBytes).c_str(), fileType, report->sliced,
                     types.c_str(), report->copied);
    }
    return 0;
}

} // namespace

Command addSliceCommand(CLI::App& app) {
    auto options = std::make_shared<SliceCliOptions>();
    auto* sub = app.add_subcommand("slice", "Write a standard GGUF file at one width of a nested Matryoshka file "
                                            "(matryx-cli quantize --matryoshka)");
    sub->add_option("NESTED", options->input, "Nested GGUF file")->required();
    sub->add_option("OUT", options->output, "Output GGUF file")->required();
    sub->add_option("--bits", options->bits, "Width of every nested tensor: 8 (Q8_0), 6 (Q6_K), 5 (Q5_1, exact), "
                                             "4 (Q4_1, exact), 3 (Q3_K) or 2 (Q2_K)")
        ->capture_default_str();
    sub->add_option("--bits-for", options->bitsFor,
                    "REGEX=BITS: the width of the tensors whose names match (repeatable; the last match wins)");
    sub->add_option("--threads", options->threads, "Worker threads (0: all cores)")->capture_default_str();
    sub->add_flag("--force", options->force, "Overwrite OUT if it exists");
    sub->add_flag("-q,--quiet", options->quiet, "No progress output");
    return [options] { return runSlice(*options); };
}

} // namespace matryx::cli
