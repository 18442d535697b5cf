// IQ4_NL (32-value blocks, one fp16 scale) and IQ4_XS (256-value super-blocks, a 6-bit scale per
// 32 values): 4-bit indices into ggml's non-linear codebook, as ggml's quantize_iq4_nl and
// quantize_iq4_xs, which ggml_quantize_chunk calls with or without importance (seven scale trials
// either side of the first guess). The group scale searches run sixteen groups at a time
// (quantize_lanes.h); a row's last blocks that do not fill sixteen groups take the scalar search.

#include "tensor/quantize_kernels.h"
#include "tensor/quantize_lanes.h"
#include "tensor/quantize_search.h"
#include "tensor/quantize_simd.h"
#include "tensor/tables/iq_tables.h"

namespace matryx::quantizers {

namespace {

// Each value's weight in its group's fit: importance times sqrt(sigma^2 + x^2), sigma^2 being twice
// the super-block's mean square, or x^2 without importance.
void iq4Weights(int size, const float* x, const float* qw, float* weight) noexcept {
    float sigma2 = 0;
    for (int j = 0; j < size; ++j)
        sigma2 += x[j] * x[j];
    sigma2 *= 2.0f / float(size);
    for (int j = 0; j < size; ++j)
        weight[j] = qw ? qw[j] * std::sqrt(sigma2 + x[j] * x[j]) : x[j] * x[j];
}

// nearestLevel(16, kIq4nlValues, scale * x[j]) for 32 values, without branches: inside the
// codebook's range the entry at or below a value is found by counting, which picks what the binary
// search picks; a NaN gets the last entry, as the binary search gives it.
[[gnu::always_inline]] inline void iq4Indices(const float* x, float scale, uint8_t* L) noexcept {
    using namespace simd;
    const int8_t* v = iq::kIq4nlValues;
    for (int k = 0; k < 4; ++k) {
        F8 xs;
        std::memcpy(&xs, x + 8 * k, sizeof xs);
        xs = xs * splat(scale);
        I8 count = splat(0);
        F8 lower = splat(float(v[0])), upper = splat(float(v[15]));
        for (int e = 1; e < 15; ++e) {
            const I8 atOrBelow = splat(float(v[e])) <= xs;
            count -= atOrBelow; // masks are -1 where true
            lower = atOrBelow ? splat(float(v[e])) : lower;
        }
        for (int e = 14; e > 0; --e)
            upper = splat(float(v[e])) > xs ? splat(float(v[e])) : upper;
        I8 index = (xs - lower < upper - xs) ? count : count + 1;
        index = xs >= splat(float(v[15])) ? splat(15) : index;
        index = xs <= splat(float(v[0])) ? splat(0) : index;
        index = xs != xs ? splat(15) : index;
        const auto bytes8 = __builtin_convertvector(index, Bytes8);
        std::memcpy(L + 8 * k, &bytes8, 8);
    }
}

// Stores a super-block given its group scales. IQ4_XS (size 256): d = -max/32 with the largest-
// magnitude group scale, each group scale a 6-bit multiple of d (low nibbles in bytes 4..7, two
// high bits each in the 16-bit field at 2), and indices against the rounded scale. IQ4_NL (size
// 32): the group scale itself as d.
MATRYX_SIMD_KERNEL void iq4Store(int size, const float* x, const float* scales, std::byte* y) noexcept {
    uint8_t L[256];
    uint8_t* q4 = bytes(y + (size == 32 ? 2 : 8));
    if (size > 32) {
        float maxScale = 0, amaxScale = 0;
        for (int g = 0; g < size / 32; ++g)
            if (std::fabs(scales[g]) > amaxScale) {
                amaxScale = std::fabs(scales[g]);
                maxScale = scales[g];
            }
        const float d = -maxScale / 32;
        storeU16(y, f32ToFp16(d));
        const float id = d != 0.0f ? 1 / d : 0.0f;
        uint8_t* scalesLow = bytes(y + 4);
        uint16_t high = 0;
        for (int g = 0; g < size / 32; ++g) {
            int l = cMax(-32, cMin(31, nearestInt(id * scales[g])));
            const float dl = d * float(l);
            iq4Indices(x + 32 * g, dl != 0.0f ? 1 / dl : 0.0f, L + 32 * g);
            l += 32;
            if (g % 2 == 0)
                scalesLow[g / 2] = uint8_t(l & 0xf);
            else
                scalesLow[g / 2] = uint8_t(scalesLow[g / 2] | ((l & 0xf) << 4));
            high = uint16_t(high | ((l >> 4) << (2 * g)));
        }
        storeU16(y + 2, high);
    } else {
        storeU16(y, f32ToFp16(scales[0]));
        iq4Indices(x, scales[0] != 0.0f ? 1 / scales[0] : 0.0f, L);
    }
    for (int i = 0; i < size / 32; ++i)
        for (int j = 0; j < 16; ++j)
            q4[16 * i + j] = uint8_t(L[32 * i + j] | (L[32 * i + 16 + j] << 4));
}

// `count` super-blocks of `size` values (count * size / 32 groups): sixteen groups at a time
// through the lanes, the rest one by one.
void iq4Row(int size, int blockBytes, const float* x, std::byte* y, int64_t count, const float* qw) noexcept {
    const int perLanes = kLanes * 32 / size; // super-blocks per lane batch
    float weight[kLanes * 32], scales[kLanes];
    int64_t b = 0;
    for (; b + perLanes <= count; b += perLanes) {
        for (int k = 0; k < perLanes; ++k)
            iq4Weights(size, x + size * (b + k), qw ? qw + size * (b + k) : nullptr, weight + size * k);
        iq4ScaleLanes(x + size * b, weight, scales);
        for (int k = 0; k < perLanes; ++k)
            iq4Store(size, x + size * (b + k), scales + size / 32 * k, y + blockBytes * (b + k));
    }
    for (; b < count; ++b) {
        iq4Weights(size, x + size * b, qw ? qw + size * b : nullptr, weight);
        for (int g = 0; g < size / 32; ++g)
            scales[g] = iq4Scale(x + size * b + 32 * g, weight + 32 * g);
        iq4Store(size, x + size * b, scales, y + blockBytes * b);
    }
}

} // namespace

void iq4_nl(const float* x, std::byte* y, int64_t n, const float* qw) noexcept {
    iq4Row(32, 18, x, y, n / 32, qw);
}

void iq4_xs(const float* x, std::byte* y, int64_t n, const float* qw) noexcept {
    iq4Row(256, 136, x, y, n / 256, qw);
}

} // namespace matryx::quantizers
