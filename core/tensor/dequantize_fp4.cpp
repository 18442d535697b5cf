// FP4 (E2M1) block formats: MXFP4 (32 values, one E8M0 scale) and NVFP4 (64 values, four UE4M3
// scales of 16 values each). The E2M1 levels are stored doubled, so both scales are halved.

#include "tensor/dequantize_kernels.h"
#include "tensor/tables/iq_tables.h"

namespace matryx::kernels {

MATRYX_KERNEL void mxfp4(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 17, dst += 32) {
        const float d = e8m0ToF32Half(u8(src));
        const uint8_t* qs = bytes(src + 1);
        for (int j = 0; j < 16; ++j) {
            dst[j] = float(iq::kFp4Values[qs[j] & 0x0f]) * d;
            dst[j + 16] = float(iq::kFp4Values[qs[j] >> 4]) * d;
        }
    }
}

MATRYX_KERNEL void nvfp4(const std::byte* src, float* dst, int64_t blocks) noexcept {
    for (int64_t b = 0; b < blocks; ++b, src += 36, dst += 64) {
        const uint8_t* qs = bytes(src + 4);
        for (int s = 0; s < 4; ++s) {
            const float d = ue4m3ToF32Half(u8(src + s));
            const uint8_t* q = qs + 8 * s;
            float* y = dst + 16 * s;
            for (int j = 0; j < 8; ++j) {
                y[j] = float(iq::kFp4Values[q[j] & 0x0f]) * d;
                y[j + 8] = float(iq::kFp4Values[q[j] >> 4]) * d;
            }
        }
    }
}

} // namespace matryx::kernels
