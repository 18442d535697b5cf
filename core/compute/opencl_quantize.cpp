#include "compute/opencl_quantize.h"

#include "compute/opencl_context.h"
#include "compute/opencl_launch.h"
#include "compute/opencl_transfer.h"
#include "tensor/quantize.h"

#include <algorithm>
#include <array>
#include <string>

namespace matryx {

namespace {

struct QuantizeKernel {
    TensorType type;
    const char* name;
    bool takesImportance; // the kernel has the importance arguments
};

constexpr std::array kKernels = {
    QuantizeKernel{TensorType::Q8_0, "quantize_q8_0", false},
    QuantizeKernel{TensorType::Q4_0, "quantize_q4_0", false},
    QuantizeKernel{TensorType::Q4_1, "quantize_q4_1", false},
    QuantizeKernel{TensorType::Q5_0, "quantize_q5_0", false},
    QuantizeKernel{TensorType::Q5_1, "quantize_q5_1", false},
    QuantizeKernel{TensorType::Q4_K, "quantize_q4_K", true},
    QuantizeKernel{TensorType::Q6_K, "quantize_q6_K", true},
};

constexpr std::array<std::string_view, 4> kProgramFiles = {"common.cl", "quantize_common.cl", "quantize_legacy.cl",
                                                           "quantize_kquants.cl"};
// ggml's searches compare quotients and square roots to the last bit; OpenCL's default division
// and sqrt may be off by ulps.
constexpr std::string_view kBuildOptions = "-cl-fp32-correctly-rounded-divide-sqrt";

constexpr uint64_t kMaxBlocksPerLaunch = uint64_t(1) << 30;

const QuantizeKernel* kernelFor(TensorType type) noexcept {
    for (const auto& k : kKernels)
        if (k.type == type)
            return &k;
    return nullptr;
}

Error quantizeError(std::string message) {
    return makeError("<memory>", "quantize", std::nullopt, std::move(message));
}

// The same checks, and messages, as matryx::quantize.
Status checkSizes(const TypeTraits& traits, size_t values, int64_t rowLength, size_t dstBytes) {
    const std::string name(traits.name);
    if (rowLength <= 0 || rowLength % traits.blockSize != 0)
        return quantizeError(name + ": row length " + std::to_string(rowLength) +
                             " is not a positive multiple of the block size " + std::to_string(traits.blockSize));
    if (values % uint64_t(rowLength) != 0)
        return quantizeError(name + ": " + std::to_string(values) + " values are not whole rows of " +
                             std::to_string(rowLength));
    const auto expected = bytesFor(traits.type, values);
    if (!expected || *expected != dstBytes)
        return quantizeError(name + ": " + std::to_string(dstBytes) + " bytes of output, " +
                             (expected ? std::to_string(*expected) : std::string("more than addressable")) +
                             " needed for " + std::to_string(values) + " values");
    return {};
}

} // namespace

bool openClCanQuantize(TensorType type, bool withImportance) noexcept {
    const QuantizeKernel* k = kernelFor(type);
    return k && (!withImportance || k->takesImportance || !usesImportance(type));
}

Status quantizeOpenCl(OpenClContext& context, TensorType type, std::span<const float> src, int64_t rowLength,
                      std::span<std::byte> dst, const float* importance) {
    const TypeTraits* traits = typeTraits(uint32_t(type));
    const QuantizeKernel* k = kernelFor(type);
    if (!traits || !k)
        return openClProblem("quantize", "no OpenCL kernel for type id " + std::to_string(uint32_t(type)));
    if (Status s = checkSizes(*traits, src.size(), rowLength, dst.size()); !s)
        return s;
    if (importance && !openClCanQuantize(type, true))
        return openClProblem(k->name, "no OpenCL kernel for " + std::string(traits->name) + " with importance");
    const uint64_t blocks = src.size() / traits->blockSize;
    if (blocks == 0)
        return {};

    auto program = context.program(kProgramFiles, kBuildOptions);
    if (!program)
        return std::move(program).error();
    auto kernel = context.kernel(*program, k->name);
    if (!kernel)
        return std::move(kernel).error();
    const size_t workGroup = context.workGroupSize(kernel->get(), 64);

    const uint64_t blocksPerRow = uint64_t(rowLength) / traits->blockSize;
    ClBuffer weights;
    if (importance && k->takesImportance) {
        cl_int status = CL_SUCCESS;
        weights = ClBuffer(clCreateBuffer(context.context(), CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                                          size_t(rowLength) * sizeof(float), const_cast<float*>(importance),
                                          &status));
        if (status != CL_SUCCESS || !weights)
            return openClError("clCreateBuffer (importance, " + std::to_string(rowLength) + " floats)", status);
    }

    const uint64_t inPerBlock = uint64_t(traits->blockSize) * sizeof(float);
    uint64_t chunkBlocks = std::max<uint64_t>(1, context.chunkBytes() / inPerBlock);
    chunkBlocks = std::min({chunkBlocks, blocks, kMaxBlocksPerLaunch});

    DeviceStaging staging(context);
    for (uint64_t first = 0; first < blocks; first += chunkBlocks) {
        const uint64_t count = std::min(chunkBlocks, blocks - first);
        const auto in = std::as_bytes(src.subspan(first * traits->blockSize, count * traits->blockSize));
        const auto out = dst.subspan(first * traits->blockBytes, count * traits->blockBytes);
        auto buffers = staging.bind(in, out);
        if (!buffers)
            return std::move(buffers).error();
        Status set = k->takesImportance
                         ? setKernelArgs(kernel->get(), k->name, buffers->input, buffers->output, cl_uint(count),
                                         weights.get(), cl_uint(weights ? blocksPerRow : 0),
                                         cl_uint(first % blocksPerRow))
                         : setKernelArgs(kernel->get(), k->name, buffers->input, buffers->output, cl_uint(count));
        if (!set)
            return set;
        if (Status s = enqueue1D(context.queue(), kernel->get(), size_t(count), workGroup, k->name); !s)
            return s;
        if (Status s = staging.finish(); !s)
            return s;
    }
    return {};
}

} // namespace matryx
