#include "tensor/quantize.h"

#include "tensor/float_convert.h"
#include "tensor/quantize_kernels.h"

#include <algorithm>
#include <omp.h>
#include <string>

namespace matryx {

namespace {

// Below this many input floats per thread, starting threads costs more than it saves.
constexpr int64_t kMinElementsPerThread = 1 << 14;

Error quantizeError(std::string message) {
    return makeError("<memory>", "quantize", std::nullopt, std::move(message));
}

quantizers::RowFn rowFunction(TensorType type) noexcept {
    using T = TensorType;
    namespace q = quantizers;
    switch (type) {
    case T::Q4_0:
        return q::q4_0;
    case T::Q4_1:
        return q::q4_1;
    case T::Q5_0:
        return q::q5_0;
    case T::Q5_1:
        return q::q5_1;
    case T::Q8_0:
        return q::q8_0;
    case T::Q1_0:
        return q::q1_0;
    case T::Q2_0:
        return q::q2_0;
    case T::Q2_K:
        return q::q2_K;
    case T::Q3_K:
        return q::q3_K;
    case T::Q4_K:
        return q::q4_K;
    case T::Q5_K:
        return q::q5_K;
    case T::Q6_K:
        return q::q6_K;
    case T::Q8_K:
        return q::q8_K;
    case T::IQ4_NL:
        return q::iq4_nl;
    case T::IQ4_XS:
        return q::iq4_xs;
    case T::MXFP4:
        return q::mxfp4;
    case T::NVFP4:
        return q::nvfp4;
    case T::TQ1_0:
        return q::tq1_0;
    case T::TQ2_0:
        return q::tq2_0;
    default:
        return nullptr;
    }
}

template <quantizers::RowFn Fn, uint32_t BlockSize, uint32_t BlockBytes>
void rowsOf(const float* src, std::byte* dst, int64_t rows, int64_t rowLength,
            const float* importance) noexcept {
    const int64_t rowBytes = rowLength / BlockSize * BlockBytes;
    for (int64_t r = 0; r < rows; ++r)
        Fn(src + r * rowLength, dst + r * rowBytes, rowLength, importance);
}

template <TensorType Type>
void floatRows(const float* src, std::byte* dst, int64_t rows, int64_t rowLength, const float*) noexcept {
    // convertFromFloat fails only for other types or a negative count, neither possible here.
    (void)convertFromFloat(Type, src, dst, rows * rowLength);
}

} // namespace

QuantizeRowsFn quantizeRowsFunction(TensorType type) noexcept {
    using T = TensorType;
    namespace q = quantizers;
    switch (type) {
    case T::F32:
        return floatRows<T::F32>;
    case T::F16:
        return floatRows<T::F16>;
    case T::BF16:
        return floatRows<T::BF16>;
    case T::Q4_0:
        return rowsOf<q::q4_0, 32, 18>;
    case T::Q4_1:
        return rowsOf<q::q4_1, 32, 20>;
    case T::Q5_0:
        return rowsOf<q::q5_0, 32, 22>;
    case T::Q5_1:
        return rowsOf<q::q5_1, 32, 24>;
    case T::Q8_0:
        return rowsOf<q::q8_0, 32, 34>;
    case T::Q1_0:
        return rowsOf<q::q1_0, 128, 18>;
    case T::Q2_0:
        return rowsOf<q::q2_0, 64, 18>;
    case T::Q2_K:
        return rowsOf<q::q2_K, 256, 84>;
    case T::Q3_K:
        return rowsOf<q::q3_K, 256, 110>;
    case T::Q4_K:
        return rowsOf<q::q4_K, 256, 144>;
    case T::Q5_K:
        return rowsOf<q::q5_K, 256, 176>;
    case T::Q6_K:
        return rowsOf<q::q6_K, 256, 210>;
    case T::Q8_K:
        return rowsOf<q::q8_K, 256, 292>;
    case T::IQ4_NL:
        return rowsOf<q::iq4_nl, 32, 18>;
    case T::IQ4_XS:
        return rowsOf<q::iq4_xs, 256, 136>;
    case T::MXFP4:
        return rowsOf<q::mxfp4, 32, 17>;
    case T::NVFP4:
        return rowsOf<q::nvfp4, 64, 36>;
    case T::TQ1_0:
        return rowsOf<q::tq1_0, 256, 54>;
    case T::TQ2_0:
        return rowsOf<q::tq2_0, 256, 66>;
    default:
        return nullptr;
    }
}

bool canQuantize(TensorType type) noexcept {
    return typeTraits(uint32_t(type)) != nullptr && quantizeRowsFunction(type) != nullptr;
}

bool usesImportance(TensorType type) noexcept {
    using T = TensorType;
    switch (type) {
    case T::Q4_0:
    case T::Q4_1:
    case T::Q5_0:
    case T::Q5_1:
    case T::Q2_K:
    case T::Q3_K:
    case T::Q4_K:
    case T::Q5_K:
    case T::Q6_K:
    case T::IQ4_NL:
    case T::IQ4_XS:
        return true;
    default:
        return false;
    }
}

Status quantize(TensorType type, std::span<const float> src, int64_t rowLength, std::span<std::byte> dst,
                const float* importance, int threads) {
    const TypeTraits* traits = typeTraits(uint32_t(type));
    if (!traits || !canQuantize(type))
        return quantizeError("cannot quantize to " + (traits ? std::string(traits->name)
                                                             : "type id " + std::to_string(uint32_t(type))));
    const std::string name(traits->name);
    if (rowLength <= 0 || rowLength % traits->blockSize != 0)
        return quantizeError(name + ": row length " + std::to_string(rowLength) +
                             " is not a positive multiple of the block size " +
                             std::to_string(traits->blockSize));
    if (src.size() % uint64_t(rowLength) != 0)
        return quantizeError(name + ": " + std::to_string(src.size()) + " values are not whole rows of " +
                             std::to_string(rowLength));
    const auto expected = bytesFor(type, src.size());
    if (!expected || *expected != dst.size())
        return quantizeError(name + ": " + std::to_string(dst.size()) + " bytes of output, " +
                             (expected ? std::to_string(*expected) : std::string("more than addressable")) +
                             " needed for " + std::to_string(src.size()) + " values");
    if (src.empty()) return {};

    // Without importance every block is quantized on its own, so the data can be cut at any
    // block boundary: one long "row" per thread. With importance, rows must stay whole.
    const quantizers::RowFn rowFn = rowFunction(type);
    const bool blockWise = !importance || !usesImportance(type);
    const int64_t unit = blockWise ? traits->blockSize : rowLength;
    const int64_t units = int64_t(src.size()) / unit;
    const int64_t unitBytes = unit / traits->blockSize * traits->blockBytes;
    const QuantizeRowsFn rowsFn = quantizeRowsFunction(type);
    const auto run = [&](int64_t begin, int64_t end) {
        const float* from = src.data() + begin * unit;
        std::byte* to = dst.data() + begin * unitBytes;
        if (blockWise && rowFn)
            rowFn(from, to, (end - begin) * unit, nullptr);
        else if (blockWise)
            rowsFn(from, to, 1, (end - begin) * unit, nullptr);
        else
            rowsFn(from, to, end - begin, rowLength, importance);
    };

    const int wanted = std::max(threads, 1);
    const auto useful = std::max<int64_t>(1, int64_t(src.size()) / kMinElementsPerThread);
    const int count = int(std::min<int64_t>({wanted, useful, units}));
    if (count == 1) {
        run(0, units);
        return {};
    }
    // Contiguous ranges, one per thread: each writes its own part of dst.
#pragma omp parallel num_threads(count)
    {
        const int64_t running = omp_get_num_threads();
        const int64_t chunk = (units + running - 1) / running;
        const int64_t begin = std::min(units, chunk * omp_get_thread_num());
        const int64_t end = std::min(units, begin + chunk);
        if (end > begin) run(begin, end);
    }
    return {};
}

} // namespace matryx
