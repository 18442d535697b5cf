#pragma once

// Importance matrices ("imatrix") as llama.cpp's llama-imatrix writes them, read the way
// llama-quantize reads them, so that both quantize with the same weights.
//
// GGUF (current): for each weight tensor NAME, an F32 tensor "NAME.in_sum2" of ne0 x n_mat sums
// of squared activations and an F32 tensor "NAME.counts" of n_mat token counts ("NAME.in_sum",
// optional, is ignored); metadata imatrix.datasets (string array), imatrix.chunk_count and
// imatrix.chunk_size (U32) must be present, as llama-quantize demands. The weight of column i
// of matrix j is in_sum2[j][i] / round(counts[j]), or 1 where that count is 0.
//
// Legacy .dat, little-endian: int32 n_entries >= 1; per entry int32 name length, the name bytes,
// int32 ncall, int32 nval >= 1, nval float32 values; then optionally int32 chunk count, int32
// dataset name length and the name. The weight is value / ncall, or the value when ncall <= 0.

#include "base/error.h"
#include "quant/quantize_pipeline.h"

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace matryx {

struct ImportanceMatrix {
    ImportanceMap weights; // tensor name -> weights, one row-length vector per matrix
    std::vector<std::string> datasets;
    uint32_t chunkCount = 0;
    bool legacy = false;
};

// Reads either format (GGUF when the file starts with "GGUF"). Fails with an error naming the
// file, the entry and the byte offset on truncated or inconsistent data, a missing counts or
// metadata key, non-F32 tensors, or weights that are not finite (llama-quantize refuses those).
Result<ImportanceMatrix> readImportanceMatrix(const std::filesystem::path& path);

// The same for bytes in memory; `name` names them in errors.
Result<ImportanceMatrix> readImportanceMatrix(std::span<const std::byte> bytes, const std::string& name);

} // namespace matryx
