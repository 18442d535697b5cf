#include "tensor/quantize_lanes.h"

#include "tensor/quantize_kernels.h"
#include "tensor/tables/iq_tables.h"

// The helpers below pass vectors by value but are always inlined, so the baseline clone's note
// that such calls would have a different ABI without AVX does not apply.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace matryx::quantizers {

namespace {

// Each lane performs one group's IEEE operations (GCC/Clang vector extensions are element-wise), so
// lanes are bit-identical to the scalar search. Sixteen lanes as two independent 8-lane vectors:
// every operation below is two instructions without a dependency between them, which hides the
// latency of the sequential sums that bound this code. (A 16-lane vector_size(64) type would do
// the same in principle, but GCC lowers its selects and conversions to scalar code on AVX2.)
using F8 = float __attribute__((vector_size(32)));
using I8 = int32_t __attribute__((vector_size(32)));

struct Ints {
    I8 v[2];
    int32_t operator[](int g) const noexcept { return v[g / 8][g % 8]; }
};
struct Floats {
    F8 v[2];
    float operator[](int g) const noexcept { return v[g / 8][g % 8]; }
};
static_assert(sizeof(Floats) / sizeof(float) == kLanes);

#define MATRYX_LANES_BINARY(Result, Operand, op)                                                             \
    [[gnu::always_inline]] inline Result operator op(Operand a, Operand b) noexcept {                        \
        return Result{{a.v[0] op b.v[0], a.v[1] op b.v[1]}};                                                 \
    }
MATRYX_LANES_BINARY(Floats, Floats, +)
MATRYX_LANES_BINARY(Floats, Floats, -)
MATRYX_LANES_BINARY(Floats, Floats, *)
MATRYX_LANES_BINARY(Floats, Floats, /)
MATRYX_LANES_BINARY(Ints, Floats, <)
MATRYX_LANES_BINARY(Ints, Floats, >)
MATRYX_LANES_BINARY(Ints, Floats, <=)
MATRYX_LANES_BINARY(Ints, Floats, >=)
MATRYX_LANES_BINARY(Ints, Floats, ==)
MATRYX_LANES_BINARY(Ints, Floats, !=)
MATRYX_LANES_BINARY(Ints, Ints, -)
MATRYX_LANES_BINARY(Ints, Ints, &)
MATRYX_LANES_BINARY(Ints, Ints, <)
MATRYX_LANES_BINARY(Ints, Ints, >)
#undef MATRYX_LANES_BINARY

[[gnu::always_inline]] inline Floats operator-(Floats a) noexcept {
    return Floats{{-a.v[0], -a.v[1]}};
}
[[gnu::always_inline]] inline Floats& operator+=(Floats& a, Floats b) noexcept {
    return a = a + b;
}

[[gnu::always_inline]] inline Floats splat(float v) noexcept {
    const F8 x = {v, v, v, v, v, v, v, v};
    return Floats{{x, x}};
}
// Integer zero plus v broadcasts with one instruction; an element list compiles to one insert per
// lane, which GCC does not hoist out of loops.
[[gnu::always_inline]] inline Ints splat(int v) noexcept {
    return Ints{{I8{} + v, I8{} + v}};
}
// mask ? a : b, lane by lane.
[[gnu::always_inline]] inline Floats select(Ints mask, Floats a, Floats b) noexcept {
    return Floats{{mask.v[0] ? a.v[0] : b.v[0], mask.v[1] ? a.v[1] : b.v[1]}};
}
[[gnu::always_inline]] inline Ints select(Ints mask, Ints a, Ints b) noexcept {
    return Ints{{mask.v[0] ? a.v[0] : b.v[0], mask.v[1] ? a.v[1] : b.v[1]}};
}
[[gnu::always_inline]] inline Floats toFloat(Ints a) noexcept {
    return Floats{{__builtin_convertvector(a.v[0], F8), __builtin_convertvector(a.v[1], F8)}};
}
[[gnu::always_inline]] inline Ints bits(Floats a) noexcept {
    return Ints{{reinterpret_cast<I8>(a.v[0]), reinterpret_cast<I8>(a.v[1])}};
}
[[gnu::always_inline]] inline Floats fromBits(Ints a) noexcept {
    return Floats{{reinterpret_cast<F8>(a.v[0]), reinterpret_cast<F8>(a.v[1])}};
}
[[gnu::always_inline]] inline Floats abs(Floats a) noexcept {
    return fromBits(bits(a) & splat(0x7fffffff));
}
// nearestInt, lane by lane.
[[gnu::always_inline]] inline Ints nearest(Floats a) noexcept {
    return (bits(a + splat(12582912.0f)) & splat(0x007fffff)) - splat(0x00400000);
}
[[gnu::always_inline]] inline Ints clamp(Ints v, Ints lo, Ints hi) noexcept {
    const Ints upper = select(v > hi, hi, v); // cMin(hi, v)
    return select(upper < lo, lo, upper);     // cMax(lo, ...)
}

constexpr int kMaxGroup = 32;

// Group g's value i goes to lane g of out[i].
[[gnu::always_inline]] inline void transpose(int n, const float* x, Floats* out) noexcept {
    if (n < 1 || n > kMaxGroup) __builtin_unreachable(); // callers pass whole groups of 16 or 32
    for (int i = 0; i < n; ++i)
        for (int h = 0; h < 2; ++h) {
            const float* p = x + 8 * h * n + i;
            out[i].v[h] = F8{p[0], p[n], p[2 * n], p[3 * n], p[4 * n], p[5 * n], p[6 * n], p[7 * n]};
        }
}

} // namespace

