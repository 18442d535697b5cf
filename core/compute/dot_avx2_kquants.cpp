// AVX2 dot products of the 256-element super-block types (Q2_K .. Q6_K, IQ4_XS) against Q8_K
// activations, one weight row against up to four activation rows per pass. A super-block is
// unpacked into unsigned bytes once (the per-type `Unpacked` struct) and reused for every column.
// Sub-block scales multiply the int16 pair sums in integers; offsets and minimums come from Q8_K's
// per-16 sums (bsums); the f32 scale is applied once per super-block.
//
// The integer lanes and the float accumulation follow ggml's AVX2 vec_dot for each type (which
// lane holds which partial sum, where the minimums are accumulated, how the lanes are added), so
// that every product is the same float as llama.cpp's.

#include "compute/dot_kernels.h"

#if defined(__x86_64__)

#include "compute/avx2_helpers.h"
#include "compute/quant_blocks.h"
#include "tensor/tables/iq_tables.h"

#include <cmath>

namespace matryx::dot {
namespace {

using namespace blocks;
using namespace avx2;

MATRYX_AVX2 inline __m256i bsums(const std::byte* a) noexcept {
    return load256(a + Q8_K::bsums);
}
MATRYX_AVX2 inline __m256i qs8(const std::byte* a, int i) noexcept {
    return load256(a + Q8_K::qs + 32 * i);
}

// Sixteen int16 per-16 weights (one per sub-block of 16 values), for madd against bsums.
MATRYX_AVX2 inline __m256i perSixteen(const int16_t w[16]) noexcept {
    return load256(w);
}

// How the minimums' float sums are kept: not at all, in the main accumulator before the block's
// scaled sum (Q2_K), in four lanes of sub-block pairs (Q4_K) or as one scalar (Q5_K).
enum class MinSum { None, SharedLanes, FourLanes, Scalar };

// Q2_K: values 0..3, 16 sub-blocks of 16 with a 4-bit scale and a 4-bit min each.
struct Q2_KK {
    static constexpr size_t wBytes = Q2_K::bytes;
    static constexpr MinSum kMinSum = MinSum::SharedLanes;
    struct Unpacked {
        __m256i q[8]; // 32 values each, elements 32i .. 32i + 31
        int scale[16];
        __m256i mins; // int16 per sub-block
        float d, dmin;
    };
    MATRYX_AVX2 static void unpack(const std::byte* w, Unpacked& u) noexcept {
        const uint8_t* sc = u8s(w + Q2_K::scales);
        alignas(32) int16_t mins[16];
        for (int s = 0; s < 16; ++s) {
            u.scale[s] = sc[s] & 0xF;
            mins[s] = int16_t(sc[s] >> 4);
        }
        u.mins = perSixteen(mins);
        const __m256i three = _mm256_set1_epi8(3);
        for (int n = 0; n < 2; ++n) {
            const __m256i q = load256(w + Q2_K::qs + 32 * n);
            u.q[4 * n + 0] = _mm256_and_si256(q, three);
            u.q[4 * n + 1] = _mm256_and_si256(_mm256_srli_epi16(q, 2), three);
            u.q[4 * n + 2] = _mm256_and_si256(_mm256_srli_epi16(q, 4), three);
            u.q[4 * n + 3] = _mm256_and_si256(_mm256_srli_epi16(q, 6), three);
        }
        u.d = fp16(w + Q2_K::d);
        u.dmin = fp16(w + Q2_K::dmin);
    }
    // Returns the scaled integer sum; `minSum` gets the integer sum the mins subtract.
    MATRYX_AVX2 static __m256i dot(const Unpacked& u, const std::byte* a, __m256i& minSum) noexcept {
        __m256i sum = _mm256_setzero_si256();
        for (int i = 0; i < 8; ++i) {
            const __m256i pairs = _mm256_maddubs_epi16(u.q[i], qs8(a, i));
            sum = _mm256_add_epi32(sum, scalePairs(pairs, u.scale[2 * i], u.scale[2 * i + 1]));
        }
        minSum = _mm256_madd_epi16(bsums(a), u.mins);
        return sum;
    }
};

// Q3_K: values -4..3 stored as 2 low bits plus a high bit; here shifted to 0..7, with the 4 taken
// back from each int16 pair sum (not through bsums, so that each lane holds ggml's partial sum).
// 16 sub-blocks of 16 with signed 6-bit scales.
struct Q3_KK {
    static constexpr size_t wBytes = Q3_K::bytes;
    static constexpr MinSum kMinSum = MinSum::None;
    struct Unpacked {
        __m256i q[8];
        int scale[16];
        float d, dmin;
    };
    MATRYX_AVX2 static void unpack(const std::byte* w, Unpacked& u) noexcept {
        int8_t scales[16];
        scalesQ3K(u8s(w + Q3_K::scales), scales);
        for (int s = 0; s < 16; ++s)
            u.scale[s] = scales[s];
        const __m256i three = _mm256_set1_epi8(3);
        const __m256i hm = load256(w + Q3_K::hmask);
        for (int n = 0; n < 2; ++n) {
            const __m256i q = load256(w + Q3_K::qs + 32 * n);
            for (int g = 0; g < 4; ++g) {
                const __m256i bit = _mm256_set1_epi8(char(1 << (4 * n + g)));
                const __m256i high =
                    _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(hm, bit), bit), _mm256_set1_epi8(4));
                const __m256i low = _mm256_and_si256(_mm256_srli_epi16(q, 2 * g), three);
                u.q[4 * n + g] = _mm256_or_si256(low, high);
            }
        }
        u.d = fp16(w + Q3_K::d);
        u.dmin = 0.0f;
    }
    MATRYX_AVX2 static __m256i dot(const Unpacked& u, const std::byte* a, __m256i& minSum) noexcept {
        const __m256i four = _mm256_set1_epi8(4);
        __m256i sum = _mm256_setzero_si256();
        for (int i = 0; i < 8; ++i) {
            const __m256i y = qs8(a, i);
            const __m256i pairs = _mm256_sub_epi16(_mm256_maddubs_epi16(u.q[i], y), _mm256_maddubs_epi16(four, y));
            sum = _mm256_add_epi32(sum, scalePairs(pairs, u.scale[2 * i], u.scale[2 * i + 1]));
        }
        minSum = _mm256_setzero_si256();
        return sum;
    }
};

