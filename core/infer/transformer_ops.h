#pragma once

// The element-wise and per-row steps of a transformer layer, with llama.cpp's CPU numerics where
// they matter for agreement: RMSNorm sums squares in double, GELU goes through fp16 like ggml's
// lookup table, soft-capping scales by the reciprocal before tanh. SwiGLU is in exp_approx.h.

#include <cstdint>

namespace matryx {

// out = x / sqrt(mean(x^2) + eps) * weight over n values (weight may be null: no scaling).
// out may equal x.
void rmsNorm(const float* x, const float* weight, float* out, int64_t n, float eps) noexcept;

// gate[i] = gelu(gate[i]) * up[i] (GeGLU, tanh approximation), in place in gate.
void geglu(float* gate, const float* up, int64_t n) noexcept;

// x[i] = cap * tanh(x[i] / cap).
void softcap(float* x, int64_t n, float cap) noexcept;

// x[i] += y[i]
void addInPlace(float* x, const float* y, int64_t n) noexcept;

// x[i] *= s
void scaleInPlace(float* x, int64_t n, float s) noexcept;

} // namespace matryx
