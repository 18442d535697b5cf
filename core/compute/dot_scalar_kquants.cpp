// Portable dot products of the 256-element super-block types (K-quants, IQ4_XS) against Q8_K
// activations. Each super-block is unpacked to its integer values, summed per sub-block in
// integers, and scaled once per super-block, as ggml's generic kernels do. Q8_K's per-16 sums
// (bsums) carry the sub-block minimums.

#include "compute/dot_kernels.h"
#include "compute/quant_blocks.h"
#include "tensor/tables/iq_tables.h"

#include <type_traits>

namespace matryx::dot {
namespace {

using namespace blocks;

// Integer dot product of `n` unpacked values with n activation values.
inline int dotInt(const int8_t* q, const int8_t* y, int n) noexcept {
    int sum = 0;
    for (int i = 0; i < n; ++i)
        sum += q[i] * y[i];
    return sum;
}

inline int bsum(const std::byte* a, int j) noexcept {
    return loadI16(a + Q8_K::bsums + 2 * size_t(j));
}

float blockQ2_K(const std::byte* w, const std::byte* a) noexcept {
    const uint8_t* qs = u8s(w + Q2_K::qs);
    const uint8_t* sc = u8s(w + Q2_K::scales);
    const int8_t* y = i8s(a + Q8_K::qs);
    int8_t q[kQkK];
    for (int e = 0; e < kQkK; ++e)
        q[e] = int8_t((qs[(e / 128) * 32 + e % 32] >> (2 * ((e % 128) / 32))) & 3);
    int sum = 0, mins = 0;
    for (int s = 0; s < 16; ++s) {
        sum += (sc[s] & 0xF) * dotInt(q + 16 * s, y + 16 * s, 16);
        mins += (sc[s] >> 4) * bsum(a, s);
    }
    const float ad = loadF32(a + Q8_K::d);
    return ad * loadFp16(w + Q2_K::d) * float(sum) - ad * loadFp16(w + Q2_K::dmin) * float(mins);
}

float blockQ3_K(const std::byte* w, const std::byte* a) noexcept {
    const uint8_t* qs = u8s(w + Q3_K::qs);
    const uint8_t* hm = u8s(w + Q3_K::hmask);
    const int8_t* y = i8s(a + Q8_K::qs);
    int8_t scales[16];
    scalesQ3K(u8s(w + Q3_K::scales), scales);
    int8_t q[kQkK];
    for (int e = 0; e < kQkK; ++e) {
        const int l = e % 32;
        const int low = (qs[(e / 128) * 32 + l] >> (2 * ((e % 128) / 32))) & 3;
        q[e] = int8_t(low - (((hm[l] >> (e / 32)) & 1) ? 0 : 4));
    }
    int sum = 0;
    for (int s = 0; s < 16; ++s)
        sum += scales[s] * dotInt(q + 16 * s, y + 16 * s, 16);
    return loadF32(a + Q8_K::d) * loadFp16(w + Q3_K::d) * float(sum);
}

// Q4_K and Q5_K share the scale layout; Q5_K adds a fifth bit per value from qh.
template <bool kFifthBit> float blockQ45_K(const std::byte* w, const std::byte* a) noexcept {
    using L = std::conditional_t<kFifthBit, Q5_K, Q4_K>;
    const uint8_t* qs = u8s(w + L::qs);
    const uint8_t* packed = u8s(w + L::scales);
    const int8_t* y = i8s(a + Q8_K::qs);
    int sum = 0, mins = 0;
    for (int j = 0; j < 8; ++j) {
        int8_t q[32];
        for (int l = 0; l < 32; ++l) {
            const uint8_t byte = qs[(j / 2) * 32 + l];
            int v = j % 2 == 0 ? byte & 0xF : byte >> 4;
            if constexpr (kFifthBit) v |= ((u8s(w + Q5_K::qh)[l] >> j) & 1) << 4;
            q[l] = int8_t(v);
        }
        int scale = 0, min = 0;
        scaleMinK4(j, packed, scale, min);
        sum += scale * dotInt(q, y + 32 * j, 32);
        mins += min * (bsum(a, 2 * j) + bsum(a, 2 * j + 1));
    }
    const float ad = loadF32(a + Q8_K::d);
    return ad * loadFp16(w + L::d) * float(sum) - ad * loadFp16(w + L::dmin) * float(mins);
}

float blockQ6_K(const std::byte* w, const std::byte* a) noexcept {
    const int8_t* y = i8s(a + Q8_K::qs);
    const int8_t* sc = i8s(w + Q6_K::scales);
    int8_t q[kQkK];
    for (int n = 0; n < 2; ++n) {
        const uint8_t* ql = u8s(w + Q6_K::ql) + 64 * n;
        const uint8_t* qh = u8s(w + Q6_K::qh) + 32 * n;
        int8_t* out = q + 128 * n;
        for (int l = 0; l < 32; ++l) {
            out[l] = int8_t(((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32);
            out[l + 32] = int8_t(((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32);
            out[l + 64] = int8_t(((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32);
            out[l + 96] = int8_t(((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32);
        }
    }
    int sum = 0;
    for (int s = 0; s < 16; ++s)
        sum += sc[s] * dotInt(q + 16 * s, y + 16 * s, 16);
    return loadF32(a + Q8_K::d) * loadFp16(w + Q6_K::d) * float(sum);
}

float blockIq4Xs(const std::byte* w, const std::byte* a) noexcept {
    const uint8_t* qs = u8s(w + Iq4Xs::qs);
    const uint16_t scalesH = loadU16(w + Iq4Xs::scalesH);
    const int8_t* y = i8s(a + Q8_K::qs);
    int sum = 0;
    for (int j = 0; j < 8; ++j) {
        int8_t q[32];
        for (int l = 0; l < 16; ++l) {
            q[l] = iq::kIq4nlValues[qs[16 * j + l] & 0xF];
            q[l + 16] = iq::kIq4nlValues[qs[16 * j + l] >> 4];
        }
        sum += scaleIq4Xs(j, scalesH, u8s(w + Iq4Xs::scalesL)) * dotInt(q, y + 32 * j, 32);
    }
    return loadF32(a + Q8_K::d) * loadFp16(w + Iq4Xs::d) * float(sum);
}

template <float (*Block)(const std::byte*, const std::byte*) noexcept, size_t kWBytes>
void rowDot(const std::byte* w, const std::byte* act, size_t actStride, int cols, float* out,
            size_t outStride, int64_t k) noexcept {
    const int64_t blocks = k / kQkK;
    for (int c = 0; c < cols; ++c) {
        const std::byte* a = act + size_t(c) * actStride;
        float sum = 0.0f;
        for (int64_t b = 0; b < blocks; ++b)
            sum += Block(w + size_t(b) * kWBytes, a + size_t(b) * Q8_K::bytes);
        out[size_t(c) * outStride] = sum;
    }
}

} // namespace

RowDotFn scalarKQuantRowDot(TensorType weight) noexcept {
    switch (weight) {
    case TensorType::Q2_K:
        return rowDot<blockQ2_K, Q2_K::bytes>;
    case TensorType::Q3_K:
        return rowDot<blockQ3_K, Q3_K::bytes>;
    case TensorType::Q4_K:
        return rowDot<blockQ45_K<false>, Q4_K::bytes>;
    case TensorType::Q5_K:
        return rowDot<blockQ45_K<true>, Q5_K::bytes>;
    case TensorType::Q6_K:
        return rowDot<blockQ6_K, Q6_K::bytes>;
    case TensorType::IQ4_XS:
        return rowDot<blockIq4Xs, Iq4Xs::bytes>;
    default:
        return nullptr;
    }
}

} // namespace matryx::dot
