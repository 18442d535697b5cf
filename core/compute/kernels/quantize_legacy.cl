// f32 -> the 32-value block formats Q8_0, Q4_0, Q4_1, Q5_0, Q5_1 without importance (ggml's
// quantize_row_*_ref), one work-item per block. Comparisons run in ggml's order, so ties and NaNs
// pick what the CPU picks; every product and sum is the CPU's, rounded on its own.

#define QUANTIZE_INDEX(BYTES)                       \
    const uint b = get_global_id(0);                \
    if (b >= blocks)                                \
        return;                                     \
    const __global float* x = src + (size_t)b * 32u; \
    __global uchar* y = dst + (size_t)b * BYTES;

// The value with the largest magnitude, the first on ties; NaN never wins. +0 when all are zero.
inline float signed_abs_max32(const __global float* x) {
    float amax = 0.0f, max = 0.0f;
    for (int j = 0; j < 32; ++j) {
        const float v = x[j];
        if (amax < fabs(v)) {
            amax = fabs(v);
            max = v;
        }
    }
    return max;
}

// Smallest and largest values as ggml's sequential comparisons find them (NaN ignored).
inline float2 block_range32(const __global float* x) {
    float min = FLT_MAX, max = -FLT_MAX;
    for (int j = 0; j < 32; ++j) {
        const float v = x[j];
        if (v < min)
            min = v;
        if (v > max)
            max = v;
    }
    return (float2)(min, max);
}

// min(top, int8_t(t)) as the 4- and 5-bit codes compute it, then the low byte.
inline uint clamped_code(float t, int top) {
    const int narrowed = low_byte_signed(trunc_to_int(t));
    return (uint)(narrowed > top ? top : narrowed) & 0xffu;
}

// Values j and j + 16 share byte j of qs; the fifth bits go to qh, value j at bit j.
inline void pack_five_bit(const uint* levels, __global uchar* qh, __global uchar* qs) {
    uint high = 0;
    for (int j = 0; j < 16; ++j) {
        const uint lo = levels[j], hi = levels[j + 16];
        qs[j] = (uchar)(((lo & 0x0fu) | ((hi & 0x0fu) << 4)) & 0xffu);
        high |= ((lo & 0x10u) >> 4) << j;
        high |= ((hi & 0x10u) >> 4) << (j + 16);
    }
    store_u32(qh, high);
}

__kernel void quantize_q8_0(const __global float* src, __global uchar* dst, uint blocks) {
    QUANTIZE_INDEX(34u)
    // ggml's running max lets a NaN through until the next number replaces it.
    float amax = 0.0f;
    for (int j = 0; j < 32; ++j) {
        const float a = fabs(x[j]);
        amax = amax > a ? amax : a;
    }
    const float d = amax / 127;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    store_u16(y, f32_to_fp16_bits(d));
    for (int j = 0; j < 32; ++j)
        y[2 + j] = (uchar)(as_uint(round_to_int(x[j] * id)) & 0xffu);
}

__kernel void quantize_q4_0(const __global float* src, __global uchar* dst, uint blocks) {
    QUANTIZE_INDEX(18u)
    const float d = signed_abs_max32(x) / -8;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    store_u16(y, f32_to_fp16_bits(d));
    for (int j = 0; j < 16; ++j) {
        const uint lo = clamped_code(x[j] * id + 8.5f, 15);
        const uint hi = clamped_code(x[j + 16] * id + 8.5f, 15);
        y[2 + j] = (uchar)((lo | (hi << 4)) & 0xffu);
    }
}

__kernel void quantize_q4_1(const __global float* src, __global uchar* dst, uint blocks) {
    QUANTIZE_INDEX(20u)
    const float2 r = block_range32(x);
    const float d = (r.y - r.x) / 15;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    store_u16(y, f32_to_fp16_bits(d));
    store_u16(y + 2, f32_to_fp16_bits(r.x));
    for (int j = 0; j < 16; ++j) {
        const uint lo = clamped_code((x[j] - r.x) * id + 0.5f, 15);
        const uint hi = clamped_code((x[j + 16] - r.x) * id + 0.5f, 15);
        y[4 + j] = (uchar)((lo | (hi << 4)) & 0xffu);
    }
}

__kernel void quantize_q5_0(const __global float* src, __global uchar* dst, uint blocks) {
    QUANTIZE_INDEX(22u)
    const float d = signed_abs_max32(x) / -16;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    store_u16(y, f32_to_fp16_bits(d));
    uint levels[32];
    for (int j = 0; j < 32; ++j)
        levels[j] = clamped_code(x[j] * id + 16.5f, 31);
    pack_five_bit(levels, y + 2, y + 6);
}

__kernel void quantize_q5_1(const __global float* src, __global uchar* dst, uint blocks) {
    QUANTIZE_INDEX(24u)
    const float2 r = block_range32(x);
    const float d = (r.y - r.x) / 31;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    store_u16(y, f32_to_fp16_bits(d));
    store_u16(y + 2, f32_to_fp16_bits(r.x));
    uint levels[32];
    for (int j = 0; j < 32; ++j) // uint8_t(...): the low byte, no clamp
        levels[j] = as_uint(trunc_to_int((x[j] - r.x) * id + 0.5f)) & 0xffu;
    pack_five_bit(levels, y + 4, y + 8);
}
