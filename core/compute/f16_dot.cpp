#include "compute/f16_dot.h"

#include "compute/avx2_helpers.h"
#include "tensor/float_convert.h"

#include <algorithm>

namespace matryx {

namespace {

// The two lane sums of the header, on eight partial sums.
float blockedLanes(const float* l) noexcept {
    return ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]));
}
float interleavedLanes(const float* l) noexcept {
    return ((l[0] + l[4]) + (l[1] + l[5])) + ((l[2] + l[6]) + (l[3] + l[7]));
}

// Products of fp16 values are exact in f32, so a plain multiply-add rounds like a fused one.
float dotBlockedScalar(const uint16_t* x, const uint16_t* y, int64_t k) noexcept {
    float lanes[8] = {};
    for (int64_t i = 0; i < k; ++i)
        lanes[i % 8] += fp16ToF32(x[i]) * fp16ToF32(y[i]);
    return blockedLanes(lanes);
}

float dotInterleavedScalar(const uint16_t* x, const uint16_t* y, int64_t k, bool padded) noexcept {
    float acc[4][8] = {};
    const int64_t whole = padded ? k : k & ~int64_t(31);
    for (int64_t i = 0; i < whole; ++i)
        acc[(i % 32) / 8][i % 8] += fp16ToF32(x[i]) * fp16ToF32(y[i]);
    float lanes[8];
    for (int l = 0; l < 8; ++l)
        lanes[l] = (acc[0][l] + acc[2][l]) + (acc[1][l] + acc[3][l]);
    double sum = double(interleavedLanes(lanes));
    for (int64_t i = whole; i < k; ++i)
        sum += double(fp16ToF32(x[i]) * fp16ToF32(y[i]));
    return float(sum);
}

#if defined(__x86_64__)

// Loads n < 8 fp16 values and zeros after them, without reading past the n.
MATRYX_AVX2 __m256 loadPartial(const uint16_t* p, int64_t n) noexcept {
    alignas(16) uint16_t tmp[8] = {};
    std::copy(p, p + n, tmp);
    return _mm256_cvtph_ps(_mm_load_si128(reinterpret_cast<const __m128i*>(tmp)));
}

MATRYX_AVX2 __m256 load8(const uint16_t* p) noexcept { return _mm256_cvtph_ps(avx2::load128(p)); }

MATRYX_AVX2 float dotBlockedAvx2(const uint16_t* x, const uint16_t* y, int64_t k) noexcept {
    __m256 acc = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 8 <= k; i += 8)
        acc = _mm256_fmadd_ps(load8(x + i), load8(y + i), acc);
    if (i < k) acc = _mm256_fmadd_ps(loadPartial(x + i, k - i), loadPartial(y + i, k - i), acc);
    return avx2::hsum(acc);
}

MATRYX_AVX2 float dotInterleavedAvx2(const uint16_t* x, const uint16_t* y, int64_t k, bool padded) noexcept {
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    int64_t i = 0;
    for (; i + 32 <= k; i += 32)
        for (int j = 0; j < 4; ++j)
            acc[j] = _mm256_fmadd_ps(load8(x + i + 8 * j), load8(y + i + 8 * j), acc[j]);
    if (padded && i < k) {
        for (int j = 0; j < 4 && i + 8 * j < k; ++j) {
            const int64_t at = i + 8 * j, n = std::min<int64_t>(8, k - at);
            const __m256 a = n == 8 ? load8(x + at) : loadPartial(x + at, n);
            const __m256 b = n == 8 ? load8(y + at) : loadPartial(y + at, n);
            acc[j] = _mm256_fmadd_ps(a, b, acc[j]);
        }
        i = k;
    }
    const __m256 v = _mm256_add_ps(_mm256_add_ps(acc[0], acc[2]), _mm256_add_ps(acc[1], acc[3]));
    const __m128 t0 = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 t1 = _mm_hadd_ps(t0, t0);
    double sum = double(_mm_cvtss_f32(_mm_hadd_ps(t1, t1)));
    for (; i < k; ++i)
        sum += double(_cvtsh_ss(x[i]) * _cvtsh_ss(y[i]));
    return float(sum);
}

MATRYX_AVX2 void rowsAvx2(const uint16_t* x, const uint16_t* rows, size_t rowStride, int64_t count, int64_t k,
                          float* out, F16DotOrder order, bool padded) noexcept {
    for (int64_t c = 0; c < count; ++c) {
        const uint16_t* row = rows + size_t(c) * rowStride;
        out[c] = order == F16DotOrder::Blocked ? dotBlockedAvx2(x, row, k) : dotInterleavedAvx2(x, row, k, padded);
    }
}

#endif

} // namespace

void dotF16Rows(const uint16_t* x, const uint16_t* rows, size_t rowStride, int64_t count, int64_t k, float* out,
                F16DotOrder order, bool padded, CpuKernelLevel level) noexcept {
#if defined(__x86_64__)
    if (level == CpuKernelLevel::Avx2 && cpuSupports(level)) {
        rowsAvx2(x, rows, rowStride, count, k, out, order, padded);
        return;
    }
#endif
    for (int64_t c = 0; c < count; ++c) {
        const uint16_t* row = rows + size_t(c) * rowStride;
        out[c] = order == F16DotOrder::Blocked ? dotBlockedScalar(x, row, k) : dotInterleavedScalar(x, row, k, padded);
    }
}

} // namespace matryx
