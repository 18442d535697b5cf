#pragma once

// The error report of a nested tensor: for each width, how far the slice (matryoshka_slice.h)
// and its ggml export (matryoshka_export.h) lie from the original values, next to plain
// round-to-nearest at that width with the same groups, so that a user sees what nesting costs.
//
// Round-to-nearest is asymmetric min-max per group of 32: d = (max - min) / (2^r - 1), m = min,
// both rounded to fp16 as ggml's Q4_1 stores them, q = round((w - m) / d) clamped to [0, 2^r - 1].

#include "base/error.h"
#include "tensor/tensor_type.h"

#include <array>
#include <cstdint>

namespace matryx {

inline constexpr std::array<int, 6> kMatryoshkaWidths{8, 6, 5, 4, 3, 2}; // the exported widths

struct MatryoshkaWidthError {
    int bits = 0;
    TensorType exportType = TensorType::F32; // the type the export took for these rows
    double sliceSse = 0;                     // summed squared errors against the original values
    double exportSse = 0;
    double nearestSse = 0;
};

struct MatryoshkaErrors {
    uint64_t values = 0;
    std::array<MatryoshkaWidthError, kMatryoshkaWidths.size()> widths{}; // in kMatryoshkaWidths' order

    // Adds another part of the same tensor (the export types must agree).
    void add(const MatryoshkaErrors& other) noexcept;
    // Root mean square error of a sum over `values`: sqrt(sse / values), 0 when empty.
    double rmse(double sse) const noexcept;
};

// Adds to `errors` the squared errors of each width for `rows` rows of rowLength values (a
// positive multiple of 32): src the original values, codes, scales and mins their nesting.
// Fails only when a width cannot be exported for these rows.
Status addMatryoshkaErrors(const float* src, const int8_t* codes, const uint16_t* scales, const uint16_t* mins,
                           int64_t rows, int64_t rowLength, MatryoshkaErrors& errors);

// Round-to-nearest at `bits` (1..8) as above, of `values` floats (a multiple of 32), into dst.
// NaN reads as 0 and infinities as fp16's largest value, as the nesting reads them.
void roundToNearestMinMax(const float* src, int64_t values, int bits, float* dst) noexcept;

} // namespace matryx
