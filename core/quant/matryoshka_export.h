#pragma once

// Which ggml type each width of a nested tensor (matryoshka_slice.h) is exported as.
//
//   bits  type   how
//   8     Q8_0   requantized from the 8-bit slice's values (ggml has no asymmetric 8-bit weights)
//   6     Q6_K   requantized from the 6-bit slice's values
//   5     Q5_1   exact: d = 8 s, m = m, the 5-bit codes as they are
//   4     Q4_1   exact: d = 16 s, m = m, the 4-bit codes as they are
//   3     Q3_K   requantized from the 3-bit slice's values
//   2     Q2_K   requantized from the 2-bit slice's values
//
// "Exact": the exported tensor dequantizes to the slice's values bit for bit. The K-quants need
// rows of 256 values; shorter rows take llama.cpp's fallback (type_fallback.h: Q6_K -> Q8_0,
// Q3_K and Q2_K -> Q4_0), again requantized from the slice.

#include "base/error.h"
#include "tensor/tensor_type.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace matryx {

struct MatryoshkaExport {
    int bits;
    TensorType type;
    bool exact; // dequantizes to the slice's values bit for bit; otherwise requantized
};

// The table above, widest first.
std::span<const MatryoshkaExport> matryoshkaExports() noexcept;
// The row for `bits`, or nullopt for a width that has none.
std::optional<MatryoshkaExport> matryoshkaExport(int bits) noexcept;

// The type a tensor with rows of rowLength values gets at `bits` (a width of the table): the
// table's type, or its row fallback.
TensorType matryoshkaExportType(int bits, int64_t rowLength) noexcept;

// Writes `rows` nested rows of rowLength values (a positive multiple of 32) as the `bits` slice
// in `type`, which must be matryoshkaExportType(bits, rowLength): codes as stored (q - 128), one
// fp16 scale and minimum per group of 32, all read only. dst must be exactly
// rows * bytesFor(type, rowLength) bytes. Single-threaded. Fails, writing nothing, on a width
// without an export, another type or sizes that do not fit.
Status exportSlice(int bits, TensorType type, const int8_t* codes, const uint16_t* scales, const uint16_t* mins,
                   int64_t rows, int64_t rowLength, std::span<std::byte> dst);

} // namespace matryx
