#pragma once

// What quantizing a tensor to another type does to its values: the tensor (any readable type) is
// dequantized, quantized to the target type and dequantized again, rows by rows, and the result
// is compared with the values it came from. The inspector overlays the quantized values'
// histogram on the original's and shows the error's histogram and RMSE; the layer heatmap and
// the plan editor's predictions use the RMSE.
//
// Two passes over the tensor (the error histogram's range is the largest error, known after the
// first), a chunk of rows at a time on up to `threads` threads; never a copy of the tensor.
// Non-finite source values are left out of every sum and histogram.

#include "base/error.h"
#include "base/progress.h"
#include "tensor/histogram_builder.h"
#include "tensor/tensor_type.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace matryx {

struct QuantizationError {
    TensorType target = TensorType::F32;
    uint64_t values = 0;    // finite source values compared
    double rmse = 0;        // sqrt(mean((q - x)^2))
    double relativeRmse = 0; // rmse / sqrt(mean(x^2)); 0 when the tensor is all zeros
    double maxAbs = 0;      // largest |q - x|
    Histogram quantized;    // the quantized values over the edges asked for
    Histogram error;        // q - x over [-maxAbs, maxAbs] (empty when maxAbs is 0 or no bins were asked for)
};

// Measures the error of quantizing `data` (type `source`, shape in ggml order) to `target`.
// `edges` are the quantized-value histogram's (the original histogram's, so that the two
// overlay); empty makes none. errorBins 0 makes no error histogram and saves the second pass. Fails when the target cannot be quantized here,
// its block does not divide the rows, the bytes do not match the shape, or on cancel.
Result<QuantizationError> measureQuantizationError(TensorType source, std::span<const std::byte> data,
                                                   const std::vector<int64_t>& shape, TensorType target,
                                                   const std::vector<double>& edges, int errorBins,
                                                   Progress& progress, int threads = 1);

} // namespace matryx
