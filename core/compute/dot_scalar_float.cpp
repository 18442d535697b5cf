// Portable dot products of float weights (F32, F16, BF16) with activations of the same type,
// accumulated in f32 over eight interleaved partial sums, the shape of an 8-lane SIMD loop.

#include "compute/dot_kernels.h"
#include "tensor/float_convert.h"

#include <cstring>

namespace matryx::dot {
namespace {

inline float loadF32At(const std::byte* p, int64_t i) noexcept {
    float v;
    std::memcpy(&v, p + 4 * i, 4);
    return v;
}
inline uint16_t loadU16At(const std::byte* p, int64_t i) noexcept {
    uint16_t v;
    std::memcpy(&v, p + 2 * i, 2);
    return v;
}

struct F32Value {
    static float at(const std::byte* p, int64_t i) noexcept { return loadF32At(p, i); }
};
struct F16Value {
    static float at(const std::byte* p, int64_t i) noexcept { return fp16ToF32(loadU16At(p, i)); }
};
struct Bf16Value {
    static float at(const std::byte* p, int64_t i) noexcept { return bf16ToF32(loadU16At(p, i)); }
};

template <class V> float dotRow(const std::byte* w, const std::byte* a, int64_t k) noexcept {
    float partial[8] = {};
    int64_t i = 0;
    for (; i + 8 <= k; i += 8)
        for (int l = 0; l < 8; ++l)
            partial[l] += V::at(w, i + l) * V::at(a, i + l);
    float sum = 0.0f;
    for (float p : partial)
        sum += p;
    for (; i < k; ++i)
        sum += V::at(w, i) * V::at(a, i);
    return sum;
}

template <class V>
void rowDot(const std::byte* w, const std::byte* act, size_t actStride, int cols, float* out,
            size_t outStride, int64_t k) noexcept {
    for (int c = 0; c < cols; ++c)
        out[size_t(c) * outStride] = dotRow<V>(w, act + size_t(c) * actStride, k);
}

} // namespace

RowDotFn scalarFloatRowDot(TensorType weight) noexcept {
    switch (weight) {
    case TensorType::F32:
        return rowDot<F32Value>;
    case TensorType::F16:
        return rowDot<F16Value>;
    case TensorType::BF16:
        return rowDot<Bf16Value>;
    default:
        return nullptr;
    }
}

} // namespace matryx::dot
