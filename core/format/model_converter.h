#pragma once

// Converts a whole model to GGUF or safetensors (chosen by the output's extension) with float
// weights, dequantizing quantized tensors on the way. Streams tensor by tensor: memory holds
// at most one tensor in f32. Metadata and tokenizer travel along; tensor names (and, for the
// llama architecture, the q/k row order) are mapped between Hugging Face and GGUF conventions.

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/progress.h"
#include "format/model.h"
#include "format/model_writer.h"

#include <filesystem>
#include <vector>

namespace matryx {

enum class OutputFormat { Gguf, Safetensors };

// ".gguf" or ".safetensors"; an error naming the path otherwise.
Result<OutputFormat> outputFormatFor(const std::filesystem::path& path);

struct ConvertOptions {
    TensorType floatType = TensorType::F16; // F32, F16 or BF16 for the weight matrices
    Overwrite overwrite = Overwrite::No;
    int threads = 0;                        // 0: all cores
};

// The tensors the output will hold, in order, with converted names and types.
Result<std::vector<OutputTensor>> planConversion(const Model& model, OutputFormat format,
                                                 const ConvertOptions& options);

// Writes the converted model to `out` atomically; a failed or cancelled run leaves no file.
Status convertModel(const Model& model, const std::filesystem::path& out, const ConvertOptions& options,
                    Progress& progress);

} // namespace matryx
