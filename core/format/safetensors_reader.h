#pragma once

// Reads a .safetensors file (layout in safetensors_format.h). Opening parses the header only;
// tensor data stays in the memory map.
//
// Checked before use: the header size (at most 100 MiB, as the Python library, and inside the
// file), the JSON (streamed, never built into a document; see safetensors_header.h), each dtype
// (F64, F32, F16, BF16, I8, U8, I16, I32, I64, BOOL, F8_E4M3, F8_E5M2), each shape (element and
// byte counts overflow-checked), and each data_offsets pair (begin <= end, inside the data
// section, exactly the bytes the shape needs, no two tensors sharing bytes). Gaps between
// tensors are accepted. Errors name the file, the field (`tensors["x"].data_offsets`) and a
// byte offset: where JSON parsing failed, else the header start (8).
//
// Tensors come out in data-offset order, shapes reversed into ggml order. "__metadata__":
// entries "gguf:<key>" are decoded from the typed encoding (metadata_json.h) into <key> with its
// type; other entries become string metadata under their own key, except "format" in files that
// hold typed entries (Matryx's own exports), so that round trips add nothing.

#include "base/byte_source.h"
#include "base/error.h"
#include "format/model.h"
#include "format/model_reader.h"

#include <filesystem>
#include <memory>

namespace matryx {

// canRead: a file named *.safetensors, or one whose first bytes look like a safetensors header.
std::unique_ptr<ModelReader> makeSafetensorsReader();

Result<Model> readSafetensors(const std::filesystem::path& path);
// One safetensors file held in a ByteSource (what the fuzzer and unit tests use); the Model
// keeps the source alive.
Result<Model> readSafetensorsSource(std::shared_ptr<const ByteSource> source);

} // namespace matryx
