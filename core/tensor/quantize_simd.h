#pragma once

// Internal to matryx_tensor: 8-lane float and int vectors (GCC/Clang vector extensions) for the
// quantizers' hot loops, and the lane-wise forms of the rounding rules in quantize_kernels.h.
// Vector operations are element-wise IEEE operations, so a lane computes exactly what the scalar
// code computes; only the order of independent work changes. Include only from .cpp files whose
// functions are compiled per target (MATRYX_KERNEL): every helper is always inlined.

#include <cstdint>

#include "tensor/kernel_target.h"

// The helpers pass vectors by value but are always inlined, so the note that such calls change
// ABI without AVX does not apply.
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wpsabi"
#elif defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

// Marks a function that calls the helpers below. Clang checks the vector calling convention before
// inlining and rejects an x86-64-v3 clone calling a baseline helper, so under Clang such functions
// are compiled once, for baseline x86-64 (still vectorized, with SSE).
#if defined(__clang__)
#define MATRYX_SIMD_KERNEL
#else
#define MATRYX_SIMD_KERNEL MATRYX_KERNEL
#endif

namespace matryx::quantizers::simd {

using F8 = float __attribute__((vector_size(32)));
using I8 = int32_t __attribute__((vector_size(32)));
// Eight bytes; converting an I8 to it keeps each lane's low byte, as C's narrowing casts do.
using Bytes8 = uint8_t __attribute__((vector_size(8)));

[[gnu::always_inline]] inline F8 splat(float v) noexcept {
    return F8{v, v, v, v, v, v, v, v};
}
// Integer zero plus v broadcasts with one instruction; an element list compiles to one insert per
// lane, which GCC does not hoist out of loops.
[[gnu::always_inline]] inline I8 splat(int v) noexcept {
    return I8{} + v;
}
[[gnu::always_inline]] inline F8 abs(F8 v) noexcept {
    return reinterpret_cast<F8>(reinterpret_cast<I8>(v) & splat(0x7fffffff));
}
[[gnu::always_inline]] inline F8 toFloat(I8 v) noexcept {
    return __builtin_convertvector(v, F8);
}

// truncToInt32, lane by lane: in-range values convert toward zero, the rest give INT32_MIN.
[[gnu::always_inline]] inline I8 truncToInt32(F8 v) noexcept {
    const I8 inRange = (v >= splat(-2147483648.0f)) & (v < splat(2147483648.0f));
    const I8 converted = __builtin_convertvector(inRange ? v : splat(0.0f), I8);
    return inRange ? converted : splat(INT32_MIN);
}

// truncToInt32(roundf(v)), lane by lane: halves round away from zero. The fraction v - trunc(v) is
// exact (below 2^23 by Sterbenz, above it v is an integer), and no in-range float rounds out of
// range, since floats near 2^31 are integers.
[[gnu::always_inline]] inline I8 roundToInt32(F8 v) noexcept {
    const I8 inRange = (v >= splat(-2147483648.0f)) & (v < splat(2147483648.0f));
    const F8 safe = inRange ? v : splat(0.0f);
    const I8 whole = __builtin_convertvector(safe, I8);
    const F8 fraction = safe - toFloat(whole);
    // Comparison masks are -1 where true.
    const I8 rounded = whole - (fraction >= splat(0.5f)) + (fraction <= splat(-0.5f));
    return inRange ? rounded : splat(INT32_MIN);
}

// The largest lane, for vectors without NaN (where max is order-independent): halves folded.
[[gnu::always_inline]] inline float horizontalMax(F8 v) noexcept {
    using F4 = float __attribute__((vector_size(16)));
    const F4 lo = {v[0], v[1], v[2], v[3]}, hi = {v[4], v[5], v[6], v[7]};
    const F4 m = lo > hi ? lo : hi;
    const float a = m[0] > m[1] ? m[0] : m[1], b = m[2] > m[3] ? m[2] : m[3];
    return a > b ? a : b;
}

// True if any lane of the four vectors is NaN.
[[gnu::always_inline]] inline bool anyNaN(const F8* v) noexcept {
    using U4 = uint64_t __attribute__((vector_size(32)));
    const U4 nan = reinterpret_cast<U4>((v[0] != v[0]) | (v[1] != v[1]) | (v[2] != v[2]) | (v[3] != v[3]));
    return (nan[0] | nan[1] | nan[2] | nan[3]) != 0;
}

} // namespace matryx::quantizers::simd
