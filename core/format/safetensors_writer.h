#pragma once

// Writes a .safetensors file (F32, F16 and BF16 tensors; other types are refused). Metadata
// goes into "__metadata__": strings as they are, every other value as typed JSON, so that a
// GGUF → safetensors → GGUF round trip keeps the tokenizer and hyperparameters.

#include "base/error.h"
#include "base/progress.h"
#include "format/metadata.h"
#include "format/model_writer.h"

#include <filesystem>
#include <span>

namespace matryx {

Status writeSafetensors(const std::filesystem::path& path, const Metadata& metadata,
                        std::span<const OutputTensor> tensors, const TensorProducer& produce,
                        const WriteOptions& options, Progress& progress);

} // namespace matryx
