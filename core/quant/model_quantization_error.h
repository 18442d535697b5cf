#pragma once

// How much each matrix of a model loses when quantized to one width: the relative RMSE
// (tensor/quantization_error.h) of every tensor a plan would quantize, at the type a bit width
// names (bit_width.h) after llama.cpp's row fallback, as the layer heatmap colours it and as a
// plan's predicted error adds it up. One pass per tensor, tensor by tensor, never a copy.

#include "base/error.h"
#include "base/progress.h"
#include "format/model.h"

#include <cstddef>
#include <vector>

namespace matryx {

struct TensorQuantizationError {
    size_t index = 0;        // into Model::tensors
    TensorType type = TensorType::F32; // what the tensor was quantized to
    double relativeRmse = 0; // rmse / rms of the values
    double rmse = 0;
};

// The errors at `bits` (2, 3, 4, 5, 6, 8, 16) of the tensors with at least two dimensions that are
// not kept as stored (norms, position embeddings), in model order. Reports progress per tensor;
// fails on an unknown width, a tensor whose bytes disagree with its shape, or on cancel.
Result<std::vector<TensorQuantizationError>> measureModelQuantizationError(const Model& model, int bits,
                                                                           Progress& progress, int threads = 1);
// The same at one ggml type (`target` after the row fallback, per tensor).
Result<std::vector<TensorQuantizationError>> measureModelQuantizationError(const Model& model, TensorType target,
                                                                           Progress& progress, int threads = 1);

} // namespace matryx
