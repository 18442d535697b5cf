#pragma once

// Statistics of every tensor of a model, or of those whose names match a pattern: the overview
// a user scans for outliers before choosing a bit-width per layer. Each tensor is read through
// the Model's mapped bytes and dequantized chunk by chunk (tensor/tensor_stats.h), so memory does
// not grow with the model.

#include "base/error.h"
#include "base/progress.h"
#include "format/model.h"
#include "tensor/tensor_stats.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace matryx {

struct ModelStatsOptions {
    // Only tensors whose name contains a match of this ECMAScript regular expression (as grep
    // does; anchor with ^ and $ for whole names). Empty: every tensor.
    std::string tensorPattern;
    // What to compute per tensor. By default the scalars only, a few hundred bytes per tensor;
    // ask for histograms, top outliers or per-row/column maxima explicitly.
    TensorStatsOptions tensor = TensorStatsOptions::summary();
};

struct TensorStatsEntry {
    size_t index = 0; // in Model::tensors
    std::string name;
    TensorType type = TensorType::F32;
    std::vector<int64_t> shape; // ggml order
    TensorStats stats;
};

struct ModelStats {
    std::vector<TensorStatsEntry> tensors; // in model order
};

// Computes the statistics of the selected tensors in model order. Reports progress by elements
// done, with the tensor's name as the stage, and returns an Error with cancelled = true when
// `progress` is cancelled. Fails on an invalid pattern (field "tensorPattern"), an invalid option,
// or a tensor whose shape and bytes disagree; such an error names the tensor's file, the tensor
// (field "tensors[i] NAME: ...") and its data offset. Nothing is returned on failure.
Result<ModelStats> computeModelStats(const Model& model, const ModelStatsOptions& options = {},
                                     Progress& progress = Progress::none());

} // namespace matryx
