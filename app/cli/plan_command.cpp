// matryx-cli plan FILE (--preset P | --plan plan.json | --base TYPE) [--override 'REGEX=TYPE' ...]
// [--importance] [--save plan.json [--force]] [--json]: the type every tensor would get, why,
// and the exact size of the resulting GGUF file.

#include "base/units.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "quant/bit_width.h"
#include "quant/plan.h"
#include "quant/plan_json.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

namespace matryx::cli {

namespace {

struct PlanCliOptions {
    std::string path;
    std::string preset;
    std::string planFile;
    std::string base;
    std::vector<std::string> overrides;
    bool importance = false;
    std::string save;
    bool force = false;
    bool json = false;
};

std::optional<TensorType> parseType(const std::string& text) {
    int bits = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), bits);
    if (ec == std::errc() && ptr == text.data() + text.size()) return typeForBits(bits);
    return typeFromName(text);
}

// 'REGEX=TYPE' as a rule; split at the last '=' so that the pattern may contain one.
std::optional<PlanRule> parseOverride(const std::string& text) {
    const size_t eq = text.rfind('=');
    if (eq == std::string::npos || eq == 0) return std::nullopt;
    const auto type = parseType(text.substr(eq + 1));
    if (!type) return std::nullopt;
    PlanRule rule;
    rule.pattern = text.substr(0, eq);
    rule.type = *type;
    rule.note = "--override " + text;
    return rule;
}

std::string shapeText(const std::vector<int64_t>& shape) {
    std::string s;
    for (const int64_t d : shape)
        s += (s.empty() ? "" : " x ") + std::to_string(d);
    return s.empty() ? "scalar" : s;
}

std::string name(TensorType t) {
    return std::string(typeName(t));
}

void printText(const Model& model, const ResolvedPlan& plan) {
    size_t nameWidth = 4;
    for (const auto& t : plan.tensors)
        nameWidth = std::max(nameWidth, t.name.size());
    std::printf("%-*s  %-16s %-8s    %-8s %12s  %s\n", static_cast<int>(nameWidth), "name", "shape", "source",
                "target", "bytes", "why");
    std::map<std::string, size_t> counts;
    for (const auto& t : plan.tensors) {
        std::printf("%-*s  %-16s %-8s -> %-8s %12llu  %s\n", static_cast<int>(nameWidth), t.name.c_str(),
                    shapeText(t.shape).c_str(), name(t.source).c_str(), name(t.target).c_str(),
                    static_cast<unsigned long long>(t.bytes), t.why.c_str());
        ++counts[name(t.target)];
    }
    std::string types;
    for (const auto& [type, n] : counts)
        types += (types.empty() ? "" : ", ") + type + ": " + std::to_string(n);
    std::printf("\ntypes          %s\n", types.c_str());
    std::printf("file type      %s\n",
                plan.fileType ? std::string(llamaFileTypeInfo(*plan.fileType).name).c_str() : "(none)");
    std::printf("file size      %s (%llu bytes; source %s)\n", formatBytes(plan.fileBytes).c_str(),
                static_cast<unsigned long long>(plan.fileBytes), formatBytes(model.fileSize()).c_str());
    std::printf("bits/weight    %.4f\n", plan.bitsPerWeight());
    if (const size_t n = plan.fallbacks())
        std::printf("fallbacks      %zu tensors have rows that are not whole blocks of the chosen type\n", n);
}

