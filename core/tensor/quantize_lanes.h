#pragma once

// Internal to matryx_tensor: the scale searches of quantize_search.h run for sixteen groups at once,
// one group per SIMD lane. Each lane performs exactly the scalar search's operations in the same
// order (a sum over a group stays a sequential sum, in its own lane), so the results are
// bit-identical to quantize_search.h; only independent groups are computed side by side.
//
// Groups are consecutive: group g holds x[g * n .. g * n + n), and its levels go to the same place
// in L. n is at most 32.

#include <cstdint>

namespace matryx::quantizers {

constexpr int kLanes = 16;

// affineScale for sixteen groups; scales[g] and negMins[g] receive each group's results.
void affineScaleLanes(int n, int nmax, const float* x, const float* weights, uint8_t* L, float* scales,
                      float* negMins, float rmin, float rdelta, int nstep, bool absoluteError) noexcept;

// affineScaleClamped for sixteen groups.
void affineScaleClampedLanes(int n, int nmax, const float* x, const float* weights, uint8_t* L, float* scales,
                             float* negMins, float rmin, float rdelta, int nstep) noexcept;

// symmetricScale for sixteen groups; weights null means x^2.
void symmetricScaleLanes(int n, int nmax, const float* x, int8_t* L, const float* weights,
                         float* scales) noexcept;

// The IQ4 group search (ggml's quantize_row_iq4_nl_impl) for sixteen groups of 32 values against
// the IQ4 codebook; weights are never null. scales[g] is 0 for a group whose largest magnitude is
// below ggml's GROUP_MAX_EPS.
void iq4ScaleLanes(const float* x, const float* weights, float* scales) noexcept;

} // namespace matryx::quantizers
