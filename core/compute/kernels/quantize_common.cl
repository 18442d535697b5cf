// Shared by the quantization kernels: ggml's rounding rules and the fp16 store, written so that
// each gives the bits the CPU quantizers (tensor/quantize_kernels.h) give on x86-64, for every
// input including NaN, infinities and values C leaves undefined. Needs common.cl before it (FP
// contraction off) and a build with -cl-fp32-correctly-rounded-divide-sqrt.

// ggml's nearest_int: adding 1.5 * 2^23 leaves the value rounded to nearest even in the low
// mantissa bits; beyond 2^22 (and for NaN) the same arbitrary integer the CPU gets.
inline int nearest_int(float v) {
    const float shifted = v + 12582912.0f;
    return (int)(as_uint(shifted) & 0x007fffffu) - 0x00400000;
}

// x86-64's cvttss2si: toward zero, INT_MIN for NaN and anything out of range.
inline int trunc_to_int(float v) { return (v >= -2147483648.0f && v < 2147483648.0f) ? (int)v : INT_MIN; }

// trunc_to_int(roundf(v)): halves away from zero (round() is exact in OpenCL C).
inline int round_to_int(float v) {
    return (v >= -2147483648.0f && v < 2147483648.0f) ? (int)round(v) : INT_MIN;
}

// The int8_t a C cast gives on x86-64: the low byte, sign-extended.
inline int low_byte_signed(int v) { return as_int(as_uint(v) << 24) >> 24; }

// f32 -> IEEE binary16 bits, round to nearest even; NaN gives 0x7E00 with the sign.
inline uint f32_to_fp16_bits(float f) {
    const uint bits = as_uint(f);
    const uint sign = (bits >> 16) & 0x8000u;
    const uint mag = bits & 0x7fffffffu;
    uint out;
    if (mag > 0x7f800000u)
        out = 0x7e00u;
    else if (mag >= 0x477ff000u) // 65520 and above round to infinity
        out = 0x7c00u;
    else if (mag < 0x38800000u) // subnormal: 0.5 + v rounds v to fp16's 2^-24 grid
        out = as_uint(as_float(mag) + 0.5f) - 0x3f000000u;
    else
        out = (mag - 0x38000000u + 0xfffu + ((mag >> 13) & 1u)) >> 13;
    return sign | out;
}

inline void store_u16(__global uchar* p, uint v) {
    p[0] = (uchar)(v & 0xffu);
    p[1] = (uchar)((v >> 8) & 0xffu);
}

inline void store_u32(__global uchar* p, uint v) {
    p[0] = (uchar)(v & 0xffu);
    p[1] = (uchar)((v >> 8) & 0xffu);
    p[2] = (uchar)((v >> 16) & 0xffu);
    p[3] = (uchar)(v >> 24);
}

// Stores f as fp16 and returns the value the fp16 holds, which ggml reads back before using it.
inline float store_fp16(__global uchar* p, float f) {
    const uint h = f32_to_fp16_bits(f);
    store_u16(p, h);
    return fp16_to_f32(h);
}

// Smallest group maximum treated as non-zero (ggml's GROUP_MAX_EPS).
#define GROUP_MAX_EPS 1e-15f