MATRYX_KERNEL void affineScaleLanes(int n, int nmax, const float* x, const float* weights, uint8_t* L,
                                    float* scales, float* negMins, float rmin, float rdelta, int nstep,
                                    bool absoluteError) noexcept {
    Floats xt[kMaxGroup], wt[kMaxGroup];
    Ints levels[kMaxGroup], trial[kMaxGroup];
    transpose(n, x, xt);
    transpose(n, weights, wt);
    const Ints lowest = splat(0), highest = splat(nmax);
    const auto error = [absoluteError](Floats diff) { return absoluteError ? abs(diff) : diff * diff; };

    Floats min = xt[0], max = xt[0];
    Floats sumW = wt[0];
    Floats sumX = sumW * xt[0];
    for (int i = 1; i < n; ++i) {
        min = select(xt[i] < min, xt[i], min);
        max = select(xt[i] > max, xt[i], max);
        sumW += wt[i];
        sumX += wt[i] * xt[i];
    }
    min = select(min > splat(0.0f), splat(0.0f), min);
    const Floats flatMin = min;
    const Ints flat = max == min;

    Floats iscale = splat(float(nmax)) / (max - min);
    Floats scale = splat(1.0f) / iscale;
    Floats bestError = splat(0.0f);
    for (int i = 0; i < n; ++i) {
        levels[i] = clamp(nearest(iscale * (xt[i] - min)), lowest, highest);
        bestError += wt[i] * error(scale * toFloat(levels[i]) + min - xt[i]);
    }
    for (int step = 0; step <= nstep; ++step) {
        // min moves to each better fit, and the range with it, as in the scalar search.
        iscale = splat(rmin + rdelta * float(step) + float(nmax)) / (max - min);
        Floats sumL = splat(0.0f), sumL2 = splat(0.0f), sumXL = splat(0.0f);
        for (int i = 0; i < n; ++i) {
            trial[i] = clamp(nearest(iscale * (xt[i] - min)), lowest, highest);
            const Floats l = toFloat(trial[i]);
            sumL += wt[i] * l;
            sumL2 += wt[i] * l * l;
            sumXL += wt[i] * l * xt[i];
        }
        const Floats D = sumW * sumL2 - sumL * sumL;
        Floats thisScale = (sumW * sumXL - sumX * sumL) / D;
        Floats thisMin = (sumL2 * sumX - sumL * sumXL) / D;
        const Ints positive = thisMin > splat(0.0f);
        thisScale = select(positive, sumXL / sumL2, thisScale);
        thisMin = select(positive, splat(0.0f), thisMin);
        Floats curError = splat(0.0f);
        for (int i = 0; i < n; ++i)
            curError += wt[i] * error(thisScale * toFloat(trial[i]) + thisMin - xt[i]);
        const Ints take = (D > splat(0.0f)) & (curError < bestError);
        for (int i = 0; i < n; ++i)
            levels[i] = select(take, trial[i], levels[i]);
        bestError = select(take, curError, bestError);
        scale = select(take, thisScale, scale);
        min = select(take, thisMin, min);
    }
    // A group with max == min returns at once in the scalar search: levels 0, scale 0.
    for (int g = 0; g < kLanes; ++g) {
        scales[g] = flat[g] ? 0.0f : scale[g];
        negMins[g] = flat[g] ? -flatMin[g] : -min[g];
        for (int i = 0; i < n; ++i)
            L[g * n + i] = flat[g] ? 0 : uint8_t(levels[i][g]);
    }
}

