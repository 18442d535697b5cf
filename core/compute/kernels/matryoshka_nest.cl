// Matryoshka nesting (quant/matryoshka_quantizer.h), one work-item per group of 32 values: the
// same candidate search, in the same order and roundings, as nestValues on the CPU, so that the
// codes, scales and minimums are the same bits. Needs common.cl (FP contraction off) and
// quantize_common.cl before it, and -cl-fp32-correctly-rounded-divide-sqrt.
//
// Output per group: 32 codes (q - 128, int8), then the fp16 scale and the fp16 minimum.

#define MQ_GROUP 32
#define MQ_GROUP_BYTES 36
#define MQ_FP16_MAX 65504.0f
#define MQ_MAX_SCALE 4094.0f

__constant float kMqShrinks[4] = {0.0f, 1.0f / 32, 1.0f / 16, 1.0f / 8};
__constant float kMqSteps[4] = {255.0f, 240.0f, 224.0f, 192.0f};
__constant int kMqWidths[3] = {8, 4, 2};

// std::clamp(v, lo, hi) as C++ evaluates it (NaN passes through; OpenCL's clamp would not).
inline float mq_clamp(float v, float lo, float hi) { return v < lo ? lo : (hi < v ? hi : v); }

inline uint mq_slice(uint q, int bits) {
    const int shift = 8 - bits;
    const uint top = (1u << bits) - 1u;
    const uint rounded = shift == 0 ? q : (q + (1u << (shift - 1))) >> shift;
    return rounded < top ? rounded : top;
}

// The code of x on the grid (s, m): (uint8_t)(clamped + 0.5f), which truncates.
inline uint mq_code(float x, float m, float inv) {
    const float v = fmin(fmax((x - m) * inv, 0.0f), 255.0f);
    return (uint)(v + 0.5f);
}

// One candidate: its fp16 scale and minimum and the squared errors of the 8-, 4- and 2-bit slices.
inline void mq_evaluate(const float* x, float scale, float min, uint* hs, uint* hm, float* sse) {
    *hs = f32_to_fp16_bits(mq_clamp(scale, 0.0f, MQ_MAX_SCALE));
    *hm = f32_to_fp16_bits(mq_clamp(min, -MQ_FP16_MAX, MQ_FP16_MAX));
    const float s = fp16_to_f32(*hs), m = fp16_to_f32(*hm);
    const float inv = s > 0.0f ? 1.0f / s : 0.0f;
    float steps[3];
    for (int k = 0; k < 3; ++k) {
        steps[k] = s * (float)(1 << (8 - kMqWidths[k]));
        sse[k] = 0.0f;
    }
    for (int j = 0; j < MQ_GROUP; ++j) {
        const uint q = mq_code(x[j], m, inv);
        for (int k = 0; k < 3; ++k) {
            const float e = x[j] - ((float)mq_slice(q, kMqWidths[k]) * steps[k] + m);
            sse[k] += e * e;
        }
    }
}

__kernel void nest_matryoshka(const __global float* src, __global uchar* dst, uint groups) {
    const uint g = get_global_id(0);
    if (g >= groups)
        return;
    const __global float* in = src + (size_t)g * MQ_GROUP;
    float x[MQ_GROUP];
    for (int j = 0; j < MQ_GROUP; ++j) {
        const float v = in[j];
        x[j] = isnan(v) ? 0.0f : mq_clamp(v, -MQ_FP16_MAX, MQ_FP16_MAX);
    }
    // std::minmax_element: the first smallest and the last largest, which decides the sign of a
    // zero range.
    float lo = x[0], hi = x[0];
    for (int j = 1; j < MQ_GROUP; ++j) {
        if (x[j] < lo)
            lo = x[j];
        if (!(x[j] < hi))
            hi = x[j];
    }
    const float range = hi - lo;

    uint bestScale, bestMin;
    float sse[3];
    mq_evaluate(x, range / 255.0f, lo, &bestScale, &bestMin, sse);
    float weight[3];
    for (int k = 0; k < 3; ++k)
        weight[k] = 1.0f / (sse[k] < FLT_MIN ? FLT_MIN : sse[k]);
    float bestCost = 3.0f;
    if (range > 0.0f) {
        for (int a = 0; a < 4; ++a) {
            for (int b = 0; b < 4; ++b) {
                const float shrink = kMqShrinks[a], steps = kMqSteps[b];
                if (shrink == 0.0f && steps == 255.0f)
                    continue; // the baseline, already in
                const float from = lo + shrink * range;
                uint hs, hm;
                mq_evaluate(x, (range - 2.0f * shrink * range) / steps, from, &hs, &hm, sse);
                float cost = 0.0f;
                for (int k = 0; k < 3; ++k)
                    cost += sse[k] * weight[k];
                if (cost < bestCost) {
                    bestCost = cost;
                    bestScale = hs;
                    bestMin = hm;
                }
            }
        }
    }
    const float s = fp16_to_f32(bestScale), m = fp16_to_f32(bestMin);
    const float inv = s > 0.0f ? 1.0f / s : 0.0f;
    __global uchar* out = dst + (size_t)g * MQ_GROUP_BYTES;
    for (int j = 0; j < MQ_GROUP; ++j)
        out[j] = (uchar)((mq_code(x[j], m, inv) - 128u) & 0xffu);
    store_u16(out + MQ_GROUP, bestScale);
    store_u16(out + MQ_GROUP + 2, bestMin);
}
