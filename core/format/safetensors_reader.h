#pragma once

// Reads a .safetensors file: an 8-byte little-endian header length N, N bytes of JSON
// ({"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}), then the
// tensor data. Shapes are stored outermost first and are reversed into ggml order.

#include "base/byte_source.h"
#include "base/error.h"
#include "format/model.h"
#include "format/model_reader.h"

#include <filesystem>
#include <memory>

namespace matryx {

std::unique_ptr<ModelReader> makeSafetensorsReader();

Result<Model> readSafetensors(const std::filesystem::path& path);
Result<Model> readSafetensorsSource(std::shared_ptr<const ByteSource> source);

} // namespace matryx
