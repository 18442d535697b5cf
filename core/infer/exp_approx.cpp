#include "infer/exp_approx.h"

#include "compute/cpu_features.h"

#include <cmath>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#define MATRYX_EXP_AVX2 __attribute__((target("avx2,fma")))
#endif

namespace matryx {

namespace {

// The constants: 1.5 * 2^23 (rounds to an integer when added), 1/ln2, ln2 split in a high and a
// low part, and the polynomial's coefficients. They are the ones ggml uses; different ones would
// round differently.
constexpr float kShifter = 0x1.8p23f;
constexpr float kInvLn2 = 0x1.715476p+0f;
constexpr float kLn2Hi = 0x1.62e4p-1f;
constexpr float kLn2Lo = 0x1.7f7d1cp-20f;
constexpr float kC1 = 0x1.ffffecp-1f;
constexpr float kC2 = 0x1.fffdb6p-2f;
constexpr float kC3 = 0x1.555e66p-3f;
constexpr float kC4 = 0x1.573e2ep-5f;
constexpr float kC5 = 0x1.0e4020p-7f;

uint32_t bits(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}
float fromBits(uint32_t u) {
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

#if defined(__x86_64__)

MATRYX_EXP_AVX2 __m256 exp8(__m256 x) noexcept {
    const __m256 z = _mm256_fmadd_ps(x, _mm256_set1_ps(kInvLn2), _mm256_set1_ps(kShifter));
    const __m256 n = _mm256_sub_ps(z, _mm256_set1_ps(kShifter));
    const __m256 b = _mm256_fnmadd_ps(n, _mm256_set1_ps(kLn2Lo), _mm256_fnmadd_ps(n, _mm256_set1_ps(kLn2Hi), x));
    const __m256i e = _mm256_slli_epi32(_mm256_castps_si256(z), 23);
    const __m256 k = _mm256_castsi256_ps(_mm256_add_epi32(e, _mm256_castps_si256(_mm256_set1_ps(1.0f))));
    const __m256 u = _mm256_mul_ps(b, b);
    const __m256 high = _mm256_fmadd_ps(_mm256_set1_ps(kC5), b, _mm256_set1_ps(kC4));
    const __m256 low = _mm256_fmadd_ps(_mm256_set1_ps(kC3), b, _mm256_set1_ps(kC2));
    const __m256 j = _mm256_fmadd_ps(_mm256_fmadd_ps(high, u, low), u, _mm256_mul_ps(_mm256_set1_ps(kC1), b));
    const __m256 absN = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), n);
    const __m256 special = _mm256_cmp_ps(absN, _mm256_set1_ps(126.0f), _CMP_GT_OQ);
    const __m256 normal = _mm256_fmadd_ps(k, j, k);
    if (!_mm256_movemask_ps(special)) return normal;
    // Scale in two steps so that neither factor over- or underflows.
    const __m256i g = _mm256_and_si256(_mm256_castps_si256(_mm256_cmp_ps(n, _mm256_setzero_ps(), _CMP_LE_OQ)),
                                       _mm256_set1_epi32(int(0x82000000u)));
    const __m256 s1 = _mm256_castsi256_ps(_mm256_add_epi32(g, _mm256_set1_epi32(0x7f000000)));
    const __m256 s2 = _mm256_castsi256_ps(_mm256_sub_epi32(e, g));
    const __m256 beyond = _mm256_cmp_ps(absN, _mm256_set1_ps(192.0f), _CMP_GT_OQ);
    const __m256 scaled = _mm256_mul_ps(_mm256_fmadd_ps(s2, j, s2), s1);
    const __m256 limit = _mm256_mul_ps(s1, s1);
    return _mm256_blendv_ps(_mm256_blendv_ps(normal, scaled, special), limit, beyond);
}

MATRYX_EXP_AVX2 int64_t expRowsAvx2(const float* x, float* y, int64_t n, float shift) noexcept {
    int64_t i = 0;
    const __m256 s = _mm256_set1_ps(shift);
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, exp8(_mm256_sub_ps(_mm256_loadu_ps(x + i), s)));
    return i;
}

MATRYX_EXP_AVX2 int64_t swigluAvx2(float* gate, const float* up, int64_t n) noexcept {
    int64_t i = 0;
    const __m256 one = _mm256_set1_ps(1.0f);
    for (; i + 8 <= n; i += 8) {
        const __m256 g = _mm256_loadu_ps(gate + i);
        const __m256 silu = _mm256_div_ps(g, _mm256_add_ps(one, exp8(_mm256_sub_ps(_mm256_setzero_ps(), g))));
        _mm256_storeu_ps(gate + i, _mm256_mul_ps(silu, _mm256_loadu_ps(up + i)));
    }
    return i;
}

#endif

bool useAvx2() {
    static const bool yes = bestCpuKernelLevel() == CpuKernelLevel::Avx2;
    return yes;
}

} // namespace

float expApprox(float x) noexcept {
    const float z = std::fma(x, kInvLn2, kShifter);
    const float n = z - kShifter;
    const float b = std::fma(-n, kLn2Lo, std::fma(-n, kLn2Hi, x));
    const uint32_t e = bits(z) << 23;
    const float k = fromBits(e + bits(1.0f));
    const float u = b * b;
    const float j = std::fma(std::fma(std::fma(kC5, b, kC4), u, std::fma(kC3, b, kC2)), u, kC1 * b);
    if (!(std::fabs(n) > 126.0f)) return std::fma(k, j, k);
    const uint32_t g = n <= 0.0f ? 0x82000000u : 0u;
    const float s1 = fromBits(g + 0x7f000000u);
    const float s2 = fromBits(e - g);
    if (std::fabs(n) > 192.0f) return s1 * s1;
    return std::fma(s2, j, s2) * s1;
}

void expApprox(const float* x, float* y, int64_t n, float shift) noexcept {
    int64_t i = 0;
#if defined(__x86_64__)
    if (useAvx2()) i = expRowsAvx2(x, y, n, shift);
#endif
    for (; i < n; ++i)
        y[i] = expApprox(x[i] - shift);
}

void swigluApprox(float* gate, const float* up, int64_t n) noexcept {
    int64_t i = 0;
#if defined(__x86_64__)
    if (useAvx2()) i = swigluAvx2(gate, up, n);
#endif
    for (; i + 8 <= n; i += 8)
        for (int64_t l = i; l < i + 8; ++l)
            gate[l] = gate[l] / (1.0f + expApprox(0.0f - gate[l])) * up[l];
    for (; i < n; ++i)
        gate[i] = gate[i] / (1.0f + std::exp(-gate[i])) * up[i];
}

} // namespace matryx
