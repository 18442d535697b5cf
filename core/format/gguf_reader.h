#pragma once

// Reads GGUF v2 and v3 (the byte layout is in gguf_format.h). Opening parses the header
// (metadata and tensor infos) only; tensor data stays in the memory map, which the Model
// keeps alive through Model::sources.
//
// Files are untrusted: every count, length, offset and shape is checked against the bytes that
// are there before it is used, and counts are capped (2^26 metadata values, 2^20 tensors; see
// gguf_format.h), so a hostile file cannot make the reader allocate gigabytes. Refused, each with an Error that names the file, the field ("header.n_tensors",
// "kv[12].value[7]", "tensor_infos[3].offset") and the byte offset where that field starts:
// a wrong magic; versions other than 2 and 3 (1 by name, byte-swapped ones as big-endian);
// counts, string lengths and array counts that cannot fit in the bytes left; empty or
// duplicate keys; unknown value types; arrays nested more than 8 deep; a general.alignment
// that is not a U32 power of two; duplicate tensor names; more than 4 dimensions; negative
// dimensions; element counts over 2^63 or byte sizes that overflow; unknown, removed or
// non-ggml type ids (unknownTypeReason says what a removed id was); rows that are not whole
// blocks; offsets that are not multiples of the alignment; data past the end of the file;
// tensors whose bytes overlap.
//
// Accepted as ggml accepts them: n_dims 0 (a scalar: empty shape, one element), zero-length
// dimensions (no bytes), any non-zero byte as a true BOOL, tensor names of any length. Tensors
// may lie in any order with gaps between them (recent ggml wants them packed in order; a
// Matryx reader only needs them inside the file and apart).
//
// The Model holds metadata in file order with the exact value types read, and tensors in file
// order with absolute offsets (TensorInfo::offset counts from the start of the file).

#include "base/byte_source.h"
#include "base/error.h"
#include "format/model.h"
#include "format/model_reader.h"

#include <filesystem>
#include <memory>

namespace matryx {

// The GGUF entry of the reader registry: takes files that start with "GGUF" or are named
// *.gguf (so a broken .gguf file gets this reader's precise error); reads with readGguf.
std::unique_ptr<ModelReader> makeGgufReader();

// One file, or every shard of a split model when given any shard named like
// "name-00001-of-00003.gguf" (see gguf_split.h: the shards become one Model). A file that says
// it is one shard of several (split.count > 1) under another name is refused, since the other
// shards cannot be found. Errors name the file (the shard) at fault.
Result<Model> readGguf(const std::filesystem::path& path);

// One GGUF file held in a ByteSource (what the fuzzer and unit tests use). The Model shares
// the source; a borrowed buffer must outlive the Model. split.* keys are kept as they are.
Result<Model> readGgufSource(std::shared_ptr<const ByteSource> source);

} // namespace matryx
