// AVX2 dot products of float weights (F32, F16, BF16) with activations of the same type, in the
// order of ggml's AVX2 vec_dot for each (four accumulators over steps of 32 elements, its lane
// reduction, its f32 or double tail), so that each product is the same float; and the
// AVX2 activation quantizers for Q8_0 / Q8_1 / F16 (same bytes as the portable ones: the same
// scale, the same round-half-even, the same fp16 rounding).

#include "compute/dot_kernels.h"

#if defined(__x86_64__)

#include "compute/avx2_helpers.h"
#include "compute/quant_blocks.h"

#include <cmath>

namespace matryx::dot {
namespace {

using namespace blocks;
using namespace avx2;

// How the eight lanes are added at the end: ggml's F32/F16 reduction uses two horizontal adds,
// ((l0 + l4) + (l1 + l5)) + ((l2 + l6) + (l3 + l7)); its BF16 one adds the halves' halves,
// ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7)). The elements after the last whole step are
// added in f32 (F32) or in double (F16, BF16).
struct F32Load {
    static constexpr size_t kBytes = 4;
    static constexpr bool kHaddReduce = true, kDoubleTail = false;
    MATRYX_AVX2 static __m256 load(const std::byte* p) noexcept {
        return _mm256_loadu_ps(reinterpret_cast<const float*>(p));
    }
    static float scalar(const std::byte* p) noexcept { return loadF32(p); }
};
struct F16Load {
    static constexpr size_t kBytes = 2;
    static constexpr bool kHaddReduce = true, kDoubleTail = true;
    MATRYX_AVX2 static __m256 load(const std::byte* p) noexcept { return _mm256_cvtph_ps(load128(p)); }
    static float scalar(const std::byte* p) noexcept { return loadFp16(p); }
};
struct Bf16Load {
    static constexpr size_t kBytes = 2;
    static constexpr bool kHaddReduce = false, kDoubleTail = true;
    MATRYX_AVX2 static __m256 load(const std::byte* p) noexcept {
        return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(load128(p)), 16));
    }
    static float scalar(const std::byte* p) noexcept { return bf16ToF32(loadU16(p)); }
};

MATRYX_AVX2 inline float haddReduce(__m256 v) noexcept {
    const __m128 t = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 pairs = _mm_hadd_ps(t, t);
    return _mm_cvtss_f32(_mm_hadd_ps(pairs, pairs));
}

// fp16 and bf16 products are exact in f32, so fused and separate multiply-adds agree for them.
template <class L, int NC>
MATRYX_AVX2 void dotCols(const std::byte* w, const std::byte* act, size_t actStride, float* out,
                         size_t outStride, int64_t k) noexcept {
    __m256 acc[NC][4];
    for (int c = 0; c < NC; ++c)
        for (auto& a : acc[c])
            a = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 32 <= k; i += 32) {
        for (int j = 0; j < 4; ++j) {
            const __m256 wj = L::load(w + size_t(i + 8 * j) * L::kBytes);
            for (int c = 0; c < NC; ++c) {
                const std::byte* a = act + size_t(c) * actStride + size_t(i + 8 * j) * L::kBytes;
                acc[c][j] = _mm256_fmadd_ps(wj, L::load(a), acc[c][j]);
            }
        }
    }
    for (int c = 0; c < NC; ++c) {
        const std::byte* a = act + size_t(c) * actStride;
        const __m256 lanes = _mm256_add_ps(_mm256_add_ps(acc[c][0], acc[c][2]), _mm256_add_ps(acc[c][1], acc[c][3]));
        const float reduced = L::kHaddReduce ? haddReduce(lanes) : hsum(lanes);
        if constexpr (L::kDoubleTail) {
            double sum = reduced;
            for (int64_t j = i; j < k; ++j)
                sum += double(L::scalar(w + size_t(j) * L::kBytes) * L::scalar(a + size_t(j) * L::kBytes));
            out[size_t(c) * outStride] = float(sum);
        } else {
            float sum = reduced;
            for (int64_t j = i; j < k; ++j)
                sum = roundedAdd(sum, L::scalar(w + size_t(j) * L::kBytes) * L::scalar(a + size_t(j) * L::kBytes));
            out[size_t(c) * outStride] = sum;
        }
    }
}

