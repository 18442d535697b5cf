// Portable dot products of the 32-element block types against Q8_0 / Q8_1 activations: integer
// sums per block, scaled in f32 per block, as ggml's generic kernels do.

#include "compute/dot_kernels.h"
#include "compute/quant_blocks.h"
#include "tensor/tables/iq_tables.h"

namespace matryx::dot {
namespace {

using namespace blocks;

// Signed 4-bit value j (0..31) of a Q4_0-style nibble array: low nibbles first, then high.
inline int nibble(const uint8_t* qs, int j) noexcept {
    return j < 16 ? qs[j] & 0xF : qs[j - 16] >> 4;
}

inline int fifthBit(uint32_t qh, int j) noexcept {
    return int((qh >> j) & 1u) << 4;
}

struct DotQ4_0 {
    static constexpr size_t wBytes = Q4_0::bytes, aBytes = Q8_0::bytes;
    static float block(const std::byte* w, const std::byte* a) noexcept {
        const uint8_t* qs = u8s(w + Q4_0::qs);
        const int8_t* y = i8s(a + Q8_0::qs);
        int sum = 0;
        for (int j = 0; j < kQk; ++j)
            sum += (nibble(qs, j) - 8) * y[j];
        return loadFp16(w + Q4_0::d) * loadFp16(a + Q8_0::d) * float(sum);
    }
};

struct DotQ4_1 {
    static constexpr size_t wBytes = Q4_1::bytes, aBytes = Q8_1::bytes;
    static float block(const std::byte* w, const std::byte* a) noexcept {
        const uint8_t* qs = u8s(w + Q4_1::qs);
        const int8_t* y = i8s(a + Q8_1::qs);
        int sum = 0;
        for (int j = 0; j < kQk; ++j)
            sum += nibble(qs, j) * y[j];
        // Q8_1's s is d times the sum of its values: the min times s is the min's share.
        return loadFp16(w + Q4_1::d) * loadFp16(a + Q8_1::d) * float(sum) +
               loadFp16(w + Q4_1::m) * loadFp16(a + Q8_1::s);
    }
};

struct DotQ5_0 {
    static constexpr size_t wBytes = Q5_0::bytes, aBytes = Q8_0::bytes;
    static float block(const std::byte* w, const std::byte* a) noexcept {
        const uint8_t* qs = u8s(w + Q5_0::qs);
        const uint32_t qh = loadU32(w + Q5_0::qh);
        const int8_t* y = i8s(a + Q8_0::qs);
        int sum = 0;
        for (int j = 0; j < kQk; ++j)
            sum += ((nibble(qs, j) | fifthBit(qh, j)) - 16) * y[j];
        return loadFp16(w + Q5_0::d) * loadFp16(a + Q8_0::d) * float(sum);
    }
};

struct DotQ5_1 {
    static constexpr size_t wBytes = Q5_1::bytes, aBytes = Q8_1::bytes;
    static float block(const std::byte* w, const std::byte* a) noexcept {
        const uint8_t* qs = u8s(w + Q5_1::qs);
        const uint32_t qh = loadU32(w + Q5_1::qh);
        const int8_t* y = i8s(a + Q8_1::qs);
        int sum = 0;
        for (int j = 0; j < kQk; ++j)
            sum += (nibble(qs, j) | fifthBit(qh, j)) * y[j];
        return loadFp16(w + Q5_1::d) * loadFp16(a + Q8_1::d) * float(sum) +
               loadFp16(w + Q5_1::m) * loadFp16(a + Q8_1::s);
    }
};

struct DotQ8_0 {
    static constexpr size_t wBytes = Q8_0::bytes, aBytes = Q8_0::bytes;
    static float block(const std::byte* w, const std::byte* a) noexcept {
        const int8_t* x = i8s(w + Q8_0::qs);
        const int8_t* y = i8s(a + Q8_0::qs);
        int sum = 0;
        for (int j = 0; j < kQk; ++j)
            sum += x[j] * y[j];
        return loadFp16(w + Q8_0::d) * loadFp16(a + Q8_0::d) * float(sum);
    }
};

struct DotIq4Nl {
    static constexpr size_t wBytes = Iq4Nl::bytes, aBytes = Q8_0::bytes;
    static float block(const std::byte* w, const std::byte* a) noexcept {
        const uint8_t* qs = u8s(w + Iq4Nl::qs);
        const int8_t* y = i8s(a + Q8_0::qs);
        int sum = 0;
        for (int j = 0; j < kQk; ++j)
            sum += iq::kIq4nlValues[nibble(qs, j)] * y[j];
        return loadFp16(w + Iq4Nl::d) * loadFp16(a + Q8_0::d) * float(sum);
    }
};

template <class Kernel>
void rowDot(const std::byte* w, const std::byte* act, size_t actStride, int cols, float* out,
            size_t outStride, int64_t k) noexcept {
    const int64_t blocks = k / kQk;
    for (int c = 0; c < cols; ++c) {
        const std::byte* a = act + size_t(c) * actStride;
        float sum = 0.0f;
        for (int64_t b = 0; b < blocks; ++b)
            sum += Kernel::block(w + size_t(b) * Kernel::wBytes, a + size_t(b) * Kernel::aBytes);
        out[size_t(c) * outStride] = sum;
    }
}

} // namespace

RowDotFn scalarLegacyRowDot(TensorType weight) noexcept {
    switch (weight) {
    case TensorType::Q4_0:
        return rowDot<DotQ4_0>;
    case TensorType::Q4_1:
        return rowDot<DotQ4_1>;
    case TensorType::Q5_0:
        return rowDot<DotQ5_0>;
    case TensorType::Q5_1:
        return rowDot<DotQ5_1>;
    case TensorType::Q8_0:
        return rowDot<DotQ8_0>;
    case TensorType::IQ4_NL:
        return rowDot<DotIq4Nl>;
    default:
        return nullptr;
    }
}

} // namespace matryx::dot