// Q4_K and Q5_K: 8 sub-blocks of 32 with 6-bit scales and mins; Q5_K adds a fifth bit from qh.
template <bool kFifthBit> struct Q45_KK {
    using L = std::conditional_t<kFifthBit, Q5_K, Q4_K>;
    static constexpr size_t wBytes = L::bytes;
    static constexpr MinSum kMinSum = kFifthBit ? MinSum::Scalar : MinSum::FourLanes;
    struct Unpacked {
        __m256i q[8];
        int scale[8];
        __m256i mins; // int16, each min twice (two bsums per sub-block)
        float d, dmin;
    };
    MATRYX_AVX2 static void unpack(const std::byte* w, Unpacked& u) noexcept {
        alignas(32) int16_t mins[16];
        for (int j = 0; j < 8; ++j) {
            int scale = 0, min = 0;
            scaleMinK4(j, u8s(w + L::scales), scale, min);
            u.scale[j] = scale;
            mins[2 * j] = mins[2 * j + 1] = int16_t(min);
        }
        u.mins = perSixteen(mins);
        const __m256i low4 = _mm256_set1_epi8(0x0F);
        for (int p = 0; p < 4; ++p) {
            const __m256i q = load256(w + L::qs + 32 * p);
            u.q[2 * p] = _mm256_and_si256(q, low4);
            u.q[2 * p + 1] = _mm256_and_si256(_mm256_srli_epi16(q, 4), low4);
        }
        if constexpr (kFifthBit) {
            const __m256i qh = load256(w + Q5_K::qh);
            for (int j = 0; j < 8; ++j) {
                const __m256i bit = _mm256_set1_epi8(char(1 << j));
                const __m256i high = _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(qh, bit), bit),
                                                      _mm256_set1_epi8(0x10));
                u.q[j] = _mm256_or_si256(u.q[j], high);
            }
        }
        u.d = fp16(w + L::d);
        u.dmin = fp16(w + L::dmin);
    }
    MATRYX_AVX2 static __m256i dot(const Unpacked& u, const std::byte* a, __m256i& minSum) noexcept {
        __m256i sum = _mm256_setzero_si256();
        for (int j = 0; j < 8; ++j) {
            const __m256i pairs = _mm256_maddubs_epi16(u.q[j], qs8(a, j));
            sum = _mm256_add_epi32(sum, _mm256_madd_epi16(pairs, _mm256_set1_epi16(short(u.scale[j]))));
        }
        minSum = _mm256_madd_epi16(bsums(a), u.mins);
        return sum;
    }
};

