#pragma once

// Writes a .safetensors file (layout in safetensors_format.h) that the Python safetensors
// library loads. Plain element types only: F32, F16, BF16, F64, I8..I64, U8, BOOL, F8_E4M3 and
// F8_E5M2; ggml's block-quantized types are refused (dequantize them first). Tensors are packed
// in the given order without gaps; the header is padded with spaces to a multiple of 8 bytes.
//
// "__metadata__" holds "format": "pt" (what PyTorch-based loaders expect) and every metadata
// entry as "gguf:<key>" in the typed encoding of metadata_json.h, so that a GGUF -> safetensors
// -> GGUF round trip keeps every key with its type.
//
// Streams through an AtomicFile: tensor data is asked from `produce` one tensor at a time (one
// buffer of the largest tensor's size), progress is reported per tensor, and a failure or a
// cancel (Error::cancelled) leaves no file behind. WriteOptions::alignment is not used.

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
