#include "tensor/histogram_builder.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>

namespace matryx {

namespace {

// Lookup table size: at most 8192 cells, 32 KiB that stay in L1 (a table four times larger is
// slower, although it sends fewer values to the search), and for few values about one cell per
// 16 values, so that building the table never costs more than counting.
constexpr size_t kMinCells = 1024;
constexpr size_t kMaxCells = 8192;
// A table entry with this bit set sends values to the exact search.
constexpr uint32_t kHard = 0x80000000u;

} // namespace

double symlog(double x, double linthresh) noexcept {
    return std::copysign(std::log1p(std::fabs(x) / linthresh) / std::numbers::ln10, x);
}

double inverseSymlog(double t, double linthresh) noexcept {
    return std::copysign(linthresh * std::expm1(std::fabs(t) * std::numbers::ln10), t);
}

std::vector<double> linearBinEdges(double lo, double hi, size_t bins) {
    std::vector<double> edges(bins + 1);
    const double delta = hi - lo;
    const double step = delta / double(bins);
    for (size_t i = 0; i < bins; ++i)
        edges[i] = (step == 0 ? double(i) / double(bins) * delta : double(i) * step) + lo;
    edges[bins] = hi;
    return edges;
}

std::vector<double> symlogBinEdges(double lo, double hi, size_t bins, double linthresh) {
    const double tlo = symlog(lo, linthresh);
    const double step = (symlog(hi, linthresh) - tlo) / double(bins);
    std::vector<double> edges(bins + 1);
    edges[0] = lo;
    for (size_t i = 1; i < bins; ++i)
        edges[i] = std::clamp(inverseSymlog(tlo + double(i) * step, linthresh), edges[i - 1], hi);
    edges[bins] = hi;
    return edges;
}

struct HistogramBuilder::Layout {
    std::vector<double> edges;
    // The same bins for float values, as bounds[b] <= x < bounds[b + 1] for every bin b: for a
    // float x, x >= e exactly when x >= (the least float >= e), and x <= hi exactly when x is
    // below the float after (the greatest float <= hi).
    std::vector<float> bounds;
    // Per cell of [lo, hi): the lowest bin a value in the cell can be in; a cell whose values can
    // be in more than two bins (or that may hold values outside [lo, hi]) has kHard set and, in
    // hardEnd, the highest such bin.
    std::vector<uint32_t> cells;
    std::vector<uint32_t> hardEnd;
    double lo = 0;
    double hi = 0;
    double cellsPerUnit = 0;
    double lastCell = 0;
    size_t bins = 0;

    // Exact for any v in [lo, hi]: the number of inner edges (edges[1] .. edges[bins - 1]) that are
    // <= v, counting only those after `first` and up to `end`, between which the answer lies.
    size_t binOf(double v, size_t first, size_t end) const noexcept {
        const auto inner = edges.begin() + 1;
        return size_t(std::upper_bound(inner + first, inner + std::min(end, bins - 1), v) - inner);
    }
};

namespace {

float floatAtLeast(double e) noexcept {
    const float f = float(e);
    return double(f) < e ? std::nextafter(f, std::numeric_limits<float>::infinity()) : f;
}

float floatAtMost(double e) noexcept {
    const float f = float(e);
    return double(f) > e ? std::nextafter(f, -std::numeric_limits<float>::infinity()) : f;
}

} // namespace

HistogramBuilder::HistogramBuilder(std::vector<double> edges, uint64_t expectedValues) {
    auto layout = std::make_shared<Layout>();
    Layout& l = *layout;
    l.edges = std::move(edges);
    l.bins = l.edges.size() - 1;
    l.lo = l.edges.front();
    l.hi = l.edges.back();
    l.bounds.resize(l.bins + 1);
    for (size_t i = 0; i < l.bins; ++i)
        l.bounds[i] = floatAtLeast(l.edges[i]);
    l.bounds[l.bins] = std::nextafter(floatAtMost(l.hi), std::numeric_limits<float>::infinity());

    size_t cells =
        std::clamp<size_t>(std::bit_ceil(std::max<uint64_t>(expectedValues / 16, 1)), kMinCells, kMaxCells);
    l.cellsPerUnit = double(cells) / (l.hi - l.lo);
    if (!std::isfinite(l.cellsPerUnit)) { // a range of a few subnormals: one hard cell
        cells = 1;
        l.cellsPerUnit = 0;
    }
    l.lastCell = double(cells - 1);
    // A value's cell index is computed with a rounding error far below `slack`, so the value lies
    // in its cell widened by slack on both sides; the bins of the widened cell's ends bound its
    // bin. Both ends grow with the cell index, so one walk over the edges finds them all.
    const double slack = 1e-12 * (std::fabs(l.lo) + std::fabs(l.hi) + (l.hi - l.lo));
    l.cells.resize(cells);
    l.hardEnd.resize(cells);
    size_t first = 0, end = 0;
    for (size_t c = 0; c < cells; ++c) {
        const double left = l.cellsPerUnit > 0 ? l.lo + double(c) / l.cellsPerUnit : l.lo;
        const double right = l.cellsPerUnit > 0 ? l.lo + double(c + 1) / l.cellsPerUnit : l.hi;
        while (first + 1 < l.bins && left - slack >= l.edges[first + 1])
            ++first;
        while (end + 1 < l.bins && right + slack >= l.edges[end + 1])
            ++end;
        // The outermost cells also take every value outside [lo, hi] (the index is clamped).
        const bool hard = end > first + 1 || c == 0 || c + 1 == cells;
        l.cells[c] = uint32_t(first) | (hard ? kHard : 0);
        l.hardEnd[c] = uint32_t(end);
    }
    layout_ = std::move(layout);
    counts_.assign(l.bins * kCopies, 0);
}

HistogramBuilder HistogramBuilder::emptyCopy() const {
    HistogramBuilder h;
    h.layout_ = layout_;
    h.counts_.assign(counts_.size(), 0);
    return h;
}

size_t HistogramBuilder::bins() const noexcept {
    return layout_->bins;
}

void HistogramBuilder::addHard(float v, size_t cell, size_t i) noexcept {
    const Layout& l = *layout_;
    if (v < l.lo)
        ++below_;
    else if (v > l.hi)
        ++above_;
    else
        ++counts_[l.binOf(v, l.cells[cell] & ~kHard, l.hardEnd[cell]) * kCopies + (i & (kCopies - 1))];
}

namespace {

// The lookup as add() does it, with the layout's scalars held by the caller in registers: read
// from the layout after the (opaque) call to addHard, they would be loaded on every value, and
// such loads stall whenever they alias a recent counter increment in the low 12 address bits,
// which made the loop four times slower.
struct Lookup {
    double lo;
    double cellsPerUnit;
    double lastCell;
    const uint32_t* cells;

