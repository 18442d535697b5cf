#pragma once

// Internal to matryx_tensor: ggml's searches for a group's scale (and minimum) that the K-quants,
// the importance-weighted legacy quantizers and IQ4 share. Each takes one group of n floats and
// writes its integer levels to L. They repeat ggml-quants.c's arithmetic operation by operation,
// because which candidate scale wins depends on every rounding.

#include <cstdint>

namespace matryx::quantizers {

// Symmetric levels -nmax .. nmax-1, stored in L offset by nmax. Starts from the scale that maps the
// largest magnitude to -nmax, tries 18 nearby ones and returns the least-squares scale of the best,
// with squared error weighted by `weights`, or by x^2 where weights is null (ggml's make_qx_quants,
// rmse_type 1). All-zero groups give 0 and L = 0.
float symmetricScale(int n, int nmax, const float* x, int8_t* L, const float* weights) noexcept;

// The Q3_K reference search (make_q3_quants with do_rmse): symmetric levels as above, weighted by
// x^2, refined by changing one level at a time while the fit improves.
float symmetricScaleRefined(int n, int nmax, const float* x, int8_t* L) noexcept;

// Asymmetric levels 0 .. nmax with a minimum (make_qkx2_quants): scans nstep + 1 scales from
// (nmax + rmin) / range in steps of rdelta and keeps the best weighted least-squares fit. Returns
// the scale and stores the minimum, negated, in *negMin. Laux is scratch of n bytes.
float affineScale(int n, int nmax, const float* x, const float* weights, uint8_t* L, float* negMin,
                  uint8_t* Laux, float rmin, float rdelta, int nstep, bool absoluteError) noexcept;

// The same search as ggml's make_qkx3_quants, used with importance: levels of candidate scales are
// clamped before rounding, and an empty range is max <= min. weights is never null here.
float affineScaleClamped(int n, int nmax, const float* x, const float* weights, uint8_t* L, float* negMin,
                         uint8_t* Laux, float rmin, float rdelta, int nstep) noexcept;

// Levels 0 .. nmax for non-negative values (a super-block's sub-block scales, make_qp_quants),
// weighted by `weights` (n values, never null).
float positiveScale(int n, int nmax, const float* x, uint8_t* L, const float* weights) noexcept;

// Index of the entry of the ascending table values[0..n) nearest to x (ggml's best_index_int8).
int nearestLevel(int n, const int8_t* values, float x) noexcept;

} // namespace matryx::quantizers
