#pragma once

// Internal to matryx_tensor: ggml's searches for a group's scale (and minimum) that the K-quants,
// the importance-weighted legacy quantizers and IQ4 share, and the weights they are given. Each takes one
// group of n floats and writes its integer levels to L. They repeat ggml-quants.c's arithmetic operation by
// operation, because which candidate scale wins depends on every rounding.

#include <cmath>
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

// The scale of one group of 32 against the IQ4 codebook (ggml's quantize_row_iq4_nl_impl search,
// kIq4Trials trials either side of -max / -127), with weights never null; 0 for a group whose
// largest magnitude is below ggml's GROUP_MAX_EPS.
float iq4Scale(const float* x, const float* weights) noexcept;

// Sum of x^2 over n values, in order.
inline float sumOfSquares(const float* x, int n) noexcept {
    float sum = 0;
    for (int i = 0; i < n; ++i)
        sum += x[i] * x[i];
    return sum;
}

// Importance times sqrt(sigma2 + x^2) for one group, and the group's total weight.
inline float importanceWeights(const float* x, const float* qw, float sigma2, float* weight, int n) noexcept {
    for (int l = 0; l < n; ++l)
        weight[l] = qw[l] * std::sqrt(sigma2 + x[l] * x[l]);
    float sum = 0;
    for (int l = 0; l < n; ++l)
        sum += weight[l];
    return sum;
}

// Importance times sqrt(sigma2 + x^2) for n groups of `size`, and each group's total weight.
inline void importanceWeights(const float* x, const float* qw, float sigma2, int size, int n, float* weight,
                              float* groupSums) noexcept {
    for (int j = 0; j < n; ++j)
        groupSums[j] = importanceWeights(x + size * j, qw + size * j, sigma2, weight + size * j, size);
}

// Index of the entry of the ascending table values[0..n) nearest to x (ggml's best_index_int8);
// inline, since the IQ4 search calls it for every value and every trial scale.
inline int nearestLevel(int n, const int8_t* values, float x) noexcept {
    if (x <= float(values[0])) return 0;
    if (x >= float(values[n - 1])) return n - 1;
    int lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        const int mid = (lo + hi) / 2;
        if (x < float(values[mid]))
            hi = mid;
        else
            lo = mid;
    }
    return x - float(values[hi - 1]) < float(values[hi]) - x ? hi - 1 : hi;
}

} // namespace matryx::quantizers
