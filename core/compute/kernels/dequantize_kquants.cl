// K-quants Q2_K .. Q6_K and IQ4_XS: super-blocks of 256 values (layouts: ggml-common.h).
//
// 32 work-items per super-block: item l writes values l, l + 32, ..., l + 224, so neighbouring
// items write neighbouring floats. Value p's sub-block scale, quant and bit positions are
// derived from p directly; the arithmetic per value is the reference's, in its order. Every
// product here is exact (an fp16 times small integers), which keeps the result bit-identical
// to the CPU path whether or not a compiler would fuse a multiply and an add.

#define KQUANT_INDEX(bytes)                                \
    const uint gid = get_global_id(0);                     \
    const uint b = gid >> 5;                               \
    const uint l = gid & 31u;                              \
    if (b >= blocks)                                       \
        return;                                            \
    const __global uchar* x = src + (size_t)b * (bytes);   \
    __global float* y = dst + (size_t)b * 256u;

// Scale and min of sub-block j (0..7) of Q4_K and Q5_K, six bits each, packed into 12 bytes.
inline void scale_min_k4(uint j, const __global uchar* q, uint* scale, uint* min) {
    if (j < 4u) {
        *scale = q[j] & 63u;
        *min = q[j + 4u] & 63u;
    } else {
        *scale = (q[j + 4u] & 15u) | ((q[j - 4u] >> 6) << 4);
        *min = (q[j + 4u] >> 4) | ((q[j] >> 6) << 4);
    }
}

// Q2_K: scales[16], qs[64], d, dmin.
__kernel void dequantize_q2_K(const __global uchar* src, __global float* dst, uint blocks) {
    KQUANT_INDEX(84u)
    const __global uchar* scales = x;
    const __global uchar* qs = x + 16;
    const float d = load_fp16(x + 80);
    const float dmin = load_fp16(x + 82);
    for (uint k = 0; k < 8u; ++k) {
        const uint p = l + 32u * k;
        const uint sc = scales[p >> 4];
        const float dl = d * (float)(sc & 15u);
        const float ml = dmin * (float)(sc >> 4);
        const uint q = (qs[32u * (p >> 7) + l] >> (2u * ((p >> 5) & 3u))) & 3u;
        y[p] = dl * (float)q - ml;
    }
}

// Q3_K: hmask[32], qs[64], scales[12] (16 six-bit scales, offset 32), d.
__kernel void dequantize_q3_K(const __global uchar* src, __global float* dst, uint blocks) {
    KQUANT_INDEX(110u)
    const __global uchar* hmask = x;
    const __global uchar* qs = x + 32;
    const __global uchar* packed = x + 96;
    const float d = load_fp16(x + 108);
    for (uint k = 0; k < 8u; ++k) {
        const uint p = l + 32u * k;
        const uint i = p >> 4;
        const uint low = (i < 8u ? packed[i] : packed[i - 8u] >> 4) & 15u;
        const uint high = (packed[8u + (i & 3u)] >> (2u * (i >> 2))) & 3u;
        const float s = d * (float)((int)(low | (high << 4)) - 32);
        const uint part = p >> 7;
        const uint j = (p >> 5) & 3u;
        const int v = (int)((qs[32u * part + l] >> (2u * j)) & 3u) - (int)(((hmask[l] >> (4u * part + j)) & 1u) ^ 1u) * 4;
        y[p] = s * (float)v;
    }
}

// Q4_K: d, dmin, scales[12], qs[128].
__kernel void dequantize_q4_K(const __global uchar* src, __global float* dst, uint blocks) {
    KQUANT_INDEX(144u)
    const float d = load_fp16(x);
    const float dmin = load_fp16(x + 2);
    const __global uchar* scales = x + 4;
    const __global uchar* qs = x + 16;
    for (uint k = 0; k < 8u; ++k) {
        const uint p = l + 32u * k;
        const uint sub = p >> 5;
        uint sc, m;
        scale_min_k4(sub, scales, &sc, &m);
        const float d1 = d * (float)sc;
        const float m1 = dmin * (float)m;
        const uint q = (qs[32u * (p >> 6) + l] >> (4u * (sub & 1u))) & 15u;
        y[p] = d1 * (float)q - m1;
    }
}

// Q5_K: d, dmin, scales[12], qh[32], qs[128].
__kernel void dequantize_q5_K(const __global uchar* src, __global float* dst, uint blocks) {
    KQUANT_INDEX(176u)
    const float d = load_fp16(x);
    const float dmin = load_fp16(x + 2);
    const __global uchar* scales = x + 4;
    const __global uchar* qh = x + 16;
    const __global uchar* qs = x + 48;
    for (uint k = 0; k < 8u; ++k) {
        const uint p = l + 32u * k;
        const uint sub = p >> 5;
        uint sc, m;
        scale_min_k4(sub, scales, &sc, &m);
        const float d1 = d * (float)sc;
        const float m1 = dmin * (float)m;
        const uint q = ((qs[32u * (p >> 6) + l] >> (4u * (sub & 1u))) & 15u) | (((qh[l] >> sub) & 1u) << 4);
        y[p] = d1 * (float)q - m1;
    }
}

// Q6_K: ql[128] (low nibbles), qh[64] (high 2 bits), scales[16] (int8), d.
__kernel void dequantize_q6_K(const __global uchar* src, __global float* dst, uint blocks) {
    KQUANT_INDEX(210u)
    const __global uchar* ql = x;
    const __global uchar* qh = x + 128;
    const __global char* sc = (const __global char*)(x + 192);
    const float d = load_fp16(x + 208);
    for (uint k = 0; k < 8u; ++k) {
        const uint p = l + 32u * k;
        const uint part = p >> 7;
        const uint quarter = (p >> 5) & 3u;
        const uint low = (ql[64u * part + 32u * (quarter & 1u) + l] >> (4u * (quarter >> 1))) & 15u;
        const uint high = (qh[32u * part + l] >> (2u * quarter)) & 3u;
        const float s = d * (float)sc[p >> 4];
        y[p] = s * (float)((int)(low | (high << 4)) - 32);
    }
}

// IQ4_XS: d, scales_h (u16, 2 high bits per sub-block), scales_l[4] (nibbles), qs[128].
__constant char kIq4xsValues[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

__kernel void dequantize_iq4_xs(const __global uchar* src, __global float* dst, uint blocks) {
    KQUANT_INDEX(136u)
    const float d = load_fp16(x);
    const uint scalesH = load_u16(x + 2);
    const __global uchar* scalesL = x + 4;
    const __global uchar* qs = x + 8;
    for (uint k = 0; k < 8u; ++k) {
        const uint ib = k; // sub-block of 32 values: p >> 5 == k
        const uint p = l + 32u * k;
        const uint ls = ((scalesL[ib >> 1] >> (4u * (ib & 1u))) & 15u) | (((scalesH >> (2u * ib)) & 3u) << 4);
        const float dl = d * (float)((int)ls - 32);
        const uint q = (qs[16u * ib + (l & 15u)] >> (4u * (l >> 4))) & 15u;
        y[p] = dl * (float)kIq4xsValues[q];
    }
}
