// matryx-cli tensors FILE [--json]: every tensor with its type, shape, size and place in the file.

#include "cli/cli_support.h"
#include "cli/commands.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace matryx::cli {

namespace {

std::string shapeText(const TensorInfo& t) {
    std::string s;
    for (const int64_t d : t.shape)
        s += (s.empty() ? "" : " x ") + std::to_string(d);
    return s.empty() ? "scalar" : s;
}

int printJson(const Model& model) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& t : model.tensors) {
        list.push_back({{"name", t.name},
                        {"type", std::string(typeName(t.type))},
                        {"shape", t.shape},
                        {"elements", t.elements()},
                        {"bytes", t.bytes},
                        {"file", t.source},
                        {"offset", t.offset}});
    }
    std::cout << list.dump(1) << '\n';
    return 0;
}

int printText(const Model& model) {
    size_t nameWidth = 4;
    for (const auto& t : model.tensors)
        nameWidth = std::max(nameWidth, t.name.size());
    const bool manyFiles = model.sources.size() > 1;
    std::printf("%-*s  %-8s %-22s %14s %14s%s\n", static_cast<int>(nameWidth), "name", "type", "shape", "bytes",
                "offset", manyFiles ? "  file" : "");
    for (const auto& t : model.tensors) {
        std::printf("%-*s  %-8s %-22s %14llu %14llu", static_cast<int>(nameWidth), t.name.c_str(),
                    std::string(typeName(t.type)).c_str(), shapeText(t).c_str(),
                    static_cast<unsigned long long>(t.bytes), static_cast<unsigned long long>(t.offset));
        if (manyFiles)
            std::printf("  %u", t.source);
        std::printf("\n");
    }
    return 0;
}

} // namespace

Command addTensorsCommand(CLI::App& app) {
    return addModelReportCommand(app, "tensors", "List tensors: name, type, shape (ggml order), bytes, offset", printText, printJson);
}

} // namespace matryx::cli