template <class L>
MATRYX_AVX2 void rowDot(const std::byte* w, const std::byte* act, size_t actStride, int cols, float* out,
                        size_t outStride, int64_t k) noexcept {
    int c = 0;
    for (; c + 4 <= cols; c += 4)
        dotCols<L, 4>(w, act + size_t(c) * actStride, actStride, out + size_t(c) * outStride, outStride, k);
    const std::byte* a = act + size_t(c) * actStride;
    float* o = out + size_t(c) * outStride;
    switch (cols - c) {
    case 3:
        dotCols<L, 3>(w, a, actStride, o, outStride, k);
        break;
    case 2:
        dotCols<L, 2>(w, a, actStride, o, outStride, k);
        break;
    case 1:
        dotCols<L, 1>(w, a, actStride, o, outStride, k);
        break;
    default:
        break;
    }
}

// One block of 32: stores the fp16 scale and the values, returns {d, sum of values}.
template <bool kWithSum>
MATRYX_AVX2 void quantizeBlocks32(const float* x, std::byte* out, int64_t k, size_t blockBytes) noexcept {
    const __m256 signBit = _mm256_set1_ps(-0.0f);
    for (int64_t b = 0; b < k / kQk; ++b) {
        const float* v = x + b * kQk;
        std::byte* block = out + size_t(b) * blockBytes;
        __m256 v0 = _mm256_loadu_ps(v), v1 = _mm256_loadu_ps(v + 8);
        __m256 v2 = _mm256_loadu_ps(v + 16), v3 = _mm256_loadu_ps(v + 24);
        __m256 m = _mm256_max_ps(_mm256_andnot_ps(signBit, v0), _mm256_andnot_ps(signBit, v1));
        m = _mm256_max_ps(m, _mm256_max_ps(_mm256_andnot_ps(signBit, v2), _mm256_andnot_ps(signBit, v3)));
        __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
        m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
        m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
        const float amax = _mm_cvtss_f32(m4);
        const float d = amax / 127.0f;
        const __m256 inverse = _mm256_set1_ps(amax != 0.0f ? 127.0f / amax : 0.0f);
        const uint16_t dh = _cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT);
        std::memcpy(block, &dh, 2);
        constexpr int kRound = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
        const __m256i i0 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v0, inverse), kRound));
        const __m256i i1 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v1, inverse), kRound));
        const __m256i i2 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v2, inverse), kRound));
        const __m256i i3 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v3, inverse), kRound));
        if constexpr (kWithSum) {
            const int sum = hsumInt(_mm256_add_epi32(_mm256_add_epi32(i0, i1), _mm256_add_epi32(i2, i3)));
            const uint16_t sh = _cvtss_sh(d * float(sum), _MM_FROUND_TO_NEAREST_INT);
            std::memcpy(block + 2, &sh, 2);
        }
        // The packs interleave 128-bit halves; the permutation puts the 32 values back in order.
        const __m256i packed = _mm256_packs_epi16(_mm256_packs_epi32(i0, i1), _mm256_packs_epi32(i2, i3));
        const __m256i ordered =
            _mm256_permutevar8x32_epi32(packed, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(block + blockBytes - 32), ordered);
    }
}

MATRYX_AVX2 void quantizeQ8_0(const float* x, std::byte* out, int64_t k) noexcept {
    quantizeBlocks32<false>(x, out, k, Q8_0::bytes);
}
MATRYX_AVX2 void quantizeQ8_1(const float* x, std::byte* out, int64_t k) noexcept {
    quantizeBlocks32<true>(x, out, k, Q8_1::bytes);
}
MATRYX_AVX2 void quantizeF16(const float* x, std::byte* out, int64_t k) noexcept {
    int64_t i = 0;
    for (; i + 8 <= k; i += 8)
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 2 * i),
                         _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
    for (; i < k; ++i) {
        const uint16_t h = f32ToFp16(x[i]);
        std::memcpy(out + 2 * i, &h, 2);
    }
}

} // namespace

RowDotFn avx2FloatRowDot(TensorType weight) noexcept {
    switch (weight) {
    case TensorType::F32:
        return rowDot<F32Load>;
    case TensorType::F16:
        return rowDot<F16Load>;
    case TensorType::BF16:
        return rowDot<Bf16Load>;
    default:
        return nullptr;
    }
}

QuantizeRowFn avx2QuantizeRow(TensorType activation) noexcept {
    switch (activation) {
    case TensorType::Q8_0:
        return quantizeQ8_0;
    case TensorType::Q8_1:
        return quantizeQ8_1;
    case TensorType::F16:
        return quantizeF16;
    default:
        return nullptr;
    }
}

} // namespace matryx::dot

#else

namespace matryx::dot {
RowDotFn avx2FloatRowDot(TensorType) noexcept {
    return nullptr;
}
QuantizeRowFn avx2QuantizeRow(TensorType) noexcept {
    return nullptr;
}
} // namespace matryx::dot

#endif
