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

#include "base/atomic_file.h"
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

// What llama-imatrix collects for one weight, before division: sums over n_mat matrices (1 for
// a plain matrix, the expert count for stacked experts).
struct ImportanceSums {
    std::string name;               // the weight's GGUF name
    std::vector<float> sumSquares;  // row length x n_mat: in_sum2
    std::vector<float> sums;        // the same size (in_sum), or empty when not collected
    std::vector<uint64_t> counts;   // n_mat activation rows per matrix
};

struct ImportanceData {
    std::vector<ImportanceSums> entries;
    std::vector<std::string> datasets; // the calibration texts' names
    uint32_t chunkCount = 0;           // windows evaluated
    uint32_t chunkSize = 0;            // tokens per window
};

enum class ImportanceFormat {
    Gguf,   // llama-imatrix's default
    Legacy, // the .dat format (--output-format dat)
};

// Writes `data` as llama-imatrix writes it, entries sorted by name, through a temporary file
// renamed into place. GGUF: general.type "imatrix", imatrix.datasets, imatrix.chunk_count and
// imatrix.chunk_size, then per entry NAME.in_sum2 (row length x n_mat), NAME.counts (1 x n_mat)
// and NAME.in_sum when sums are present. Legacy: per entry ncall = ceil(max count / chunkSize)
// and the values in_sum2 / count x ncall (1 for a matrix without rows), entries without any row
// left out, then chunkCount and the last dataset name. Fails when an entry's sizes do not agree
// (sumSquares not a multiple of counts, sums of another size), when a name is too long for GGUF,
// when the legacy format gets chunkSize 0 or a count beyond its int32 fields, when nothing is
// left to write, on I/O errors, or when the file exists and `overwrite` is No.
Status writeImportanceMatrix(const std::filesystem::path& path, const ImportanceData& data, ImportanceFormat format,
                             Overwrite overwrite = Overwrite::No);

} // namespace matryx
