#include "infer/transformer_ops.h"

#include "tensor/float_convert.h"

#include <array>
#include <memory>
#include <cmath>

namespace matryx {

void rmsNorm(const float* x, const float* weight, float* out, int64_t n, float eps) noexcept {
    double sum = 0.0;
    for (int64_t i = 0; i < n; ++i)
        sum += double(x[i] * x[i]);
    const float mean = float(sum / double(n));
    const float scale = 1.0f / std::sqrt(mean + eps);
    if (weight) {
        for (int64_t i = 0; i < n; ++i)
            out[i] = x[i] * scale * weight[i];
    } else {
        for (int64_t i = 0; i < n; ++i)
            out[i] = x[i] * scale;
    }
}

namespace {

float geluTanh(float x) {
    constexpr float kSqrt2OverPi = 0.79788456080286535587989211986876f;
    constexpr float kCoefficient = 0.044715f;
    // llama.cpp's build fuses the innermost product with its sum; the table keeps that rounding.
    return 0.5f * x * (1.0f + std::tanh(kSqrt2OverPi * x * std::fma(kCoefficient * x, x, 1.0f)));
}

// GELU of every fp16 value, rounded to fp16: ggml's CPU backend evaluates GELU this way, and its
// rounding is visible in Gemma's logits.
const std::array<uint16_t, 65536>& geluTable() {
    static const auto table = [] {
        auto t = std::make_unique<std::array<uint16_t, 65536>>();
        for (uint32_t h = 0; h < 65536; ++h)
            (*t)[h] = f32ToFp16(geluTanh(fp16ToF32(uint16_t(h))));
        return t;
    }();
    return *table;
}

} // namespace

void geglu(float* gate, const float* up, int64_t n) noexcept {
    const auto& table = geluTable();
    for (int64_t i = 0; i < n; ++i) {
        const float g = gate[i];
        float gelu;
        if (g <= -10.0f)
            gelu = 0.0f;
        else if (g >= 10.0f)
            gelu = g;
        else
            gelu = fp16ToF32(table[f32ToFp16(g)]);
        gate[i] = gelu * up[i];
    }
}

void softcap(float* x, int64_t n, float cap) noexcept {
    const float inverse = 1.0f / cap;
    for (int64_t i = 0; i < n; ++i)
        x[i] = std::tanh(x[i] * inverse) * cap;
}

void addInPlace(float* x, const float* y, int64_t n) noexcept {
    for (int64_t i = 0; i < n; ++i)
        x[i] += y[i];
}

void scaleInPlace(float* x, int64_t n, float s) noexcept {
    for (int64_t i = 0; i < n; ++i)
        x[i] *= s;
}

} // namespace matryx
