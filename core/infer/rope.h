#pragma once

// Rotary position embeddings as llama.cpp computes them (ggml's rope without YaRN extrapolation):
// for pair i of the rotated dimensions, the angle is position * base^(-2i/dims), divided by the
// pair's frequency factor (llama3's rope_freqs) and multiplied by freqScale (linear scaling).
// The angles are built by repeated f32 multiplication like ggml's, so that the cosines match, and
// the rotation rounds like llama.cpp's build of it (each first product fused with the sum).

#include "infer/model_config.h"

#include <cstdint>

namespace matryx {

struct RopeParams {
    int64_t dims = 0; // rotated dimensions per head (even)
    RopeOrder order = RopeOrder::Adjacent;
    float freqBase = 10000.0f;
    float freqScale = 1.0f;
    const float* factors = nullptr; // dims / 2 frequency divisors, or null
};

// Writes dims floats for one position: cos and sin of each pair's angle, interleaved.
void ropeAngles(const RopeParams& params, int64_t position, float* table);

// Rotates the first `dims` values of each of `heads` heads, stored headDim apart from x, by the
// angles in `table` (from ropeAngles); the rest of each head is left as it is.
void applyRope(const RopeParams& params, const float* table, float* x, int64_t heads, int64_t headDim);

} // namespace matryx
