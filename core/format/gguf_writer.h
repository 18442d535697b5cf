#pragma once

// Writes GGUF v3, little-endian: header, metadata, tensor infos, then each tensor's data at
// its aligned offset, streamed from a TensorProducer into a temporary file that is renamed
// into place only at the end (AtomicFile): a failed or cancelled write leaves no file.

#include "base/error.h"
#include "base/progress.h"
#include "format/metadata.h"
#include "format/model_writer.h"

#include <filesystem>
#include <span>

namespace matryx {

// Writes `metadata` in its order with its exact value types (nested arrays included) and the
// tensors in their order; each tensor starts at a multiple of options.alignment and is padded
// with zeros to the next one, the last one too (as ggml writes and reads). general.alignment
// is written only when it is in `metadata` (then it must be U32 and equal options.alignment)
// or when options.alignment is not 32 (then it is appended last).
//
// produce(i, out) is called once per tensor, in order, with one buffer the size of the largest
// tensor. Progress is reported before each tensor with its name and once at the end (1.0, the
// file name); a cancel returns an Error with cancelled = true. A producer's error is returned
// unchanged. Refused before anything is written: an alignment that is not a power of two
// fitting U32; non-ggml tensor types (U8, BOOL, F8_*); empty, duplicate or over-63-byte tensor
// names (llama.cpp's limit); more than 4 or negative dimensions; rows that are not whole
// blocks; integer values that do not fit their type; array items of another type than the
// array's; arrays nested more than 8 deep. Errors name the path and the field
// ("tensors[3].type", "metadata['general.alignment']"); the file is overwritten only with
// options.overwrite = Yes.
Status writeGguf(const std::filesystem::path& path, const Metadata& metadata,
                 std::span<const OutputTensor> tensors, const TensorProducer& produce,
                 const WriteOptions& options, Progress& progress);

} // namespace matryx
