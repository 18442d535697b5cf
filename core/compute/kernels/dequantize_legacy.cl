// The 32-value block formats Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 (layouts: ggml-common.h).
//
// 16 work-items per block: item j writes values j and j + 16, so neighbouring items write
// neighbouring floats. Each value is computed with the products and sums of ggml's reference
// dequantize_row_* in the same order; all of them are exact except the final "+ m", and FP
// contraction is off, so the result is bit-identical to the CPU path.

#define LEGACY_INDEX                              \
    const uint gid = get_global_id(0);            \
    const uint b = gid >> 4;                      \
    const uint j = gid & 15u;                     \
    if (b >= blocks)                              \
        return;                                   \
    __global float* y = dst + (size_t)b * 32u;

__kernel void dequantize_q4_0(const __global uchar* src, __global float* dst, uint blocks) {
    LEGACY_INDEX
    const __global uchar* x = src + (size_t)b * 18u;
    const float d = load_fp16(x);
    const uint q = x[2 + j];
    y[j] = (float)((int)(q & 15u) - 8) * d;
    y[j + 16] = (float)((int)(q >> 4) - 8) * d;
}

__kernel void dequantize_q4_1(const __global uchar* src, __global float* dst, uint blocks) {
    LEGACY_INDEX
    const __global uchar* x = src + (size_t)b * 20u;
    const float d = load_fp16(x);
    const float m = load_fp16(x + 2);
    const uint q = x[4 + j];
    y[j] = (float)(q & 15u) * d + m;
    y[j + 16] = (float)(q >> 4) * d + m;
}

__kernel void dequantize_q5_0(const __global uchar* src, __global float* dst, uint blocks) {
    LEGACY_INDEX
    const __global uchar* x = src + (size_t)b * 22u;
    const float d = load_fp16(x);
    const uint qh = load_u32(x + 2);
    const uint q = x[6 + j];
    const int lo = (int)((q & 15u) | (((qh >> j) << 4) & 0x10u));
    const int hi = (int)((q >> 4) | ((qh >> (j + 12u)) & 0x10u));
    y[j] = (float)(lo - 16) * d;
    y[j + 16] = (float)(hi - 16) * d;
}

__kernel void dequantize_q5_1(const __global uchar* src, __global float* dst, uint blocks) {
    LEGACY_INDEX
    const __global uchar* x = src + (size_t)b * 24u;
    const float d = load_fp16(x);
    const float m = load_fp16(x + 2);
    const uint qh = load_u32(x + 4);
    const uint q = x[8 + j];
    const uint lo = (q & 15u) | (((qh >> j) << 4) & 0x10u);
    const uint hi = (q >> 4) | ((qh >> (j + 12u)) & 0x10u);
    y[j] = (float)lo * d + m;
    y[j + 16] = (float)hi * d + m;
}

__kernel void dequantize_q8_0(const __global uchar* src, __global float* dst, uint blocks) {
    LEGACY_INDEX
    const __global uchar* x = src + (size_t)b * 34u;
    const float d = load_fp16(x);
    y[j] = (float)(char)x[2 + j] * d;
    y[j + 16] = (float)(char)x[18 + j] * d;
}

// IQ4_NL: Q4_0's layout with the nibbles indexing a fixed non-linear codebook.
__constant char kIq4nlValues[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

__kernel void dequantize_iq4_nl(const __global uchar* src, __global float* dst, uint blocks) {
    LEGACY_INDEX
    const __global uchar* x = src + (size_t)b * 18u;
    const float d = load_fp16(x);
    const uint q = x[2 + j];
    y[j] = d * (float)kIq4nlValues[q & 15u];
    y[j + 16] = d * (float)kIq4nlValues[q >> 4];
}
