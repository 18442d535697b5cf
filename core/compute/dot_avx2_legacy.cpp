// AVX2 dot products of the 32-element block types against Q8_0 / Q8_1 activations. One weight
// row meets up to four activation rows per pass, so each weight block is unpacked once and used
// for every column (the reuse that makes batched prompt processing cheaper per token). Integer
// products per block, scaled and accumulated in eight f32 lanes, then summed horizontally, like
// ggml's AVX2 kernels.

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

// Each kernel unpacks a weight block into signed (or unsigned) bytes in element order and knows
// the activation block it pairs with. `Signed` kernels use the sign trick, unsigned ones maddubs.
struct Q4_0K {
    static constexpr size_t wBytes = Q4_0::bytes, aBytes = Q8_0::bytes;
    static constexpr bool kSigned = true, kMin = false, kPaired = false;
    MATRYX_AVX2 static __m256i unpack(const std::byte* w) noexcept {
        return _mm256_sub_epi8(nibbles(w + Q4_0::qs), _mm256_set1_epi8(8));
    }
};
struct Q4_1K {
    static constexpr size_t wBytes = Q4_1::bytes, aBytes = Q8_1::bytes;
    static constexpr bool kSigned = false, kMin = true, kPaired = false;
    MATRYX_AVX2 static __m256i unpack(const std::byte* w) noexcept { return nibbles(w + Q4_1::qs); }
};
struct Q5_0K {
    static constexpr size_t wBytes = Q5_0::bytes, aBytes = Q8_0::bytes;
    static constexpr bool kSigned = true, kMin = false, kPaired = false;
    MATRYX_AVX2 static __m256i unpack(const std::byte* w) noexcept {
        // value - 16 = the nibble with 0xF0 or'ed in where the fifth bit is clear.
        const __m256i high =
            _mm256_andnot_si256(bitsToBytes(loadU32(w + Q5_0::qh)), _mm256_set1_epi8(char(0xF0)));
        return _mm256_or_si256(nibbles(w + Q5_0::qs), high);
    }
};
struct Q5_1K {
    static constexpr size_t wBytes = Q5_1::bytes, aBytes = Q8_1::bytes;
    static constexpr bool kSigned = false, kMin = true, kPaired = false;
    MATRYX_AVX2 static __m256i unpack(const std::byte* w) noexcept {
        const __m256i high = _mm256_and_si256(bitsToBytes(loadU32(w + Q5_1::qh)), _mm256_set1_epi8(0x10));
        return _mm256_or_si256(nibbles(w + Q5_1::qs), high);
    }
};
struct Q8_0K {
    static constexpr size_t wBytes = Q8_0::bytes, aBytes = Q8_0::bytes;
    static constexpr bool kSigned = true, kMin = false, kPaired = false;
    MATRYX_AVX2 static __m256i unpack(const std::byte* w) noexcept { return load256(w + Q8_0::qs); }
};
// ggml sums IQ4_NL blocks in two accumulators (even and odd blocks) and an odd last block apart.
struct Iq4NlK {
    static constexpr size_t wBytes = Iq4Nl::bytes, aBytes = Q8_0::bytes;
    static constexpr bool kSigned = true, kMin = false, kPaired = true;
    MATRYX_AVX2 static __m256i unpack(const std::byte* w) noexcept {
        const __m256i table = _mm256_broadcastsi128_si256(load128(iq::kIq4nlValues));
        return _mm256_shuffle_epi8(table, nibbles(w + Iq4Nl::qs));
    }
};

// All 32-element weight types start with their fp16 scale; Q4_1 and Q5_1 follow it with the min.
template <class K, int NC>
MATRYX_AVX2 void dotCols(const std::byte* w, const std::byte* act, size_t actStride, float* out,
                         size_t outStride, int64_t blocks) noexcept {
    __m256 acc[2][NC];
    float mins[NC];
    for (int c = 0; c < NC; ++c) {
        acc[0][c] = acc[1][c] = _mm256_setzero_ps();
        mins[c] = 0.0f;
    }
    const int64_t vectorBlocks = K::kPaired ? blocks & ~int64_t(1) : blocks;
    int tail[NC] = {};
    for (int64_t b = 0; b < blocks; ++b) {
        const std::byte* wb = w + size_t(b) * K::wBytes;
        const __m256i x = K::unpack(wb);
        const float dw = fp16(wb);
        __m256i absX = x;
        if constexpr (K::kSigned) absX = _mm256_sign_epi8(x, x);
        __m256* lanes = acc[K::kPaired ? b & 1 : 0];
        for (int c = 0; c < NC; ++c) {
            const std::byte* ab = act + size_t(c) * actStride + size_t(b) * K::aBytes;
            const __m256i y = load256(ab + K::aBytes - 32);
            __m256i sum;
            if constexpr (K::kSigned)
                sum = dotI8I8(x, absX, y);
            else
                sum = dotU8I8(x, y);
            if (b < vectorBlocks)
                lanes[c] = _mm256_fmadd_ps(_mm256_set1_ps(dw * fp16(ab)), _mm256_cvtepi32_ps(sum), lanes[c]);
            else
                tail[c] = hsumInt(sum);
            if constexpr (K::kMin) mins[c] += fp16(wb + 2) * fp16(ab + Q8_1::s);
        }
    }
    for (int c = 0; c < NC; ++c) {
        float total = hsum(K::kPaired ? _mm256_add_ps(acc[0][c], acc[1][c]) : acc[0][c]) + mins[c];
        if (vectorBlocks < blocks) {
            const std::byte* ab = act + size_t(c) * actStride + size_t(blocks - 1) * K::aBytes;
            // ggml's tail is `sumf += d * sumi` in C, which its compiler contracts into one fma.
            total = std::fma(fp16(ab) * fp16(w + size_t(blocks - 1) * K::wBytes), float(tail[c]), total);
        }
        out[size_t(c) * outStride] = total;
    }
}

template <class K>
MATRYX_AVX2 void rowDot(const std::byte* w, const std::byte* act, size_t actStride, int cols, float* out,
                        size_t outStride, int64_t k) noexcept {
    const int64_t blocks = k / kQk;
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

RowDotFn avx2LegacyRowDot(TensorType weight) noexcept {
    switch (weight) {
    case TensorType::Q4_0:
        return rowDot<Q4_0K>;
    case TensorType::Q4_1:
        return rowDot<Q4_1K>;
    case TensorType::Q5_0:
        return rowDot<Q5_0K>;
    case TensorType::Q5_1:
        return rowDot<Q5_1K>;
    case TensorType::Q8_0:
        return rowDot<Q8_0K>;
    case TensorType::IQ4_NL:
        return rowDot<Iq4NlK>;
    default:
        return nullptr;
    }
}

} // namespace matryx::dot

#else

namespace matryx::dot {
RowDotFn avx2LegacyRowDot(TensorType) noexcept {
    return nullptr;
}
} // namespace matryx::dot

#endif
