#pragma once

// Opens a Hugging Face model folder: model.safetensors, or shards listed in
// model.safetensors.index.json; config.json, tokenizer.json and tokenizer_config.json are
// imported as metadata under llama.cpp's key names.

#include "base/error.h"
#include "format/model.h"
#include "format/model_reader.h"

#include <filesystem>
#include <memory>

namespace matryx {

std::unique_ptr<ModelReader> makeHfFolderReader();

Result<Model> readHfFolder(const std::filesystem::path& folder);

} // namespace matryx
