#pragma once

// Writes GGUF v3: header, metadata, tensor infos, then each tensor's data at its aligned
// offset, streamed from a TensorProducer into a temporary file renamed into place at the end.

#include "base/error.h"
#include "base/progress.h"
#include "format/metadata.h"
#include "format/model_writer.h"

#include <filesystem>
#include <span>

namespace matryx {

// general.alignment in metadata, if present, must equal options.alignment.
Status writeGguf(const std::filesystem::path& path, const Metadata& metadata,
                 std::span<const OutputTensor> tensors, const TensorProducer& produce,
                 const WriteOptions& options, Progress& progress);

} // namespace matryx
