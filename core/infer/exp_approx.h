#pragma once

// exp(x) the way ggml's CPU backend computes it in vectors (softmax, SiLU): x = n ln2 + b with n
// rounded through the 1.5 * 2^23 trick, a degree-5 polynomial in b, and the exponent added to
// the bits, with separate paths past |n| > 126 (subnormal and overflow) and |n| > 192 (0 or
// infinity). Within about 1.5 ulp of exp, and bit for bit what llama.cpp's AVX2 build computes,
// which attention needs for agreement: a last-bit change in a softmax weight moves logits of a
// Q4 model visibly. An AVX2 kernel is used when the CPU has it; the scalar path gives the same
// bits.

#include <cstdint>

namespace matryx {

float expApprox(float x) noexcept;

// y[i] = expApprox(x[i] - shift) for i < n; y may equal x.
void expApprox(const float* x, float* y, int64_t n, float shift) noexcept;

// gate[i] = gate[i] / (1 + expApprox(-gate[i])) * up[i]: ggml's SwiGLU on groups of 8 values;
// what is left after the last group uses std::exp, as ggml's does.
void swigluApprox(float* gate, const float* up, int64_t n) noexcept;

} // namespace matryx
