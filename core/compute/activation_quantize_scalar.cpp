// Portable conversion of activation rows to the types weights are multiplied with. The results
// are the bytes ggml's CPU backend produces on x86-64 with AVX2 (what llama.cpp runs on the
// machines Matryx is compared on): Q8_0 and Q8_1 scale by 127 / max|x| and round half to even
// (quantize_row_q8_0 / q8_1 in ggml-cpu's x86 quants.c, which differ from the reference
// quantizers' 1 / d and round-half-away); Q8_K follows quantize_row_q8_K_ref.

#include "compute/dot_kernels.h"
#include "compute/quant_blocks.h"
#include "tensor/float_convert.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace matryx::dot {
namespace {

using namespace blocks;

// Round to nearest, ties to even, for |v| < 2^22, by the float adder's own rounding.
inline int roundEven(float v) noexcept {
    const float shifted = v + 12582912.0f; // 1.5 * 2^23
    uint32_t bits;
    std::memcpy(&bits, &shifted, 4);
    return int(bits & 0x007fffffu) - 0x00400000;
}

inline void storeU16(std::byte* p, uint16_t v) noexcept {
    std::memcpy(p, &v, 2);
}

struct BlockScale {
    float d; // max|x| / 127, before rounding to fp16
    int sum; // sum of the quantized values
};

// One 32-value block: writes d (as fp16) and the values.
BlockScale quantizeBlock32(const float* x, std::byte* d, int8_t* q) noexcept {
    float amax = 0.0f;
    for (int j = 0; j < kQk; ++j)
        amax = std::max(amax, std::fabs(x[j]));
    const float scale = amax / 127.0f;
    const float inverse = amax != 0.0f ? 127.0f / amax : 0.0f;
    storeU16(d, f32ToFp16(scale));
    int sum = 0;
    for (int j = 0; j < kQk; ++j) {
        const int v = std::clamp(roundEven(x[j] * inverse), -128, 127);
        q[j] = int8_t(v);
        sum += v;
    }
    return {scale, sum};
}

void quantizeQ8_0(const float* x, std::byte* out, int64_t k) noexcept {
    for (int64_t b = 0; b < k / kQk; ++b) {
        std::byte* block = out + size_t(b) * Q8_0::bytes;
        quantizeBlock32(x + b * kQk, block + Q8_0::d, reinterpret_cast<int8_t*>(block + Q8_0::qs));
    }
}

void quantizeQ8_1(const float* x, std::byte* out, int64_t k) noexcept {
    for (int64_t b = 0; b < k / kQk; ++b) {
        std::byte* block = out + size_t(b) * Q8_1::bytes;
        const BlockScale s =
            quantizeBlock32(x + b * kQk, block + Q8_1::d, reinterpret_cast<int8_t*>(block + Q8_1::qs));
        storeU16(block + Q8_1::s, f32ToFp16(s.d * float(s.sum)));
    }
}

void quantizeQ8_K(const float* x, std::byte* out, int64_t k) noexcept {
    for (int64_t b = 0; b < k / kQkK; ++b) {
        const float* v = x + b * kQkK;
        std::byte* block = out + size_t(b) * Q8_K::bytes;
        int8_t* q = reinterpret_cast<int8_t*>(block + Q8_K::qs);
        // The value of largest magnitude, with its sign; the first one wins a tie.
        float max = 0.0f, amax = 0.0f;
        for (int j = 0; j < kQkK; ++j) {
            const float ax = std::fabs(v[j]);
            if (ax > amax) {
                amax = ax;
                max = v[j];
            }
        }
        int16_t bsums[16] = {};
        float d = 0.0f;
        if (amax == 0.0f) {
            std::memset(q, 0, kQkK);
        } else {
            const float iscale = -127.0f / max;
            for (int j = 0; j < kQkK; ++j) {
                q[j] = int8_t(std::min(127, roundEven(iscale * v[j])));
                bsums[j / 16] = int16_t(bsums[j / 16] + q[j]);
            }
            d = 1.0f / iscale;
        }
        std::memcpy(block + Q8_K::d, &d, 4);
        std::memcpy(block + Q8_K::bsums, bsums, sizeof bsums);
    }
}

void quantizeF16(const float* x, std::byte* out, int64_t k) noexcept {
    for (int64_t i = 0; i < k; ++i)
        storeU16(out + 2 * i, f32ToFp16(x[i]));
}

void quantizeBf16(const float* x, std::byte* out, int64_t k) noexcept {
    for (int64_t i = 0; i < k; ++i)
        storeU16(out + 2 * i, f32ToBf16(x[i]));
}

void copyF32(const float* x, std::byte* out, int64_t k) noexcept {
    std::memcpy(out, x, size_t(k) * 4);
}

} // namespace

QuantizeRowFn scalarQuantizeRow(TensorType activation) noexcept {
    switch (activation) {
    case TensorType::Q8_0:
        return quantizeQ8_0;
    case TensorType::Q8_1:
        return quantizeQ8_1;
    case TensorType::Q8_K:
        return quantizeQ8_K;
    case TensorType::F16:
        return quantizeF16;
    case TensorType::BF16:
        return quantizeBf16;
    case TensorType::F32:
        return copyF32;
    default:
        return nullptr;
    }
}

} // namespace matryx::dot
