// Shared by every Matryx program: little-endian loads from byte buffers and the narrow float
// formats, all in integer arithmetic. Results never depend on whether the device keeps or
// flushes denormals: fp16 subnormals become normal f32 values and are built bit by bit here.

#pragma OPENCL FP_CONTRACT OFF

inline uint load_u16(const __global uchar* p) { return (uint)p[0] | ((uint)p[1] << 8); }

inline uint load_u32(const __global uchar* p) {
    return (uint)p[0] | ((uint)p[1] << 8) | ((uint)p[2] << 16) | ((uint)p[3] << 24);
}

// IEEE binary16 bits -> f32 bits: exact for every value; a NaN keeps its sign and payload and
// gets the quiet bit, as the F16C instruction does.
inline uint fp16_bits_to_f32_bits(uint h) {
    const uint sign = (h & 0x8000u) << 16;
    const uint exponent = (h >> 10) & 0x1fu;
    const uint mantissa = h & 0x3ffu;
    if (exponent == 0x1fu)
        return sign | 0x7f800000u | (mantissa << 13) | (mantissa != 0u ? 0x00400000u : 0u);
    if (exponent != 0u)
        return sign | ((exponent + 112u) << 23) | (mantissa << 13);
    if (mantissa == 0u)
        return sign;
    // A subnormal m * 2^-24 with its top bit at position p is 2^(p - 24) * 1.f.
    const uint p = 31u - clz(mantissa);
    return sign | ((p + 103u) << 23) | ((mantissa << (23u - p)) & 0x007fffffu);
}

inline float fp16_to_f32(uint h) { return as_float(fp16_bits_to_f32_bits(h)); }

inline float load_fp16(const __global uchar* p) { return fp16_to_f32(load_u16(p)); }
