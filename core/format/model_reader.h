#pragma once

// One interface for every model file format, and a registry that picks the reader for a path
// (by its first bytes, its extension, or, for folders, what the folder holds).

#include "base/error.h"
#include "format/model.h"

#include <filesystem>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace matryx {

class ModelReader {
public:
    virtual ~ModelReader() = default;
    virtual std::string_view name() const = 0;  // "GGUF", "safetensors", ...
    // head: up to the first 16 bytes of the file (empty for folders).
    virtual bool canRead(const std::filesystem::path& path, std::span<const std::byte> head) const = 0;
    // Reads metadata and tensor infos only; tensor data stays mapped.
    virtual Result<Model> read(const std::filesystem::path& path) const = 0;
};

// The built-in readers, in the order they are asked.
const std::vector<std::unique_ptr<ModelReader>>& modelReaders();

// Opens a GGUF file (or the first shard of a split model), a safetensors file, or a Hugging Face
// model folder. Refuses pickle checkpoints (.bin, .pt, .pth, .ckpt) with a message.
Result<Model> openModel(const std::filesystem::path& path);

} // namespace matryx
