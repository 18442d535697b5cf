#include "compute/opencl_dequantize.h"

#include "compute/opencl_context.h"
#include "compute/opencl_launch.h"
#include "compute/opencl_transfer.h"

#include <algorithm>
#include <array>
#include <string>

namespace matryx {

namespace {

struct DequantizeKernel {
    TensorType type;
    const char* name;
    uint32_t itemsPerBlock; // work-items per block (F16, BF16: one per value)
};

constexpr std::array kKernels = {
    DequantizeKernel{TensorType::F16, "dequantize_f16", 1},
    DequantizeKernel{TensorType::BF16, "dequantize_bf16", 1},
    DequantizeKernel{TensorType::Q4_0, "dequantize_q4_0", 16},
    DequantizeKernel{TensorType::Q4_1, "dequantize_q4_1", 16},
    DequantizeKernel{TensorType::Q5_0, "dequantize_q5_0", 16},
    DequantizeKernel{TensorType::Q5_1, "dequantize_q5_1", 16},
    DequantizeKernel{TensorType::Q8_0, "dequantize_q8_0", 16},
    DequantizeKernel{TensorType::IQ4_NL, "dequantize_iq4_nl", 16},
    DequantizeKernel{TensorType::Q2_K, "dequantize_q2_K", 32},
    DequantizeKernel{TensorType::Q3_K, "dequantize_q3_K", 32},
    DequantizeKernel{TensorType::Q4_K, "dequantize_q4_K", 32},
    DequantizeKernel{TensorType::Q5_K, "dequantize_q5_K", 32},
    DequantizeKernel{TensorType::Q6_K, "dequantize_q6_K", 32},
    DequantizeKernel{TensorType::IQ4_XS, "dequantize_iq4_xs", 32},
};

constexpr std::array<std::string_view, 4> kProgramFiles = {"common.cl", "dequantize_float.cl",
                                                           "dequantize_legacy.cl", "dequantize_kquants.cl"};

constexpr uint64_t kMaxItemsPerLaunch = uint64_t(1) << 30;

const DequantizeKernel* kernelFor(TensorType type) noexcept {
    for (const auto& k : kKernels)
        if (k.type == type)
            return &k;
    return nullptr;
}

Error sizeError(std::string message) { return makeError("<memory>", "tensor data", std::nullopt, std::move(message)); }

// The same checks, and messages, as matryx::dequantize.
Status checkSizes(const TypeTraits& traits, size_t srcBytes, size_t elements) {
    const std::string name(traits.name);
    if (elements % traits.blockSize != 0)
        return sizeError(name + ": " + std::to_string(elements) + " elements is not a whole number of " +
                         std::to_string(traits.blockSize) + "-element blocks");
    const auto expected = bytesFor(traits.type, elements);
    if (!expected || *expected != srcBytes)
        return sizeError(name + ": " + std::to_string(srcBytes) + " bytes of data, " +
                         (expected ? std::to_string(*expected) : std::string("more than addressable")) +
                         " expected for " + std::to_string(elements) + " elements");
    return {};
}

} // namespace

bool openClCanDequantize(TensorType type) noexcept { return kernelFor(type) != nullptr; }

uint64_t maxDequantizeBlocksPerLaunch(TensorType type) noexcept {
    const auto* k = kernelFor(type);
    return k ? kMaxItemsPerLaunch / k->itemsPerBlock : 0;
}

Status enqueueDequantize(OpenClContext& context, TensorType type, cl_mem src, cl_mem dst, uint64_t blocks) {
    const DequantizeKernel* k = kernelFor(type);
    if (!k)
        return openClProblem("dequantize", "no OpenCL kernel for type " + std::string(typeName(type)));
    if (blocks == 0)
        return {};
    if (blocks > maxDequantizeBlocksPerLaunch(type))
        return openClProblem(k->name, std::to_string(blocks) + " blocks are too many for one launch");
    auto program = context.program(kProgramFiles);
    if (!program)
        return std::move(program).error();
    auto kernel = context.kernel(*program, k->name);
    if (!kernel)
        return std::move(kernel).error();
    if (Status s = setKernelArgs(kernel->get(), k->name, src, dst, cl_uint(blocks)); !s)
        return s;
    return enqueue1D(context.queue(), kernel->get(), size_t(blocks * k->itemsPerBlock),
                     context.workGroupSize(kernel->get()), k->name);
}

Status dequantizeOpenCl(OpenClContext& context, TensorType type, std::span<const std::byte> src,
                        std::span<float> dst) {
    const TypeTraits* traits = typeTraits(uint32_t(type));
    if (!traits || !kernelFor(type))
        return openClProblem("dequantize", "no OpenCL kernel for type id " + std::to_string(uint32_t(type)));
    if (Status s = checkSizes(*traits, src.size(), dst.size()); !s)
        return s;
    const uint64_t blocks = dst.size() / traits->blockSize;
    if (blocks == 0)
        return {};

    const uint64_t outPerBlock = uint64_t(traits->blockSize) * sizeof(float);
    uint64_t chunkBlocks = std::max<uint64_t>(1, context.chunkBytes() / outPerBlock);
    chunkBlocks = std::min({chunkBlocks, blocks, maxDequantizeBlocksPerLaunch(type)});

    DeviceStaging staging(context);
    for (uint64_t first = 0; first < blocks; first += chunkBlocks) {
        const uint64_t count = std::min(chunkBlocks, blocks - first);
        const auto in = src.subspan(first * traits->blockBytes, count * traits->blockBytes);
        const auto out = std::as_writable_bytes(dst.subspan(first * traits->blockSize, count * traits->blockSize));
        auto buffers = staging.bind(in, out);
        if (!buffers)
            return std::move(buffers).error();
        if (Status s = enqueueDequantize(context, type, buffers->input, buffers->output, count); !s)
            return s;
        if (Status s = staging.finish(); !s)
            return s;
    }
    return {};
}

} // namespace matryx
