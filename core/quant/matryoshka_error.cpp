#include "quant/matryoshka_error.h"

#include "quant/matryoshka_export.h"
#include "quant/matryoshka_slice.h"
#include "tensor/dequantize.h"
#include "tensor/float_convert.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace matryx {

namespace {

double squaredError(const float* a, const float* b, int64_t n) noexcept {
    double sum = 0;
    for (int64_t i = 0; i < n; ++i) {
        const double e = double(a[i]) - double(b[i]);
        sum += e * e;
    }
    return sum;
}

} // namespace

void MatryoshkaErrors::add(const MatryoshkaErrors& other) noexcept {
    values += other.values;
    for (size_t k = 0; k < widths.size(); ++k) {
        widths[k].bits = other.widths[k].bits;
        widths[k].exportType = other.widths[k].exportType;
        widths[k].sliceSse += other.widths[k].sliceSse;
        widths[k].exportSse += other.widths[k].exportSse;
        widths[k].nearestSse += other.widths[k].nearestSse;
    }
}

double MatryoshkaErrors::rmse(double sse) const noexcept {
    return values == 0 ? 0.0 : std::sqrt(sse / double(values));
}

void roundToNearestMinMax(const float* src, int64_t values, int bits, float* dst) noexcept {
    constexpr float kFp16Max = 65504.0f;
    const int top = (1 << bits) - 1;
    for (int64_t g = 0; g < values / kMatryoshkaGroup; ++g) {
        float x[kMatryoshkaGroup];
        for (int j = 0; j < kMatryoshkaGroup; ++j) {
            const float v = src[g * kMatryoshkaGroup + j];
            x[j] = std::isnan(v) ? 0.0f : std::clamp(v, -kFp16Max, kFp16Max);
        }
        const auto [lo, hi] = std::minmax_element(x, x + kMatryoshkaGroup);
        const float d = fp16ToF32(f32ToFp16((*hi - *lo) / float(top)));
        const float m = fp16ToF32(f32ToFp16(*lo));
        const float inv = d > 0.0f ? 1.0f / d : 0.0f;
        for (int j = 0; j < kMatryoshkaGroup; ++j) {
            const float v = std::fmin(std::fmax((x[j] - m) * inv, 0.0f), float(top));
            dst[g * kMatryoshkaGroup + j] = float(int(v + 0.5f)) * d + m;
        }
    }
}

Status addMatryoshkaErrors(const float* src, const int8_t* codes, const uint16_t* scales, const uint16_t* mins,
                           int64_t rows, int64_t rowLength, MatryoshkaErrors& errors) {
    std::vector<float> values(static_cast<size_t>(rowLength));
    std::vector<std::byte> exported;
    const int64_t groupsPerRow = rowLength / kMatryoshkaGroup;
    for (size_t k = 0; k < kMatryoshkaWidths.size(); ++k) {
        const int bits = kMatryoshkaWidths[k];
        MatryoshkaWidthError& w = errors.widths[k];
        w.bits = bits;
        w.exportType = matryoshkaExportType(bits, rowLength);
        exported.resize(static_cast<size_t>(bytesFor(w.exportType, static_cast<uint64_t>(rowLength)).value_or(0)));
        for (int64_t r = 0; r < rows; ++r) {
            const float* x = src + r * rowLength;
            const int8_t* q = codes + r * rowLength;
            const uint16_t* s = scales + r * groupsPerRow;
            const uint16_t* m = mins + r * groupsPerRow;
            sliceValues(q, s, m, rowLength, bits, values.data());
            w.sliceSse += squaredError(x, values.data(), rowLength);
            if (auto st = exportSlice(bits, w.exportType, q, s, m, 1, rowLength, exported); !st) return st;
            if (auto st = dequantize(w.exportType, exported, values); !st) return st;
            w.exportSse += squaredError(x, values.data(), rowLength);
            roundToNearestMinMax(x, rowLength, bits, values.data());
            w.nearestSse += squaredError(x, values.data(), rowLength);
        }
    }
    errors.values += static_cast<uint64_t>(rows * rowLength);
    return {};
}

} // namespace matryx
