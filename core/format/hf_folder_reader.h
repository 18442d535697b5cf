#pragma once

// Opens a Hugging Face model folder as one Model:
//  - tensors from model.safetensors, or from the shards that model.safetensors.index.json lists
//    in "weight_map" (tensor -> file in the same folder). Each shard is opened once; shards come
//    in file-name order, tensors within a shard in data-offset order, names as in the files.
//    A missing shard, a shard name with a path in it, or a listed tensor that its shard lacks is
//    an error naming the index file and `weight_map["tensor"]`. Tensors a shard holds but the
//    index does not list are left out, as loaders do.
//  - metadata under llama.cpp's key names: config.json (hf_config_import.h), tokenizer.json with
//    tokenizer_config.json and chat_template.jinja (hf_tokenizer_import.h), the pooling of a
//    sentence-transformers folder (modules.json -> <arch>.pooling_type), then any metadata the
//    safetensors files carry that is not already set ("format" is left out).
// Every sidecar file is optional and size-capped before it is read (tokenizer.json: 64 MiB).
// Tensor data stays in the memory-mapped shards.

#include "base/error.h"
#include "format/model.h"
#include "format/model_reader.h"

#include <filesystem>
#include <memory>

namespace matryx {

// canRead: a folder holding model.safetensors or model.safetensors.index.json.
std::unique_ptr<ModelReader> makeHfFolderReader();

Result<Model> readHfFolder(const std::filesystem::path& folder);

} // namespace matryx
