#pragma once

// Internal to matryx_tensor: the per-chunk loops of tensor statistics, written for the
// auto-vectorizer (fixed lanes, no reassociation needed) and compiled for x86-64-v3 as well.
// None of them allocates; all take a chunk of dequantized values that sits in cache.

#include <cstddef>
#include <cstdint>

namespace matryx::stats_kernels {

struct Extremes {
    float min;
    float max;
    size_t nonFinite; // NaN, +inf and −inf; min and max are meaningless unless this is 0
};

// min, max and the number of non-finite values of x[0, n), n > 0.
Extremes extremes(const float* x, size_t n) noexcept;

// max |x| over x[0, n); 0 for n = 0. NaNs are passed over; an infinity gives infinity.
float maxAbs(const float* x, size_t n) noexcept;

// acc[i] = max(acc[i], |x[i]|) for i in [0, n). Every value must be finite.
void maxAbsInto(float* acc, const float* x, size_t n) noexcept;

// Number of x in [0, n) with |x − mean| > threshold, computed in double. Every value must be finite.
uint64_t countFarFrom(const float* x, size_t n, double mean, double threshold) noexcept;

// Moves the finite values of x[0, n) to its front, in order, and returns how many there are.
size_t keepFinite(float* x, size_t n) noexcept;

// Replaces every non-finite value of x[0, n) by 0, which leaves any maximum of |x| unchanged.
void zeroNonFinite(float* x, size_t n) noexcept;

} // namespace matryx::stats_kernels