void printJson(const std::string& file, const Plan& source, const ResolvedPlan& plan) {
    nlohmann::ordered_json tensors = nlohmann::ordered_json::array();
    for (const auto& t : plan.tensors) {
        nlohmann::ordered_json j{{"name", t.name},
                                 {"shape", t.shape},
                                 {"source", name(t.source)},
                                 {"target", name(t.target)},
                                 {"step", std::string(planStepName(t.step))}};
        if (t.rule >= 0) j["rule"] = t.rule;
        if (t.chosen) j["chosen"] = name(*t.chosen);
        j["why"] = t.why;
        j["needs_importance"] = t.needsImportance;
        j["elements"] = t.elements;
        j["bytes"] = t.bytes;
        tensors.push_back(std::move(j));
    }
    nlohmann::ordered_json out{{"file", file},
                               {"plan", nlohmann::ordered_json::parse(planToJson(source))},
                               {"file_type", plan.fileType ? nlohmann::ordered_json(std::string(
                                                                 llamaFileTypeInfo(*plan.fileType).name))
                                                           : nlohmann::ordered_json()},
                               {"tensors", std::move(tensors)},
                               {"alignment", plan.alignment},
                               {"header_bytes", plan.headerBytes},
                               {"tensor_bytes", plan.tensorBytes},
                               {"file_bytes", plan.fileBytes},
                               {"elements", plan.elements},
                               {"bits_per_weight", plan.bitsPerWeight()},
                               {"warnings", plan.warnings}};
    std::cout << out.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

std::string presetNames() {
    std::string names;
    for (const auto& info : llamaFileTypes())
        if (info.preset) names += (names.empty() ? "" : ", ") + std::string(info.name);
    return names;
}

int runPlan(const PlanCliOptions& o) {
    const int sources = !o.preset.empty() + !o.planFile.empty() + !o.base.empty();
    if (sources != 1) {
        std::cerr << "matryx-cli: give exactly one of --preset, --plan and --base\n";
        return kExitFailure;
    }
    Plan plan;
    if (!o.preset.empty()) {
        const auto preset = findLlamaFileType(o.preset);
        if (!preset) {
            std::cerr << "matryx-cli: unknown preset '" << o.preset << "'; presets: " << presetNames()
                      << '\n';
            return kExitFailure;
        }
        plan = Plan::fromPreset(*preset);
    } else if (!o.planFile.empty()) {
        auto loaded = loadPlan(o.planFile);
        if (!loaded) {
            std::cerr << "matryx-cli: " << loaded.error().toString() << '\n';
            return kExitBadInput;
        }
        plan = std::move(*loaded);
    } else {
        const auto base = parseType(o.base);
        if (!base) {
            std::cerr << "matryx-cli: --base: unknown type or bit width '" << o.base << "'\n";
            return kExitFailure;
        }
        plan.base = *base;
    }
    plan.importance = plan.importance || o.importance;
    for (const auto& text : o.overrides) {
        auto rule = parseOverride(text);
        if (!rule) {
            std::cerr << "matryx-cli: --override '" << text
                      << "': expected REGEX=TYPE (a type name or bit width)\n";
            return kExitFailure;
        }
        plan.rules.push_back(std::move(*rule));
    }
    if (auto s = plan.validate("command line"); !s) {
        std::cerr << "matryx-cli: " << s.error().toString() << '\n';
        return kExitFailure;
    }

    auto model = openOrReport(o.path);
    if (!model) return kExitBadInput;
    auto resolved = plan.resolve(*model);
    if (!resolved) {
        std::cerr << "matryx-cli: " << resolved.error().toString() << '\n';
        return kExitFailure;
    }
    for (const auto& w : resolved->warnings)
        std::cerr << "matryx-cli: warning: " << w << '\n';
    const auto needImportance = std::count_if(resolved->tensors.begin(), resolved->tensors.end(),
                                              [](const ResolvedTensor& t) { return t.needsImportance; });
    if (needImportance > 0)
        std::cerr << "matryx-cli: warning: " << needImportance
                  << " tensors get types that llama-quantize writes only with an importance matrix\n";

    if (o.json)
        printJson(o.path, plan, *resolved);
    else
        printText(*model, *resolved);

    if (!o.save.empty()) {
        if (auto s = savePlan(plan, o.save, o.force ? Overwrite::Yes : Overwrite::No); !s) {
            std::cerr << "matryx-cli: " << s.error().toString() << '\n';
            return kExitFailure;
        }
    }
    return 0;
}

} // namespace

Command addPlanCommand(CLI::App& app) {
    auto options = std::make_shared<PlanCliOptions>();
    auto* sub =
        app.add_subcommand("plan", "Show the type each tensor gets under a quantization plan or llama.cpp "
                                   "preset, and the size of the resulting GGUF file");
    sub->add_option("FILE", options->path, "GGUF file, safetensors file or Hugging Face folder")->required();
    sub->add_option("--preset", options->preset, "llama.cpp file type: " + presetNames());
    sub->add_option("--plan", options->planFile, "Plan saved as JSON");
    sub->add_option("--base", options->base,
                    "One type for every quantizable tensor: a type name or bits (2..8, 16)");
    sub->add_option(
        "--override", options->overrides,
        "REGEX=TYPE: tensors whose name matches get TYPE (a type name or bits); repeatable, later wins");
    sub->add_flag("--importance", options->importance,
                  "Choose as llama.cpp does when an importance matrix is given");
    sub->add_option("--save", options->save, "Save the plan (with the overrides) as JSON");
    sub->add_flag("--force", options->force, "Overwrite the --save file if it exists");
    sub->add_flag("--json", options->json, "Print as JSON");
    return [options] { return runPlan(*options); };
}

} // namespace matryx::cli
