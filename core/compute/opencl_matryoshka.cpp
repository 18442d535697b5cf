#include "compute/opencl_matryoshka.h"

#include "compute/opencl_context.h"
#include "compute/opencl_launch.h"
#include "compute/opencl_transfer.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <vector>

namespace matryx {

namespace {

constexpr std::array<std::string_view, 3> kProgramFiles = {"common.cl", "quantize_common.cl",
                                                           "matryoshka_nest.cl"};
// The search compares quotients to the last bit; OpenCL's default division may be off by ulps.
constexpr std::string_view kBuildOptions = "-cl-fp32-correctly-rounded-divide-sqrt";
constexpr const char* kKernel = "nest_matryoshka";
// What the kernel writes per group: the codes, then the fp16 scale and minimum.
constexpr size_t kGroupBytes = kOpenClNestGroup + 2 * sizeof(uint16_t);
constexpr uint64_t kMaxGroupsPerLaunch = uint64_t(1) << 30;

} // namespace

Status nestMatryoshkaOpenCl(OpenClContext& context, std::span<const float> src, std::span<int8_t> codes,
                            std::span<uint16_t> scales, std::span<uint16_t> mins) {
    const uint64_t groups = src.size() / kOpenClNestGroup;
    if (src.size() % kOpenClNestGroup != 0 || codes.size() != src.size() || scales.size() != groups ||
        mins.size() != groups)
        return makeError("<memory>", "nest", std::nullopt,
                         "buffers do not fit " + std::to_string(src.size()) + " values in groups of 32");
    if (groups == 0) return {};
    auto program = context.program(kProgramFiles, kBuildOptions);
    if (!program) return std::move(program).error();
    auto kernel = context.kernel(*program, kKernel);
    if (!kernel) return std::move(kernel).error();
    const size_t workGroup = context.workGroupSize(kernel->get(), 64);

    const uint64_t inPerGroup = uint64_t(kOpenClNestGroup) * sizeof(float);
    const uint64_t chunkGroups =
        std::min({std::max<uint64_t>(1, context.chunkBytes() / inPerGroup), groups, kMaxGroupsPerLaunch});
    std::vector<std::byte> packed(size_t(chunkGroups * kGroupBytes));
    DeviceStaging staging(context);
    for (uint64_t first = 0; first < groups; first += chunkGroups) {
        const uint64_t count = std::min(chunkGroups, groups - first);
        const auto in = std::as_bytes(src.subspan(first * kOpenClNestGroup, count * kOpenClNestGroup));
        const std::span<std::byte> out(packed.data(), size_t(count * kGroupBytes));
        auto buffers = staging.bind(in, out);
        if (!buffers) return std::move(buffers).error();
        if (Status s = setKernelArgs(kernel->get(), kKernel, buffers->input, buffers->output, cl_uint(count));
            !s)
            return s;
        if (Status s = enqueue1D(context.queue(), kernel->get(), size_t(count), workGroup, kKernel); !s)
            return s;
        if (Status s = staging.finish(); !s) return s;
        for (uint64_t g = 0; g < count; ++g) {
            const std::byte* p = packed.data() + g * kGroupBytes;
            std::memcpy(codes.data() + (first + g) * kOpenClNestGroup, p, kOpenClNestGroup);
            std::memcpy(&scales[first + g], p + kOpenClNestGroup, sizeof(uint16_t));
            std::memcpy(&mins[first + g], p + kOpenClNestGroup + 2, sizeof(uint16_t));
        }
    }
    return {};
}

} // namespace matryx
