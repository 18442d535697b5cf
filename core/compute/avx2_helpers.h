#pragma once

// Internal to matryx_compute, included only by the *_avx2.cpp kernels: building blocks for AVX2
// integer dot products. Every function carries MATRYX_AVX2, so the AVX2 instructions exist only in
// code that runs after cpuSupports(CpuKernelLevel::Avx2) said yes; the rest of the build stays
// baseline x86-64.

#if defined(__x86_64__)

#include <cstdint>
#include <cstring>
#include <immintrin.h>

#define MATRYX_AVX2 __attribute__((target("avx2,fma,f16c")))

namespace matryx::avx2 {

MATRYX_AVX2 inline float fp16(const std::byte* p) noexcept {
    uint16_t h;
    std::memcpy(&h, p, 2);
    return _cvtsh_ss(h);
}

MATRYX_AVX2 inline __m256i load256(const void* p) noexcept {
    return _mm256_loadu_si256(static_cast<const __m256i*>(p));
}
MATRYX_AVX2 inline __m128i load128(const void* p) noexcept {
    return _mm_loadu_si128(static_cast<const __m128i*>(p));
}

MATRYX_AVX2 inline float hsum(__m256 v) noexcept {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// sum + product with the product rounded to f32 first: the empty asm keeps the compiler from
// fusing the two into one multiply-add, which ggml's tails do not do either.
MATRYX_AVX2 inline float roundedAdd(float sum, float product) noexcept {
    asm("" : "+x"(product));
    return sum + product;
}

MATRYX_AVX2 inline int hsumInt(__m256i v) noexcept {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_unpackhi_epi64(s, s));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 1));
    return _mm_cvtsi128_si32(s);
}

// 16 bytes of packed nibbles -> 32 bytes: the low nibbles (values 0..15) in the lower half, the
// high nibbles in the upper half: the element order of the 32-element block types.
MATRYX_AVX2 inline __m256i nibbles(const void* p) noexcept {
    const __m128i packed = load128(p);
    const __m256i both = _mm256_set_m128i(_mm_srli_epi16(packed, 4), packed);
    return _mm256_and_si256(both, _mm256_set1_epi8(0x0F));
}

// 32 bits -> 32 bytes, 0xFF where the bit is set (bit j -> byte j).
MATRYX_AVX2 inline __m256i bitsToBytes(uint32_t bits) noexcept {
    const __m256i spread = _mm256_shuffle_epi8(
        _mm256_set1_epi32(int(bits)),
        _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202, 0x0101010101010101, 0x0000000000000000));
    const __m256i mask = _mm256_set1_epi64x(int64_t(0x8040201008040201));
    return _mm256_cmpeq_epi8(_mm256_and_si256(spread, mask), mask);
}

// Eight int32 sums of four products each: unsigned bytes u (0..127 at most, so that pairs fit
// int16) times signed bytes s.
MATRYX_AVX2 inline __m256i dotU8I8(__m256i u, __m256i s) noexcept {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1));
}

// As dotU8I8 for two signed operands: |x| times y with x's sign moved onto y. `absX` is
// _mm256_sign_epi8(x, x), computed once when x meets several y.
MATRYX_AVX2 inline __m256i dotI8I8(__m256i x, __m256i absX, __m256i y) noexcept {
    return dotU8I8(absX, _mm256_sign_epi8(y, x));
}

// Sixteen int16 pair products (maddubs) weighted by per-16-element scales a (lower 128 bits) and
// b (upper 128 bits), summed into eight int32.
MATRYX_AVX2 inline __m256i scalePairs(__m256i pairs16, int a, int b) noexcept {
    return _mm256_madd_epi16(pairs16, _mm256_set_m128i(_mm_set1_epi16(short(b)), _mm_set1_epi16(short(a))));
}

} // namespace matryx::avx2

#endif
