// matryx-cli info FILE [--json]: what a model is, at a glance, and its metadata.

#include "cli/cli_support.h"
#include "cli/commands.h"

#include "base/units.h"
#include "format/metadata_json.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <map>

namespace matryx::cli {

namespace {

std::map<std::string, uint64_t> countPerType(const Model& model) {
    std::map<std::string, uint64_t> counts;
    for (const auto& t : model.tensors)
        ++counts[std::string(typeName(t.type))];
    return counts;
}

std::string formatLabel(const Model& model) {
    std::string label(modelFormatName(model.format));
    if (model.format == ModelFormat::Gguf)
        label += " v" + std::to_string(model.ggufVersion);
    if (model.sources.size() > 1)
        label += " (" + std::to_string(model.sources.size()) + " files)";
    return label;
}

int printJson(const Model& model) {
    nlohmann::ordered_json out;
    out["file"] = model.path.string();
    out["format"] = std::string(modelFormatName(model.format));
    if (model.format == ModelFormat::Gguf)
        out["gguf_version"] = model.ggufVersion;
    out["files"] = model.sources.size();
    out["architecture"] = model.architecture();
    out["parameters"] = model.parameterCount();
    out["tensor_count"] = model.tensors.size();
    out["tensor_types"] = countPerType(model);
    out["file_size"] = model.fileSize();
    out["tensor_bytes"] = model.tensorBytes();
    out["bits_per_weight"] = model.bitsPerWeight();
    auto& meta = out["metadata"] = nlohmann::ordered_json::object();
    for (const auto& [key, value] : model.metadata) {
        auto& entry = meta[key] = {{"type", std::string(metaTypeName(value.type()))}};
        if (value.isArray())
            entry["element_type"] = std::string(metaTypeName(value.arrayType()));
        entry["value"] = toPlainJson(value);
    }
    std::cout << out.dump(1) << '\n';
    return 0;
}

int printText(const Model& model) {
    const auto row = [](const char* label, const std::string& value) {
        std::printf("%-14s %s\n", label, value.c_str());
    };
    row("file", model.path.string());
    row("format", formatLabel(model));
    row("architecture", model.architecture().empty() ? "(unknown)" : model.architecture());
    if (auto name = model.metadata.getString("general.name"))
        row("name", *name);
    row("parameters", formatCount(model.parameterCount()) + " (" + std::to_string(model.parameterCount()) + ")");
    row("tensors", std::to_string(model.tensors.size()));
    std::string types;
    for (const auto& [type, count] : countPerType(model))
        types += (types.empty() ? "" : ", ") + type + ": " + std::to_string(count);
    row("types", types);
    row("file size", formatBytes(model.fileSize()) + " (" + std::to_string(model.fileSize()) + " bytes)");
    char bpw[32];
    std::snprintf(bpw, sizeof bpw, "%.2f", model.bitsPerWeight());
    row("bits/weight", bpw);

    std::printf("\nmetadata (%zu keys)\n", model.metadata.size());
    size_t keyWidth = 0;
    for (const auto& entry : model.metadata)
        keyWidth = std::max(keyWidth, entry.first.size());
    for (const auto& [key, value] : model.metadata) {
        std::string type(metaTypeName(value.type()));
        if (value.isArray())
            type = std::string(metaTypeName(value.arrayType())) + "[" + std::to_string(value.items().size()) + "]";
        std::printf("  %-*s  %-14s %s\n", static_cast<int>(keyWidth), key.c_str(), type.c_str(),
                    value.display(6).c_str());
    }
    return 0;
}

} // namespace

Command addInfoCommand(CLI::App& app) {
    return addModelReportCommand(app, "info", "Architecture, size, types and metadata of a model (--json: full metadata values)", printText, printJson);
}

} // namespace matryx::cli