    size_t cellOf(float v) const noexcept {
        double t = (double(v) - lo) * cellsPerUnit;
        t = t > 0 ? t : 0; // also for the NaN of inf * 0 on a degenerate range
        t = t < lastCell ? t : lastCell;
        return size_t(t);
    }
};

} // namespace

inline void HistogramBuilder::addOne(float v, size_t cell, uint32_t entry, size_t i) noexcept {
    if (entry & kHard) [[unlikely]] {
        addHard(v, cell, i);
        return;
    }
    // The cell lies in bin `entry` or straddles the edge to the next: one comparison, branch-free,
    // because where a cell straddles an edge, which side a value is on is a coin toss.
    const uint32_t b = entry + uint32_t(v >= layout_->bounds[entry + 1]);
    ++counts_[b * kCopies + (i & (kCopies - 1))];
}

void HistogramBuilder::add(const float* x, size_t n) noexcept {
    const Layout& l = *layout_;
    const Lookup look{l.lo, l.cellsPerUnit, l.lastCell, l.cells.data()};
    const float* bounds = l.bounds.data();
    uint64_t* counts = counts_.data();
    for (size_t i = 0; i < n; ++i) {
        const float v = x[i];
        const size_t cell = look.cellOf(v);
        const uint32_t b = look.cells[cell];
        if (b & kHard) [[unlikely]] {
            addHard(v, cell, i);
            continue;
        }
        ++counts[(b + uint32_t(v >= bounds[b + 1])) * kCopies + (i & (kCopies - 1))];
    }
}

void HistogramBuilder::addToBoth(HistogramBuilder& a, HistogramBuilder& b, const float* x,
                                 size_t n) noexcept {
    const Layout& la = *a.layout_;
    const Layout& lb = *b.layout_;
    const Lookup lookA{la.lo, la.cellsPerUnit, la.lastCell, la.cells.data()};
    const Lookup lookB{lb.lo, lb.cellsPerUnit, lb.lastCell, lb.cells.data()};
    const float* boundsA = la.bounds.data();
    const float* boundsB = lb.bounds.data();
    uint64_t* countsA = a.counts_.data();
    uint64_t* countsB = b.counts_.data();
    for (size_t i = 0; i < n; ++i) {
        const float v = x[i];
        const size_t cellA = lookA.cellOf(v);
        const size_t cellB = lookB.cellOf(v);
        const uint32_t ea = lookA.cells[cellA];
        const uint32_t eb = lookB.cells[cellB];
        if ((ea | eb) & kHard) [[unlikely]] {
            a.addOne(v, cellA, ea, i);
            b.addOne(v, cellB, eb, i);
            continue;
        }
        ++countsA[(ea + uint32_t(v >= boundsA[ea + 1])) * kCopies + (i & (kCopies - 1))];
        ++countsB[(eb + uint32_t(v >= boundsB[eb + 1])) * kCopies + (i & (kCopies - 1))];
    }
}

void HistogramBuilder::merge(const HistogramBuilder& other) noexcept {
    for (size_t i = 0; i < counts_.size() && i < other.counts_.size(); ++i)
        counts_[i] += other.counts_[i];
    below_ += other.below_;
    above_ += other.above_;
}

Histogram HistogramBuilder::result() const {
    Histogram h{layout_->edges, std::vector<uint64_t>(layout_->bins), below_, above_};
    for (size_t b = 0; b < h.counts.size(); ++b)
        for (size_t c = 0; c < kCopies; ++c)
            h.counts[b] += counts_[b * kCopies + c];
    return h;
}

} // namespace matryx
