#pragma once

// Histograms of float values over explicit bin edges, counted exactly: a value lands in the bin
// that a comparison with the edges (in double precision) gives, never in a neighbour because of
// rounding in a bin-index formula. These are numpy.histogram's rules with the same edges:
// bin i holds edges[i] <= x < edges[i + 1], the last bin also holds x == edges.back().
//
// Edges come from linearBinEdges (equal widths, bit-identical to numpy.linspace) or from
// symlogBinEdges (equal widths after the symmetric-log transform below).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace matryx {

struct Histogram {
    std::vector<double> edges;    // bins + 1 non-decreasing values; empty when no histogram was made
    std::vector<uint64_t> counts; // one per bin
    uint64_t below = 0;           // finite values < edges.front()
    uint64_t above = 0;           // finite values > edges.back()
};

// The symmetric-log transform: sign(x) · log10(1 + |x| / linthresh). About linear, with slope
// 1 / (linthresh · ln 10), for |x| well below linthresh, logarithmic above; odd and increasing.
// linthresh must be > 0.
double symlog(double x, double linthresh) noexcept;
// Its inverse: sign(t) · linthresh · (10^|t| − 1).
double inverseSymlog(double t, double linthresh) noexcept;

// bins + 1 edges from lo to hi in equal steps, computed as numpy.linspace does (i · step + lo,
// the last edge exactly hi). Needs bins >= 1 and finite lo < hi.
std::vector<double> linearBinEdges(double lo, double hi, size_t bins);
// bins + 1 edges whose symlog transforms are equal steps from symlog(lo) to symlog(hi); the first
// and last edge are exactly lo and hi, and rounding is clamped so that edges never decrease. Near
// 0 the bins are about linthresh · ln 10 · step wide, far out they grow geometrically.
std::vector<double> symlogBinEdges(double lo, double hi, size_t bins, double linthresh);

// Counts values into the bins of fixed edges. A lookup table of up to 8192 equal cells over
// [front, back] gives each value its bin, or two neighbouring bins that one branch-free comparison
// with the edge between them settles; a binary search over the few edges of a cell takes the rare
// rest (values outside the range, cells that span many narrow bins of a symlog histogram). The
// edges and the table are built once and shared by copies made with emptyCopy(), one per thread.
class HistogramBuilder {
public:
    // edges: at least 2 finite, non-decreasing values with edges.front() < edges.back().
    // expectedValues, how many values will be counted over all copies, sizes the lookup table
    // (more cells cost more to build and send fewer values to the search).
    explicit HistogramBuilder(std::vector<double> edges, uint64_t expectedValues = 0);

    // A builder with the same (shared) edges and no counts.
    HistogramBuilder emptyCopy() const;
    // Counts n values, which must all be finite (NaN and infinities are the caller's to count).
    void add(const float* values, size_t n) noexcept;
    // a.add(values, n) and b.add(values, n) in one loop, whose two independent lookups per value
    // overlap: about a third faster than two loops.
    static void addToBoth(HistogramBuilder& a, HistogramBuilder& b, const float* values, size_t n) noexcept;
    // Adds the counts of another builder with the same edges.
    void merge(const HistogramBuilder& other) noexcept;
    Histogram result() const;

    size_t bins() const noexcept;

private:
    struct Layout;
    HistogramBuilder() = default;
    void addHard(float v, size_t cell, size_t i) noexcept;
    // Counts v, the i-th value of a call, whose cell is `cell` with table entry `entry`.
    void addOne(float v, size_t cell, uint32_t entry, size_t i) noexcept;

    std::shared_ptr<const Layout> layout_;
    // kCopies interleaved copies of the counts: runs of equal values (common in quantized data)
    // then increment different memory words instead of waiting on the previous store.
    static constexpr size_t kCopies = 4;
    std::vector<uint64_t> counts_; // bin * kCopies + copy
    uint64_t below_ = 0;
    uint64_t above_ = 0;
};

} // namespace matryx