// Q6_K: values 0..63 (4 low bits in ql, 2 high bits in qh) minus 32, 16 sub-blocks of 16 with
// signed 8-bit scales. The 32 comes back through bsums.
struct Q6_KK {
    static constexpr size_t wBytes = Q6_K::bytes;
    static constexpr MinSum kMinSum = MinSum::None;
    struct Unpacked {
        __m256i q[8];
        int scale[16];
        __m256i scales16;
        float d, dmin;
    };
    MATRYX_AVX2 static void unpack(const std::byte* w, Unpacked& u) noexcept {
        const int8_t* sc = i8s(w + Q6_K::scales);
        alignas(32) int16_t s16[16];
        for (int s = 0; s < 16; ++s) {
            u.scale[s] = sc[s];
            s16[s] = sc[s];
        }
        u.scales16 = perSixteen(s16);
        const __m256i low4 = _mm256_set1_epi8(0x0F);
        const __m256i high2 = _mm256_set1_epi8(0x30);
        for (int n = 0; n < 2; ++n) {
            const __m256i ql0 = load256(w + Q6_K::ql + 64 * n);
            const __m256i ql1 = load256(w + Q6_K::ql + 64 * n + 32);
            const __m256i qh = load256(w + Q6_K::qh + 32 * n);
            u.q[4 * n + 0] = _mm256_or_si256(_mm256_and_si256(ql0, low4),
                                             _mm256_and_si256(_mm256_slli_epi16(qh, 4), high2));
            u.q[4 * n + 1] = _mm256_or_si256(_mm256_and_si256(ql1, low4),
                                             _mm256_and_si256(_mm256_slli_epi16(qh, 2), high2));
            u.q[4 * n + 2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), low4),
                                             _mm256_and_si256(qh, high2));
            u.q[4 * n + 3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), low4),
                                             _mm256_and_si256(_mm256_srli_epi16(qh, 2), high2));
        }
        u.d = fp16(w + Q6_K::d);
        u.dmin = 0.0f;
    }
    MATRYX_AVX2 static __m256i dot(const Unpacked& u, const std::byte* a, __m256i& minSum) noexcept {
        __m256i sum = _mm256_setzero_si256();
        for (int i = 0; i < 8; ++i) {
            const __m256i pairs = _mm256_maddubs_epi16(u.q[i], qs8(a, i));
            sum = _mm256_add_epi32(sum, scalePairs(pairs, u.scale[2 * i], u.scale[2 * i + 1]));
        }
        const __m256i offset = _mm256_slli_epi32(_mm256_madd_epi16(bsums(a), u.scales16), 5);
        minSum = _mm256_setzero_si256();
        return _mm256_sub_epi32(sum, offset);
    }
};

// IQ4_XS: 8 sub-blocks of 32 non-linear 4-bit values (the IQ4_NL levels) with signed 6-bit scales.
struct Iq4XsK {
    static constexpr size_t wBytes = Iq4Xs::bytes;
    static constexpr MinSum kMinSum = MinSum::None;
    struct Unpacked {
        __m256i q[8];    // signed levels
        __m256i absQ[8]; // their magnitudes, for the sign trick
        int scale[8];
        float d, dmin;
    };
    MATRYX_AVX2 static void unpack(const std::byte* w, Unpacked& u) noexcept {
        const __m256i table = _mm256_broadcastsi128_si256(load128(iq::kIq4nlValues));
        const uint16_t scalesH = loadU16(w + Iq4Xs::scalesH);
        for (int j = 0; j < 8; ++j) {
            u.scale[j] = scaleIq4Xs(j, scalesH, u8s(w + Iq4Xs::scalesL));
            u.q[j] = _mm256_shuffle_epi8(table, nibbles(w + Iq4Xs::qs + 16 * j));
            u.absQ[j] = _mm256_sign_epi8(u.q[j], u.q[j]);
        }
        u.d = fp16(w + Iq4Xs::d);
        u.dmin = 0.0f;
    }
    MATRYX_AVX2 static __m256i dot(const Unpacked& u, const std::byte* a, __m256i& minSum) noexcept {
        __m256i sum = _mm256_setzero_si256();
        for (int j = 0; j < 8; ++j) {
            const __m256i pairs = _mm256_maddubs_epi16(u.absQ[j], _mm256_sign_epi8(qs8(a, j), u.q[j]));
            sum = _mm256_add_epi32(sum, _mm256_madd_epi16(pairs, _mm256_set1_epi16(short(u.scale[j]))));
        }
        minSum = _mm256_setzero_si256();
        return sum;
    }
};

