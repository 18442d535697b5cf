#pragma once

// The statistics primitive that tensor statistics are built on, with a CPU path (here) and an
// OpenCL path (opencl_value_stats.h) that agree: counts, min, max and histogram counts exactly;
// sum and sum of squares within 1e-9 relative (both add doubles, in different orders).
//
// Over values x (f32): how many are finite, NaN and ±infinity; over the finite ones: min, max,
// Σx, Σx² (each x widened exactly to double, each square exact) and a histogram over given
// edges with numpy.histogram's rule: bin i holds edges[i] <= x < edges[i + 1], the last bin also
// x == edges.back(); finite values outside [front, back] count as below / above. Comparisons
// are exact (the float against the double edge). min and max order -0 below +0, so that both
// paths pick the same bits.

#include "base/error.h"
#include "tensor/tensor_type.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace matryx {

struct ValueStats {
    uint64_t count = 0; // all values
    uint64_t finite = 0;
    uint64_t nan = 0;
    uint64_t infinite = 0;
    float min = std::numeric_limits<float>::quiet_NaN(); // of the finite values; NaN when none
    float max = std::numeric_limits<float>::quiet_NaN();
    double sum = 0;        // Σx over the finite values
    double sumSquares = 0; // Σx² over the finite values
    std::vector<uint64_t> counts; // one per bin; empty without edges
    uint64_t below = 0;           // finite values < edges.front()
    uint64_t above = 0;           // finite values > edges.back()
};

// At most this many bins.
inline constexpr size_t kMaxValueStatsBins = size_t(1) << 20;

// OK for no edges (no histogram) or 2 .. kMaxValueStatsBins + 1 finite, non-decreasing edges with
// front < back; else an error naming the problem.
Status checkHistogramEdges(std::span<const double> edges);

// Accumulates values chunk by chunk in order; the CPU path.
class ValueStatsAccumulator {
public:
    // edges must pass checkHistogramEdges (an empty span: no histogram).
    explicit ValueStatsAccumulator(std::span<const double> edges);
    void add(std::span<const float> values) noexcept;
    const ValueStats& result() const noexcept { return stats_; }

private:
    std::vector<double> edges_;
    ValueStats stats_;
};

// The CPU path over f32 values. Fails only for bad edges.
Result<ValueStats> valueStatsCpu(std::span<const float> values, std::span<const double> edges = {});

// The CPU path over tensor data of `type` holding `elements` values, dequantized a few blocks
// at a time (never a full f32 copy). Fails with dequantize()'s size errors or for bad edges.
Result<ValueStats> valueStatsCpu(TensorType type, std::span<const std::byte> data, uint64_t elements,
                                 std::span<const double> edges = {});

} // namespace matryx
