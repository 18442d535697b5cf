// Prints what Matryx reads from a safetensors file or a Hugging Face folder, as JSON, for the
// reference checks against the Python safetensors library:
//   {"format": "...", "tensors": [{"name", "dtype", "shape" (ggml order), "file", "offset",
//    "bytes"}], "metadata": {key: plain value}, "metadata_types": {key: "UINT32" | ...}}
// usage: safetensors_dump PATH      exit 0, or 2 with the error on stderr

#include "format/hf_folder_reader.h"
#include "format/metadata_json.h"
#include "format/safetensors_reader.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: safetensors_dump PATH\n";
        return 1;
    }
    const std::filesystem::path path = argv[1];
    auto model =
        std::filesystem::is_directory(path) ? matryx::readHfFolder(path) : matryx::readSafetensors(path);
    if (!model) {
        std::cerr << model.error().toString() << "\n";
        return 2;
    }
    nlohmann::ordered_json out;
    out["format"] = std::string(matryx::modelFormatName(model->format));
    auto& tensors = out["tensors"] = nlohmann::ordered_json::array();
    for (const auto& t : model->tensors) {
        tensors.push_back({{"name", t.name},
                           {"dtype", std::string(matryx::typeName(t.type))},
                           {"shape", t.shape},
                           {"file", model->sources.at(t.source)->name()},
                           {"offset", t.offset},
                           {"bytes", t.bytes}});
    }
    auto& metadata = out["metadata"] = nlohmann::ordered_json::object();
    auto& types = out["metadata_types"] = nlohmann::ordered_json::object();
    for (const auto& [key, value] : model->metadata) {
        metadata[key] = matryx::toPlainJson(value);
        std::string type(matryx::metaTypeName(value.type()));
        if (value.isArray()) type += "[" + std::string(matryx::metaTypeName(value.arrayType())) + "]";
        types[key] = type;
    }
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
}
