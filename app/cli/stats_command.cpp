// matryx-cli stats FILE [--tensor REGEX] [--json] [--bins N] [--k K] [--top K] [--threads N]:
// per-tensor statistics (moments, extremes, outliers), and with --json also histograms and the
// largest values with their row and column.

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "quant/model_stats.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <thread>

namespace matryx::cli {

namespace {

struct StatsCliOptions {
    std::string path;
    std::string tensor;
    bool json = false;
    int bins = 256;
    double k = 6.0;
    int top = 32;
    int threads = 0;
    double linthresh = 0;
    bool vectors = false;
    bool quiet = false;
};

using Json = nlohmann::ordered_json;

Json histogramJson(const Histogram& h) {
    return {{"edges", h.edges}, {"counts", h.counts}, {"below", h.below}, {"above", h.above}};
}

Json tensorJson(const TensorStatsEntry& e, bool vectors) {
    const TensorStats& s = e.stats;
    Json top = Json::array();
    for (const OutlierValue& o : s.topOutliers)
        top.push_back({{"row", o.row}, {"column", o.column}, {"value", o.value}});
    Json j = {{"name", e.name},
              {"type", std::string(typeName(e.type))},
              {"shape", e.shape},
              {"elements", s.elements},
              {"finite", s.finite},
              {"nan", s.nan},
              {"inf", s.infinite},
              {"min", s.min},
              {"max", s.max},
              {"absmax", s.absMax},
              {"mean", s.mean},
              {"std", s.std},
              {"excess_kurtosis", s.excessKurtosis},
              {"outlier_k", s.outlierK},
              {"outliers", s.outliers},
              {"outlier_fraction", s.outlierFraction},
              {"top_outliers", std::move(top)}};
    if (!s.linear.edges.empty()) j["histogram"] = histogramJson(s.linear);
    if (!s.symlog.edges.empty()) {
        j["symlog_histogram"] = histogramJson(s.symlog);
        j["symlog_histogram"]["linthresh"] = s.symlogLinthresh;
    }
    if (vectors) {
        j["row_absmax"] = s.rowAbsMax;
        j["column_absmax"] = s.columnAbsMax;
    }
    return j;
}

void printJson(const StatsCliOptions& o, const ModelStats& stats) {
    Json list = Json::array();
    for (const TensorStatsEntry& e : stats.tensors)
        list.push_back(tensorJson(e, o.vectors));
    Json out = {{"file", o.path},
                {"bins", o.bins},
                {"outlier_k", o.k},
                {"top", o.top},
                {"outlier_rule", "|x - mean| > k * std"},
                {"kurtosis", "m4 / m2^2 - 3 (population moments)"},
                {"tensors", std::move(list)}};
    std::cout << out.dump(1) << '\n';
}

void printText(const ModelStats& stats) {
    size_t nameWidth = 4;
    bool nonFinite = false;
    for (const TensorStatsEntry& e : stats.tensors) {
        nameWidth = std::max(nameWidth, e.name.size());
        nonFinite = nonFinite || e.stats.nan + e.stats.infinite > 0;
    }
    const int w = int(nameWidth);
    std::printf("%-*s  %-8s %12s %11s %11s %11s %11s %10s %11s %9s%s\n", w, "name", "type", "elements", "min",
                "max", "mean", "std", "kurtosis", "absmax", "outlier%", nonFinite ? "  nan/inf" : "");
    for (const TensorStatsEntry& e : stats.tensors) {
        const TensorStats& s = e.stats;
        std::printf("%-*s  %-8s %12llu %11.4g %11.4g %11.4g %11.4g %10.4g %11.4g %9.4f", w, e.name.c_str(),
                    std::string(typeName(e.type)).c_str(), static_cast<unsigned long long>(s.elements), s.min,
                    s.max, s.mean, s.std, s.excessKurtosis, s.absMax, 100.0 * s.outlierFraction);
        if (nonFinite)
            std::printf("  %llu/%llu", static_cast<unsigned long long>(s.nan),
                        static_cast<unsigned long long>(s.infinite));
        std::printf("\n");
    }
}

int runStats(const StatsCliOptions& o) {
    auto model = openOrReport(o.path);
    if (!model) return kExitBadInput;

    ModelStatsOptions options;
    options.tensorPattern = o.tensor;
    options.tensor.outlierK = o.k;
    options.tensor.symlogLinthresh = o.linthresh;
    options.tensor.threads =
        o.threads > 0 ? o.threads : int(std::max(1u, std::thread::hardware_concurrency()));
    if (o.json) {
        options.tensor.histogramBins = o.bins;
        options.tensor.topK = o.top;
        options.tensor.rowAbsMax = o.vectors;
        options.tensor.columnAbsMax = o.vectors;
    }
    StderrProgress progress(!o.quiet);
    auto stats = computeModelStats(*model, options, progress);
    if (!stats) {
        std::cerr << "matryx-cli: " << stats.error().toString() << '\n';
        const std::string& field = stats.error().field;
        const bool badArguments = field == "tensorPattern" || field.find("options.") != std::string::npos;
        return badArguments ? kExitFailure : kExitBadInput;
    }
    if (o.json)
        printJson(o, *stats);
    else
        printText(*stats);
    return 0;
}

} // namespace

Command addStatsCommand(CLI::App& app) {
    auto options = std::make_shared<StatsCliOptions>();
    auto* sub =
        app.add_subcommand("stats", "Per-tensor statistics: min, max, mean, std, excess kurtosis, absmax, "
                                    "outliers (|x - mean| > k std); with --json also histograms and "
                                    "the largest values with row and column");
    sub->add_option("FILE", options->path, "GGUF file, safetensors file or Hugging Face folder")->required();
    sub->add_option("--tensor", options->tensor, "Only tensors whose name matches this regular expression");
    sub->add_flag("--json", options->json, "Print everything as JSON, incl. histograms and top outliers");
    sub->add_option("--bins", options->bins, "Histogram bins (JSON)")
        ->capture_default_str()
        ->check(CLI::Range(0, 1 << 20));
    sub->add_option("--k", options->k, "Outlier threshold in standard deviations (0: none)")
        ->capture_default_str();
    sub->add_option("--top", options->top, "Largest values to list per tensor (JSON)")
        ->capture_default_str()
        ->check(CLI::Range(0, 1 << 20));
    sub->add_option("--linthresh", options->linthresh,
                    "Linear range of the symlog histogram (0: the tensor's std)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    sub->add_flag("--absmax-vectors", options->vectors, "Add per-row and per-column max |x| to the JSON");
    sub->add_option("--threads", options->threads, "Worker threads (0: all cores)")->capture_default_str();
    sub->add_flag("-q,--quiet", options->quiet, "No progress output");
    return [options] { return runStats(*options); };
}

} // namespace matryx::cli