MATRYX_KERNEL void affineScaleClampedLanes(int n, int nmax, const float* x, const float* weights, uint8_t* L,
                                           float* scales, float* negMins, float rmin, float rdelta,
                                           int nstep) noexcept {
    Floats xt[kMaxGroup], wt[kMaxGroup];
    Ints levels[kMaxGroup], trial[kMaxGroup];
    transpose(n, x, xt);
    transpose(n, weights, wt);
    const Ints lowest = splat(0), highest = splat(nmax);

    Floats min = xt[0], max = xt[0];
    Floats sumW = wt[0];
    Floats sumX = sumW * xt[0];
    for (int i = 1; i < n; ++i) {
        min = select(xt[i] < min, xt[i], min);
        max = select(xt[i] > max, xt[i], max);
        sumW += wt[i];
        sumX += wt[i] * xt[i];
    }
    min = select(min > splat(0.0f), splat(0.0f), min);
    const Floats flatMin = min;
    const Ints flat = max <= min;

    Floats iscale = splat(float(nmax)) / (max - min);
    Floats scale = splat(1.0f) / iscale;
    Floats bestError = splat(0.0f);
    for (int i = 0; i < n; ++i) {
        levels[i] = clamp(nearest(iscale * (xt[i] - min)), lowest, highest);
        const Floats diff = scale * toFloat(levels[i]) + min - xt[i];
        bestError += wt[i] * (diff * diff);
    }
    const Floats top = splat(float(nmax));
    for (int step = 0; step <= nstep; ++step) {
        // min moves to each better fit, and the range with it, as in the scalar search.
        iscale = splat(rmin + rdelta * float(step) + float(nmax)) / (max - min);
        Floats sumL = splat(0.0f), sumL2 = splat(0.0f), sumXL = splat(0.0f);
        for (int i = 0; i < n; ++i) {
            const Floats v = iscale * (xt[i] - min);
            trial[i] = select(v > splat(0.0f), nearest(select(v < top, v, top)), splat(0));
            const Floats l = toFloat(trial[i]);
            sumL += wt[i] * l;
            sumL2 += wt[i] * l * l;
            sumXL += wt[i] * l * xt[i];
        }
        const Floats D = sumW * sumL2 - sumL * sumL;
        Floats thisScale = (sumW * sumXL - sumX * sumL) / D;
        Floats thisMin = (sumL2 * sumX - sumL * sumXL) / D;
        const Ints positive = thisMin > splat(0.0f);
        thisScale = select(positive, sumXL / sumL2, thisScale);
        thisMin = select(positive, splat(0.0f), thisMin);
        Floats curError = splat(0.0f);
        for (int i = 0; i < n; ++i) {
            const Floats diff = thisScale * toFloat(trial[i]) + thisMin - xt[i];
            curError += wt[i] * (diff * diff);
        }
        const Ints take = (D > splat(0.0f)) & (curError < bestError);
        for (int i = 0; i < n; ++i)
            levels[i] = select(take, trial[i], levels[i]);
        bestError = select(take, curError, bestError);
        scale = select(take, thisScale, scale);
        min = select(take, thisMin, min);
    }
    for (int g = 0; g < kLanes; ++g) {
        scales[g] = flat[g] ? 0.0f : scale[g];
        negMins[g] = flat[g] ? -flatMin[g] : -min[g];
        for (int i = 0; i < n; ++i)
            L[g * n + i] = flat[g] ? 0 : uint8_t(levels[i][g]);
    }
}

