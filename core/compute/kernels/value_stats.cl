// Statistics of f32 values: counts of finite, NaN and infinite values, min and max of the
// finite ones, their sum and sum of squares in double precision, and a histogram over given
// edges. Needs cl_khr_fp64 (the host does not build it otherwise).
//
// Work-group g covers values [g * perGroup, min(n, (g + 1) * perGroup)); its items stride by the
// group size, leave their partial results in local memory, and item 0 adds them up in item
// order (two barriers in all and none inside a loop, which CPU implementations such as PoCL
// compile far faster than tree reductions). Results per group:
//   sums[2g], sums[2g + 1]          sum and sum of squares (double; x² of a float is exact)
//   extremes[2g], extremes[2g + 1]  order keys of min and max (INT_MAX and INT_MIN when the
//                                   group has no finite value)
//   tallies[5g .. 5g + 4]           finite, NaN, infinite, below the first edge, above the last
// The host adds the groups in order. Histogram counts are added with atomics into counts[bins]
// (order-free, so exact), through a per-group copy in local memory when it fits.
//
// Comparisons never use float arithmetic, so they come out the same on devices that flush
// denormals: a float's order key (below) orders floats as their values do, and min, max and the
// bin search compare keys. min and max order -0 below +0 (keys of the raw bits); the bin search
// uses keys with -0 made +0, i.e. IEEE comparison.
//
// Bins: edges[0..bins] are the order keys of the host's double edges rounded up to floats, which
// keeps every comparison exact: for a float v, v >= e (double) exactly when v >= the smallest
// float >= e. Bin i holds edges[i] <= v < edges[i + 1]; v <= hiDown (the key of the largest float
// <= the last edge) still counts in the last bin, as numpy.histogram does.

#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#pragma OPENCL FP_CONTRACT OFF

// Signed integers in the order of the floats' values, -0 below +0.
inline int total_key(float v) {
    const int b = as_int(v);
    return b >= 0 ? b : b ^ 0x7fffffff;
}

// The same with -0 equal to +0: the order of IEEE comparisons.
inline int value_key(float v) {
    const int b = as_int(v);
    return (b & 0x7fffffff) == 0 ? 0 : (b >= 0 ? b : b ^ 0x7fffffff);
}

// A float widened exactly even where the device flushes float denormals: a denormal is its
// integer mantissa times 2^-149, both exact in double.
inline double exact_double(float v) {
    const uint b = as_uint(v);
    if ((b & 0x7f800000u) != 0u)
        return (double)v;
    const double m = (double)(b & 0x007fffffu) * 0x1p-149;
    return (b >> 31) != 0u ? -m : m;
}

// Number of inner edges (edges[1] .. edges[bins - 1]) that are <= v.
inline uint bin_of(int v, const __global int* edges, uint bins) {
    uint lo = 1u;
    uint hi = bins;
    while (lo < hi) {
        const uint mid = lo + ((hi - lo) >> 1);
        if (edges[mid] <= v)
            lo = mid + 1u;
        else
            hi = mid;
    }
    return lo - 1u;
}

__kernel void value_stats(const __global float* x, uint n, uint perGroup, const __global int* edges, uint bins,
                          int hiDown, __global uint* counts, __global double* sums, __global int* extremes,
                          __global uint* tallies, __local double* localSums, __local int* localExtremes,
                          __local uint* localTallies, __local uint* localCounts, uint localBins) {
    const uint lid = get_local_id(0);
    const uint wg = get_local_size(0);
    const uint g = get_group_id(0);
    const uint begin = min(n, g * perGroup);
    const uint end = min(n, begin + perGroup);
    const int lo = bins > 0u ? edges[0] : 0;

    // localBins is bins when the counts fit in local memory, else 0 (global atomics).
    for (uint i = lid; i < localBins; i += wg)
        localCounts[i] = 0u;
    barrier(CLK_LOCAL_MEM_FENCE);

    double sum = 0.0;
    double squares = 0.0;
    int kmin = INT_MAX;
    int kmax = INT_MIN;
    uint finite = 0u, nan = 0u, infinite = 0u, below = 0u, above = 0u;
    for (uint i = begin + lid; i < end; i += wg) {
        const float v = x[i];
        if (isnan(v)) {
            ++nan;
            continue;
        }
        if (isinf(v)) {
            ++infinite;
            continue;
        }
        ++finite;
        const double dv = exact_double(v);
        sum += dv;
        squares += dv * dv;
        const int key = total_key(v);
        kmin = min(kmin, key);
        kmax = max(kmax, key);
        if (bins == 0u)
            continue;
        const int vkey = value_key(v);
        if (vkey < lo) {
            ++below;
        } else if (vkey > hiDown) {
            ++above;
        } else {
            const uint bin = bin_of(vkey, edges, bins);
            if (localBins != 0u)
                atomic_inc(&localCounts[bin]);
            else
                atomic_inc(&counts[bin]);
        }
    }
    localSums[2u * lid] = sum;
    localSums[2u * lid + 1u] = squares;
    localExtremes[2u * lid] = kmin;
    localExtremes[2u * lid + 1u] = kmax;
    localTallies[5u * lid] = finite;
    localTallies[5u * lid + 1u] = nan;
    localTallies[5u * lid + 2u] = infinite;
    localTallies[5u * lid + 3u] = below;
    localTallies[5u * lid + 4u] = above;
    barrier(CLK_LOCAL_MEM_FENCE);

    for (uint i = lid; i < localBins; i += wg) {
        const uint c = localCounts[i];
        if (c != 0u)
            atomic_add(&counts[i], c);
    }
    if (lid == 0u) {
        for (uint k = 1u; k < wg; ++k) {
            sum += localSums[2u * k];
            squares += localSums[2u * k + 1u];
            kmin = min(kmin, localExtremes[2u * k]);
            kmax = max(kmax, localExtremes[2u * k + 1u]);
            finite += localTallies[5u * k];
            nan += localTallies[5u * k + 1u];
            infinite += localTallies[5u * k + 2u];
            below += localTallies[5u * k + 3u];
            above += localTallies[5u * k + 4u];
        }
        sums[2u * g] = sum;
        sums[2u * g + 1u] = squares;
        extremes[2u * g] = kmin;
        extremes[2u * g + 1u] = kmax;
        tallies[5u * g] = finite;
        tallies[5u * g + 1u] = nan;
        tallies[5u * g + 2u] = infinite;
        tallies[5u * g + 3u] = below;
        tallies[5u * g + 4u] = above;
    }
}
