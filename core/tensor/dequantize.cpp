#include "tensor/dequantize.h"

#include "tensor/dequantize_kernels.h"

#include <omp.h>

#include <algorithm>
#include <string>

namespace matryx {

namespace {

// Below this many output floats per thread, starting threads costs more than it saves.
constexpr int64_t kMinElementsPerThread = 1 << 15;

Error sizeError(std::string message) {
    return makeError("<memory>", "tensor data", std::nullopt, std::move(message));
}

} // namespace

DequantizeBlocksFn dequantizeBlocksFunction(TensorType type) noexcept {
    using T = TensorType;
    namespace k = kernels;
    switch (type) {
    case T::F32: return k::f32;
    case T::F16: return k::f16;
    case T::BF16: return k::bf16;
    case T::F64: return k::f64;
    case T::I8: return k::i8;
    case T::I16: return k::i16;
    case T::I32: return k::i32;
    case T::I64: return k::i64;
    case T::U8: return k::u8;
    case T::Bool: return k::boolean;
    case T::F8_E4M3: return k::f8E4M3;
    case T::F8_E5M2: return k::f8E5M2;
    case T::Q4_0: return k::q4_0;
    case T::Q4_1: return k::q4_1;
    case T::Q5_0: return k::q5_0;
    case T::Q5_1: return k::q5_1;
    case T::Q8_0: return k::q8_0;
    case T::Q8_1: return k::q8_1;
    case T::Q1_0: return k::q1_0;
    case T::Q2_0: return k::q2_0;
    case T::Q2_K: return k::q2_K;
    case T::Q3_K: return k::q3_K;
    case T::Q4_K: return k::q4_K;
    case T::Q5_K: return k::q5_K;
    case T::Q6_K: return k::q6_K;
    case T::Q8_K: return k::q8_K;
    case T::IQ2_XXS: return k::iq2_xxs;
    case T::IQ2_XS: return k::iq2_xs;
    case T::IQ2_S: return k::iq2_s;
    case T::IQ3_XXS: return k::iq3_xxs;
    case T::IQ3_S: return k::iq3_s;
    case T::IQ1_S: return k::iq1_s;
    case T::IQ1_M: return k::iq1_m;
    case T::IQ4_NL: return k::iq4_nl;
    case T::IQ4_XS: return k::iq4_xs;
    case T::TQ1_0: return k::tq1_0;
    case T::TQ2_0: return k::tq2_0;
    case T::MXFP4: return k::mxfp4;
    case T::NVFP4: return k::nvfp4;
    }
    return nullptr;
}

bool canDequantize(TensorType type) noexcept {
    return typeTraits(uint32_t(type)) != nullptr && dequantizeBlocksFunction(type) != nullptr;
}

Status dequantize(TensorType type, std::span<const std::byte> src, std::span<float> dst, int threads) {
    const TypeTraits* traits = typeTraits(uint32_t(type));
    const DequantizeBlocksFn fn = traits ? dequantizeBlocksFunction(type) : nullptr;
    if (!fn)
        return sizeError("cannot dequantize type id " + std::to_string(uint32_t(type)));
    const std::string name(traits->name);
    if (dst.size() % traits->blockSize != 0)
        return sizeError(name + ": " + std::to_string(dst.size()) + " elements is not a whole number of " +
                         std::to_string(traits->blockSize) + "-element blocks");
    const auto expected = bytesFor(type, dst.size());
    if (!expected || *expected != src.size())
        return sizeError(name + ": " + std::to_string(src.size()) + " bytes of data, " +
                         (expected ? std::to_string(*expected) : std::string("more than addressable")) +
                         " expected for " + std::to_string(dst.size()) + " elements");

    const auto blocks = int64_t(dst.size() / traits->blockSize);
    const auto elements = int64_t(dst.size());
    const int wanted = std::max(threads, 1);
    const auto useful = std::max<int64_t>(1, elements / kMinElementsPerThread);
    const int count = int(std::min<int64_t>(wanted, useful));
    if (count == 1) {
        fn(src.data(), dst.data(), blocks);
        return {};
    }

    // Contiguous block ranges, one per thread: each thread writes its own part of dst.
#pragma omp parallel num_threads(count)
    {
        const int64_t running = omp_get_num_threads();
        const int64_t chunk = (blocks + running - 1) / running;
        const int64_t begin = std::min(blocks, chunk * omp_get_thread_num());
        const int64_t end = std::min(blocks, begin + chunk);
        if (end > begin)
            fn(src.data() + begin * traits->blockBytes, dst.data() + begin * traits->blockSize, end - begin);
    }
    return {};
}

} // namespace matryx
