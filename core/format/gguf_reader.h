#pragma once

// Reads GGUF v2 and v3 (see gguf_format.h for the byte layout). Opening parses the header
// (metadata and tensor infos) only; tensor data stays in the memory map. Every count, length,
// offset and shape is checked against the bytes that are there before it is used.

#include "base/byte_source.h"
#include "base/error.h"
#include "format/model.h"
#include "format/model_reader.h"

#include <filesystem>
#include <memory>

namespace matryx {

std::unique_ptr<ModelReader> makeGgufReader();

// One file, or every shard of a split model when given any shard named like
// "name-00001-of-00003.gguf"; the shards are opened as one Model.
Result<Model> readGguf(const std::filesystem::path& path);

// One GGUF file held in a ByteSource (what the fuzzer and unit tests use).
Result<Model> readGgufSource(std::shared_ptr<const ByteSource> source);

} // namespace matryx
