#pragma once

// Count, mean and the second to fourth central moment sums of a set of values, in a form that
// merges exactly like the values' union would (Pébay's pairwise update, which generalises Chan's
// formula for the variance to the third and fourth moment). Merging small, individually computed
// pieces in a fixed order keeps the result stable for billions of values and independent of how
// the pieces were spread over threads.

#include <cstddef>
#include <cstdint>

namespace matryx {

struct CentralMoments {
    uint64_t count = 0;
    double mean = 0;
    double m2 = 0; // Σ(x − mean)²
    double m3 = 0; // Σ(x − mean)³
    double m4 = 0; // Σ(x − mean)⁴

    // Adds the values summarised by `other`, as if they had been accumulated after this one's.
    void merge(const CentralMoments& other) noexcept;

    // Population statistics (divided by count, not count − 1); NaN when count is 0.
    double variance() const noexcept;
    double standardDeviation() const noexcept;
    // m4·count / m2² − 3: Fisher's excess kurtosis without bias correction (0 for a normal
    // distribution, scipy.stats.kurtosis(fisher=True, bias=True)). NaN when count is 0 or m2 is 0.
    double excessKurtosis() const noexcept;
};

// The moments of n values, which must all be finite: the mean first, then the central sums
// around it in double precision, so that cancellation never meets a large running total.
CentralMoments centralMomentsOf(const float* values, size_t n) noexcept;

} // namespace matryx
