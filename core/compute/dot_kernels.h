#pragma once

// Internal to matryx_compute: the per-type kernels behind multiply() and quantizeActivations(),
// one set per CpuKernelLevel. Unchecked: the public functions validate types and sizes first.

#include "compute/cpu_features.h"
#include "tensor/tensor_type.h"

#include <cstddef>
#include <cstdint>

namespace matryx::dot {

// One weight row of k elements (stored as its type) against `cols` activation rows, each k
// elements in the weight type's activation type, the c-th at act + c * actStride bytes:
// out[c * outStride] = the dot product. k is a whole number of the weight type's blocks.
using RowDotFn = void (*)(const std::byte* w, const std::byte* act, size_t actStride, int cols, float* out,
                          size_t outStride, int64_t k) noexcept;

// Quantizes one row of k floats to an activation type (Q8_0, Q8_1, Q8_K, F16, BF16, F32).
using QuantizeRowFn = void (*)(const float* x, std::byte* out, int64_t k) noexcept;

// Per family and level (dot_{scalar,avx2}_{legacy,kquants,float}.cpp); nullptr for other types.
RowDotFn scalarLegacyRowDot(TensorType weight) noexcept;
RowDotFn scalarKQuantRowDot(TensorType weight) noexcept;
RowDotFn scalarFloatRowDot(TensorType weight) noexcept;
RowDotFn avx2LegacyRowDot(TensorType weight) noexcept;
RowDotFn avx2KQuantRowDot(TensorType weight) noexcept;
RowDotFn avx2FloatRowDot(TensorType weight) noexcept;

// nullptr when the level has no kernel of its own for the type (the caller falls back).
inline RowDotFn scalarRowDot(TensorType weight) noexcept {
    if (RowDotFn fn = scalarLegacyRowDot(weight)) return fn;
    if (RowDotFn fn = scalarKQuantRowDot(weight)) return fn;
    return scalarFloatRowDot(weight);
}
inline RowDotFn avx2RowDot(TensorType weight) noexcept {
    if (RowDotFn fn = avx2LegacyRowDot(weight)) return fn;
    if (RowDotFn fn = avx2KQuantRowDot(weight)) return fn;
    return avx2FloatRowDot(weight);
}
QuantizeRowFn scalarQuantizeRow(TensorType activation) noexcept;
QuantizeRowFn avx2QuantizeRow(TensorType activation) noexcept;

inline RowDotFn rowDot(CpuKernelLevel level, TensorType weight) noexcept {
    RowDotFn fn = level == CpuKernelLevel::Avx2 ? avx2RowDot(weight) : nullptr;
    return fn ? fn : scalarRowDot(weight);
}
inline QuantizeRowFn quantizeRow(CpuKernelLevel level, TensorType activation) noexcept {
    QuantizeRowFn fn = level == CpuKernelLevel::Avx2 ? avx2QuantizeRow(activation) : nullptr;
    return fn ? fn : scalarQuantizeRow(activation);
}

} // namespace matryx::dot
