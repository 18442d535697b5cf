#include "infer/rope.h"

#include <cmath>

namespace matryx {

void ropeAngles(const RopeParams& params, int64_t position, float* table) {
    const float thetaScale = std::pow(params.freqBase, -2.0f / float(params.dims));
    float theta = float(position);
    for (int64_t i = 0; i < params.dims / 2; ++i) {
        const float factor = params.factors ? params.factors[i] : 1.0f;
        const float angle = params.freqScale * (theta / factor);
        table[2 * i] = std::cos(angle);
        table[2 * i + 1] = std::sin(angle);
        theta *= thetaScale;
    }
}

void applyRope(const RopeParams& params, const float* table, float* x, int64_t heads, int64_t headDim) {
    const int64_t half = params.dims / 2;
    // Adjacent: pair i is (2i, 2i + 1); halves: pair i is (i, i + dims / 2).
    const int64_t stride = params.order == RopeOrder::Adjacent ? 2 : 1;
    const int64_t offset = params.order == RopeOrder::Adjacent ? 1 : half;
    for (int64_t h = 0; h < heads; ++h) {
        float* head = x + h * headDim;
        for (int64_t i = 0; i < half; ++i) {
            const float c = table[2 * i], s = table[2 * i + 1];
            float& a = head[i * stride];
            float& b = head[i * stride + offset];
            const float x0 = a, x1 = b;
            // llama.cpp's build fuses the first product of each line with the addition (one
            // rounding fewer); the last bit decides fp16 roundings in the KV cache.
            a = std::fma(x0, c, -(x1 * s));
            b = std::fma(x0, s, x1 * c);
        }
    }
}

} // namespace matryx
