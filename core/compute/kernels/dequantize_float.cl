// F16 and BF16 to f32, one value per work-item. Both write bit patterns, never float
// arithmetic, so NaN payloads and (for BF16) f32 subnormals come out exactly as stored.

__kernel void dequantize_f16(const __global ushort* src, __global uint* dst, uint n) {
    const uint i = get_global_id(0);
    if (i < n)
        dst[i] = fp16_bits_to_f32_bits(src[i]);
}

__kernel void dequantize_bf16(const __global ushort* src, __global uint* dst, uint n) {
    const uint i = get_global_id(0);
    if (i < n)
        dst[i] = (uint)src[i] << 16;
}
