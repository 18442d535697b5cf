#pragma once

// Matrix products y = W·x on the CPU with W read in its stored type (weights are never expanded
// to f32 as a whole): activations are converted once to the weight type's activation type
// (activation_types.h) and each weight row meets them block by block in integers, with SIMD
// kernels chosen at run time (cpu_features.h) and output rows split over threads (OpenMP).
//
// One call takes several matrices that read the same activations (the query, key and value
// projections; the gate and up projections), so the conversion and the thread start-up are paid
// once. With several activation rows (a prompt), each weight row is unpacked once per group of
// rows and reused while it is in cache.

#include "compute/activation_types.h"
#include "compute/cpu_features.h"
#include "tensor/tensor_type.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace matryx {

// A weight matrix borrowed from its owner (usually a mapped model file): `rows` rows of
// `rowLength` elements, row r at data + r * rowBytes(), in ggml's layout for `type`.
struct MatrixView {
    TensorType type = TensorType::F32;
    const std::byte* data = nullptr;
    int64_t rowLength = 0;
    int64_t rows = 0;

    size_t rowBytes() const noexcept; // 0 when rowLength is not a whole number of blocks
};

// Fails unless canMultiply(type), rows and rowLength are positive, rowLength is a whole number of
// the weight's and its activation type's blocks, and data is not null. The message names the
// problem; callers add the tensor's name and file.
Status checkMatrixView(const MatrixView& view);

// out[t * outStride + r] receives row r of the product for activation row t.
struct MatmulTarget {
    MatrixView weights;
    float* out = nullptr;
    int64_t outStride = 0;
};

struct MatmulOptions {
    int threads = 1; // OpenMP threads; values below 1 mean 1
    CpuKernelLevel level = bestCpuKernelLevel();
};

// Scratch memory reused from call to call (converted activations, per-thread rows for the
// dequantizing fallback, the work list). One per thread that calls multiply(); it grows to the
// largest call and keeps its memory.
class MatmulWorkspace {
public:
    MatmulWorkspace() = default;

private:
    friend void multiply(std::span<const MatmulTarget>, const float*, int64_t, int64_t, int64_t,
                         MatmulWorkspace&, const MatmulOptions&);
    struct Converted {
        TensorType type = TensorType::F32;
        size_t rowBytes = 0;
        std::vector<std::byte> bytes;
    };
    struct Chunk {
        int target;
        int64_t begin, end;
    };
    std::vector<Converted> converted_;
    std::vector<Chunk> chunks_;
    std::vector<float> rows_;
};

// For every target: out[t * outStride + r] = sum over i of W[r, i] * x[t * xStride + i], for
// r < rows and t < count. Every target's checkMatrixView must pass with rowLength == k, and its
// output must hold count rows at outStride; x holds count rows of k floats at xStride. These are
// preconditions (checked when a model loads), not checked here. Throws std::bad_alloc only when
// the workspace cannot grow.
void multiply(std::span<const MatmulTarget> targets, const float* x, int64_t k, int64_t count,
              int64_t xStride, MatmulWorkspace& workspace, const MatmulOptions& options);

// One matrix, the common case.
inline void multiply(const MatrixView& weights, float* out, int64_t outStride, const float* x, int64_t count,
                     int64_t xStride, MatmulWorkspace& workspace, const MatmulOptions& options) {
    const MatmulTarget target{weights, out, outStride};
    multiply(std::span(&target, 1), x, weights.rowLength, count, xStride, workspace, options);
}

} // namespace matryx