MATRYX_KERNEL void symmetricScaleLanes(int n, int nmax, const float* x, int8_t* L, const float* weights,
                                       float* scales) noexcept {
    Floats xt[kMaxGroup], wt[kMaxGroup];
    Ints levels[kMaxGroup];
    transpose(n, x, xt);
    if (weights)
        transpose(n, weights, wt);
    else
        for (int i = 0; i < n; ++i)
            wt[i] = xt[i] * xt[i];
    const Ints lowest = splat(-nmax), highest = splat(nmax - 1);

    Floats max = splat(0.0f), amax = splat(0.0f);
    for (int i = 0; i < n; ++i) {
        const Ints larger = abs(xt[i]) > amax;
        amax = select(larger, abs(xt[i]), amax);
        max = select(larger, xt[i], max);
    }
    const Ints zero = amax < splat(kGroupMaxEps);

    Floats iscale = splat(float(-nmax)) / max;
    Floats sumlx = splat(0.0f), suml2 = splat(0.0f);
    for (int i = 0; i < n; ++i) {
        const Ints l = clamp(nearest(iscale * xt[i]), lowest, highest);
        levels[i] = l;
        const Floats lf = toFloat(l);
        sumlx += wt[i] * xt[i] * lf;
        suml2 += wt[i] * lf * lf;
    }
    Floats scale = select(suml2 != splat(0.0f), sumlx / suml2, splat(0.0f));
    Floats best = scale * sumlx;
    for (int step = -9; step <= 9; ++step) {
        if (step == 0) continue;
        iscale = splat(-(float(nmax) + 0.1f * float(step))) / max;
        Ints trial[kMaxGroup];
        sumlx = suml2 = splat(0.0f);
        for (int i = 0; i < n; ++i) {
            trial[i] = clamp(nearest(iscale * xt[i]), lowest, highest);
            const Floats lf = toFloat(trial[i]);
            sumlx += wt[i] * xt[i] * lf;
            suml2 += wt[i] * lf * lf;
        }
        const Ints take = (suml2 > splat(0.0f)) & (sumlx * sumlx > best * suml2);
        for (int i = 0; i < n; ++i)
            levels[i] = select(take, trial[i], levels[i]);
        scale = select(take, sumlx / suml2, scale);
        best = select(take, scale * sumlx, best);
    }
    for (int g = 0; g < kLanes; ++g) {
        scales[g] = zero[g] ? 0.0f : scale[g];
        for (int i = 0; i < n; ++i)
            L[g * n + i] = zero[g] ? 0 : int8_t(levels[i][g] + nmax);
    }
}

namespace {

// The codebook entry nearestLevel would pick, as a float, lane by lane. Inside the table's range
// the entry just below (or at) x and the one just above are found by comparisons instead of a
// binary search; a NaN lane gets the last entry, as the binary search gives it.
[[gnu::always_inline]] inline Floats nearestCodebookValue(Floats x, const float* values) noexcept {
    Floats lower = splat(values[0]), upper = splat(values[15]);
    for (int k = 1; k < 15; ++k)
        lower = select(splat(values[k]) <= x, splat(values[k]), lower);
    for (int k = 14; k > 0; --k)
        upper = select(splat(values[k]) > x, splat(values[k]), upper);
    const Floats inside = select(x - lower < upper - x, lower, upper);
    return select(x <= splat(values[0]), splat(values[0]),
                  select(x >= splat(values[15]), splat(values[15]), inside));
}

} // namespace

MATRYX_KERNEL void iq4ScaleLanes(const float* x, const float* weights, float* scales) noexcept {
    constexpr int n = 32;
    float values[16];
    for (int k = 0; k < 16; ++k)
        values[k] = float(iq::kIq4nlValues[k]);
    Floats xt[n], wt[n];
    transpose(n, x, xt);
    transpose(n, weights, wt);

    Floats max = splat(0.0f), amax = splat(0.0f);
    for (int i = 0; i < n; ++i) {
        const Ints larger = abs(xt[i]) > amax;
        amax = select(larger, abs(xt[i]), amax);
        max = select(larger, xt[i], max);
    }
    const Ints zero = amax < splat(kGroupMaxEps);

    Floats d = -max / splat(values[0]);
    Floats id = splat(1.0f) / d;
    Floats sumqx = splat(0.0f), sumq2 = splat(0.0f);
    for (int i = 0; i < n; ++i) {
        const Floats q = nearestCodebookValue(id * xt[i], values);
        sumqx += wt[i] * q * xt[i];
        sumq2 += wt[i] * q * q;
    }
    d = select(sumq2 > splat(0.0f), sumqx / sumq2, splat(0.0f));
    Floats best = d * sumqx;
    for (int trial = -kIq4Trials; trial <= kIq4Trials; ++trial) {
        id = splat(float(trial + iq::kIq4nlValues[0])) / max;
        sumqx = sumq2 = splat(0.0f);
        for (int i = 0; i < n; ++i) {
            const Floats q = nearestCodebookValue(id * xt[i], values);
            sumqx += wt[i] * q * xt[i];
            sumq2 += wt[i] * q * q;
        }
        const Ints take = (sumq2 > splat(0.0f)) & (sumqx * sumqx > best * sumq2);
        d = select(take, sumqx / sumq2, d);
        best = select(take, d * sumqx, best);
    }
    for (int g = 0; g < kLanes; ++g)
        scales[g] = zero[g] ? 0.0f : d[g];
}

} // namespace matryx::quantizers
