#include "tensor/stats_kernels.h"

#include "tensor/kernel_target.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace matryx::stats_kernels {

namespace {

constexpr size_t L = 8; // lanes: one AVX register of floats
constexpr float kMaxFinite = std::numeric_limits<float>::max();

// Written as a select rather than std::min/max so that a NaN lane never sticks: the comparison
// is false for NaN and the old value stays (callers only trust the result without NaNs anyway).
inline float lesser(float a, float b) noexcept {
    return b < a ? b : a;
}
inline float greater(float a, float b) noexcept {
    return b > a ? b : a;
}

// GCC/Clang vector types: the auto-vectorizer leaves min/max reductions with these selects
// scalar, so the lanes are spelled out (two SSE registers in the baseline build, one AVX one in
// the x86-64-v3 clone). Same operations per lane, so both builds give the same bits. They are
// only used inside the kernels: passing them to functions would depend on the AVX ABI.
using F8 = float __attribute__((vector_size(32)));
using I8 = int32_t __attribute__((vector_size(32)));
constexpr int32_t kAbsMask = 0x7fffffff;

} // namespace

MATRYX_KERNEL Extremes extremes(const float* x, size_t n) noexcept {
    const size_t whole = n - n % L;
    F8 mn = F8{} + x[0];
    F8 mx = mn;
    I8 bad = {};
    for (size_t i = 0; i < whole; i += L) {
        F8 v;
        std::memcpy(&v, x + i, sizeof v);
        mn = v < mn ? v : mn;
        mx = v > mx ? v : mx;
        bad += (F8(I8(v) & kAbsMask) <= kMaxFinite) + 1; // the comparison gives −1 where true
    }
    Extremes e{x[0], x[0], 0};
    for (size_t j = 0; j < L; ++j) {
        e.min = lesser(e.min, mn[j]);
        e.max = greater(e.max, mx[j]);
        e.nonFinite += size_t(bad[j]);
    }
    for (size_t i = whole; i < n; ++i) {
        e.min = lesser(e.min, x[i]);
        e.max = greater(e.max, x[i]);
        e.nonFinite += std::fabs(x[i]) <= kMaxFinite ? 0u : 1u;
    }
    return e;
}

MATRYX_KERNEL float maxAbs(const float* x, size_t n) noexcept {
    const size_t whole = n - n % L;
    F8 mx = {};
    for (size_t i = 0; i < whole; i += L) {
        F8 v;
        std::memcpy(&v, x + i, sizeof v);
        v = F8(I8(v) & kAbsMask);
        mx = v > mx ? v : mx;
    }
    float r = 0;
    for (size_t j = 0; j < L; ++j)
        r = greater(r, mx[j]);
    for (size_t i = whole; i < n; ++i)
        r = greater(r, std::fabs(x[i]));
    return r;
}

MATRYX_KERNEL void maxAbsInto(float* acc, const float* x, size_t n) noexcept {
    const size_t whole = n - n % L;
    for (size_t i = 0; i < whole; i += L) {
        F8 a, v;
        std::memcpy(&a, acc + i, sizeof a);
        std::memcpy(&v, x + i, sizeof v);
        v = F8(I8(v) & kAbsMask);
        a = v > a ? v : a;
        std::memcpy(acc + i, &a, sizeof a);
    }
    for (size_t i = whole; i < n; ++i)
        acc[i] = greater(acc[i], std::fabs(x[i]));
}

MATRYX_KERNEL uint64_t countFarFrom(const float* x, size_t n, double mean, double threshold) noexcept {
    const size_t whole = n - n % L;
    uint64_t c[L] = {};
    for (size_t i = 0; i < whole; i += L)
        for (size_t j = 0; j < L; ++j)
            c[j] += std::fabs(double(x[i + j]) - mean) > threshold ? 1u : 0u;
    uint64_t r = 0;
    for (size_t j = 0; j < L; ++j)
        r += c[j];
    for (size_t i = whole; i < n; ++i)
        r += std::fabs(double(x[i]) - mean) > threshold ? 1u : 0u;
    return r;
}

size_t keepFinite(float* x, size_t n) noexcept {
    size_t kept = 0;
    for (size_t i = 0; i < n; ++i)
        if (std::isfinite(x[i])) x[kept++] = x[i];
    return kept;
}

void zeroNonFinite(float* x, size_t n) noexcept {
    for (size_t i = 0; i < n; ++i)
        if (!std::isfinite(x[i])) x[i] = 0.0f;
}

} // namespace matryx::stats_kernels
