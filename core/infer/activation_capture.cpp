#include "infer/activation_capture.h"

#include <algorithm>
#include <cmath>

namespace matryx {

double TensorActivations::meanSquare(int64_t column) const noexcept {
    return rows > 0 ? double(sumSquares[size_t(column)]) / double(rows) : 0.0;
}

ActivationCapture::ActivationCapture(const ActivationCaptureOptions& options) : options_(options) {
    if (options_.histogramBins > 0 && options_.histogramRange > 0 && options_.histogramLinthresh > 0)
        edges_ = symlogBinEdges(-options_.histogramRange, options_.histogramRange, size_t(options_.histogramBins),
                                options_.histogramLinthresh);
}

bool ActivationCapture::watched(std::string_view weight, int64_t rows) const {
    if (rows < options_.minRows) return false;
    if (weight.starts_with("blk.")) return true;
    return options_.includeOutput && (weight == "output.weight" || weight == "token_embd.weight");
}

ActivationCapture::Entry& ActivationCapture::entry(std::string_view weight, int64_t columns) {
    auto it = entries_.find(weight);
    if (it != entries_.end()) return it->second;
    Entry e;
    e.data.name = std::string(weight);
    e.data.columns = columns;
    e.data.sumSquares.assign(size_t(columns), 0.0f);
    e.data.sums.assign(size_t(columns), 0.0f);
    e.data.absMax.assign(size_t(columns), 0.0f);
    if (!edges_.empty()) e.histogram.emplace(edges_);
    return entries_.emplace(std::string(weight), std::move(e)).first->second;
}

void ActivationCapture::observe(std::string_view weight, const float* x, int64_t rows, int64_t columns,
                                int64_t stride) {
    if (!watched(weight, rows) || columns < 1) return;
    const std::lock_guard lock(mutex_);
    Entry& e = entry(weight, columns);
    TensorActivations& d = e.data;
    if (d.columns != columns) return;
    float* sq = d.sumSquares.data();
    float* sum = d.sums.data();
    float* amax = d.absMax.data();
    for (int64_t t = 0; t < rows; ++t) {
        const float* row = x + t * stride;
        // One float addition per value in row order: llama-imatrix's sums, bit for bit.
        for (int64_t j = 0; j < columns; ++j) {
            const float v = row[j];
            sq[j] += v * v;
            sum[j] += v;
        }
        bool finite = true;
        for (int64_t j = 0; j < columns; ++j) {
            const float v = row[j];
            if (!std::isfinite(v)) {
                finite = false;
                continue;
            }
            amax[j] = std::max(amax[j], std::fabs(v));
        }
        if (e.histogram) {
            if (finite) {
                e.histogram->add(row, size_t(columns));
            } else {
                for (int64_t j = 0; j < columns; ++j)
                    if (std::isfinite(row[j])) e.histogram->add(row + j, 1);
            }
        }
        if (!finite)
            d.nonFinite += uint64_t(std::count_if(row, row + columns, [](float v) { return !std::isfinite(v); }));
    }
    d.rows += uint64_t(rows);
}

std::vector<TensorActivations> ActivationCapture::snapshot() const {
    const std::lock_guard lock(mutex_);
    std::vector<TensorActivations> out;
    out.reserve(entries_.size());
    for (const auto& [name, e] : entries_) {
        out.push_back(e.data);
        if (e.histogram) out.back().histogram = e.histogram->result();
    }
    return out;
}

size_t ActivationCapture::tensorCount() const {
    const std::lock_guard lock(mutex_);
    return entries_.size();
}

void ActivationCapture::clear() {
    const std::lock_guard lock(mutex_);
    entries_.clear();
}

} // namespace matryx