// Adjacent pairs of the eight int32 lanes, as four lanes: the per-sub-block-pair minimum sums.
MATRYX_AVX2 inline __m128i pairLanes(__m256i v) noexcept {
    const __m256i pairs = _mm256_hadd_epi32(v, _mm256_setzero_si256());
    return _mm256_castsi256_si128(_mm256_permute4x64_epi64(pairs, 0b1000));
}

MATRYX_AVX2 inline float hsum4(__m128 v) noexcept {
    v = _mm_add_ps(v, _mm_movehl_ps(v, v));
    return _mm_cvtss_f32(_mm_add_ss(v, _mm_movehdup_ps(v)));
}

// The minimums enter with a negative scale, as ggml's do: acc + (-d * m) rounds like acc - d * m.
template <class K, int NC>
MATRYX_AVX2 void dotCols(const std::byte* w, const std::byte* act, size_t actStride, float* out,
                         size_t outStride, int64_t blocks) noexcept {
    __m256 acc[NC];
    __m128 accMin[NC];
    float minScalar[NC];
    for (int c = 0; c < NC; ++c) {
        acc[c] = _mm256_setzero_ps();
        accMin[c] = _mm_setzero_ps();
        minScalar[c] = 0.0f;
    }
    typename K::Unpacked u;
    for (int64_t b = 0; b < blocks; ++b) {
        K::unpack(w + size_t(b) * K::wBytes, u);
        for (int c = 0; c < NC; ++c) {
            const std::byte* ab = act + size_t(c) * actStride + size_t(b) * Q8_K::bytes;
            const float da = loadF32(ab + Q8_K::d);
            const float dmin = -da * u.dmin;
            __m256i minSum;
            const __m256i sum = K::dot(u, ab, minSum);
            if constexpr (K::kMinSum == MinSum::SharedLanes)
                acc[c] = _mm256_fmadd_ps(_mm256_set1_ps(dmin), _mm256_cvtepi32_ps(minSum), acc[c]);
            else if constexpr (K::kMinSum == MinSum::FourLanes)
                accMin[c] = _mm_fmadd_ps(_mm_set1_ps(dmin), _mm_cvtepi32_ps(pairLanes(minSum)), accMin[c]);
            else if constexpr (K::kMinSum == MinSum::Scalar)
                minScalar[c] = std::fma(dmin, float(hsumInt(minSum)), minScalar[c]);
            acc[c] = _mm256_fmadd_ps(_mm256_set1_ps(da * u.d), _mm256_cvtepi32_ps(sum), acc[c]);
        }
    }
    for (int c = 0; c < NC; ++c) {
        float total = hsum(acc[c]);
        if constexpr (K::kMinSum == MinSum::FourLanes)
            total += hsum4(accMin[c]);
        else if constexpr (K::kMinSum == MinSum::Scalar)
            total += minScalar[c];
        out[size_t(c) * outStride] = total;
    }
}

template <class K>
MATRYX_AVX2 void rowDot(const std::byte* w, const std::byte* act, size_t actStride, int cols, float* out,
                        size_t outStride, int64_t k) noexcept {
    const int64_t blocks = k / kQkK;
    int c = 0;
    for (; c + 4 <= cols; c += 4)
        dotCols<K, 4>(w, act + size_t(c) * actStride, actStride, out + size_t(c) * outStride, outStride,
                      blocks);
    const std::byte* a = act + size_t(c) * actStride;
    float* o = out + size_t(c) * outStride;
    switch (cols - c) {
    case 3:
        dotCols<K, 3>(w, a, actStride, o, outStride, blocks);
        break;
    case 2:
        dotCols<K, 2>(w, a, actStride, o, outStride, blocks);
        break;
    case 1:
        dotCols<K, 1>(w, a, actStride, o, outStride, blocks);
        break;
    default:
        break;
    }
}

} // namespace

RowDotFn avx2KQuantRowDot(TensorType weight) noexcept {
    switch (weight) {
    case TensorType::Q2_K:
        return rowDot<Q2_KK>;
    case TensorType::Q3_K:
        return rowDot<Q3_KK>;
    case TensorType::Q4_K:
        return rowDot<Q45_KK<false>>;
    case TensorType::Q5_K:
        return rowDot<Q45_KK<true>>;
    case TensorType::Q6_K:
        return rowDot<Q6_KK>;
    case TensorType::IQ4_XS:
        return rowDot<Iq4XsK>;
    default:
        return nullptr;
    }
}

} // namespace matryx::dot

#else

namespace matryx::dot {
RowDotFn avx2KQuantRowDot(TensorType) noexcept {
    return nullptr;
}
} // namespace matryx::dot

#endif
