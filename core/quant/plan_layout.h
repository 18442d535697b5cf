#pragma once

// The GGUF file a plan gives, before it is written: its metadata and its exact size.

#include "base/error.h"
#include "format/metadata.h"
#include "format/model_writer.h"
#include "quant/llama_file_type.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace matryx {

inline constexpr uint32_t kQuantizationVersion = 2; // ggml's GGML_QNT_VERSION

inline constexpr const char* kPlanMetadataKey = "matryx.plan"; // the plan as compact JSON (plan_json.h)

// The metadata a quantized file carries: the source's keys in their order, with
// general.quantization_version (U32, 2) and general.file_type (U32; removed when fileType is
// nullopt) replaced in place or appended, and split.no, split.count and split.tensors.count
// removed. llama-quantize writes the same keys with the same value types, so without planJson
// both files have headers of one size. A non-empty planJson is stored under kPlanMetadataKey
// (replacing one a source quantized by Matryx carries); an empty one removes that key.
Metadata quantizedMetadata(const Metadata& source, std::optional<LlamaFileType> fileType,
                           const std::string& planJson = {});

struct GgufSize {
    uint64_t headerBytes = 0; // header, metadata and tensor infos, padded to the alignment
    uint64_t fileBytes = 0;   // the whole file: header, then each tensor padded to the alignment
};

// The size writeGguf gives for these tensors and metadata at `alignment`, from the writer's own
// layout; fails where the writer would (errors name `file` and the field).
Result<GgufSize> predictGgufSize(const std::string& file, const Metadata& metadata,
                                 std::span<const OutputTensor> tensors, uint64_t alignment);

} // namespace matryx
