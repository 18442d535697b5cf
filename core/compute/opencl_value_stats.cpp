#include "compute/opencl_value_stats.h"

#include "compute/opencl_context.h"
#include "compute/opencl_dequantize.h"
#include "compute/opencl_launch.h"
#include "compute/opencl_transfer.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace matryx {

namespace {

constexpr std::array<std::string_view, 1> kProgramFiles = {"value_stats.cl"};
constexpr const char* kKernelName = "value_stats";
constexpr size_t kTallies = 5;

// The kernel's keys (value_stats.cl): floats ordered by value, -0 equal to +0.
int32_t valueKey(float v) {
    const auto b = std::bit_cast<int32_t>(v);
    return (b & 0x7fffffff) == 0 ? 0 : (b >= 0 ? b : b ^ 0x7fffffff);
}
float fromTotalKey(int32_t key) { return std::bit_cast<float>(key >= 0 ? key : key ^ 0x7fffffff); }

// The smallest float >= e and the largest float <= e (e finite; out-of-range e gives ±inf or ±max).
float floatAtOrAbove(double e) {
    constexpr double top = std::numeric_limits<float>::max();
    if (e > top)
        return std::numeric_limits<float>::infinity();
    if (e < -top)
        return -std::numeric_limits<float>::max();
    const auto f = float(e);
    return double(f) < e ? std::nextafter(f, std::numeric_limits<float>::infinity()) : f;
}
float floatAtOrBelow(double e) { return -floatAtOrAbove(-e); }

// Runs value_stats.cl over device buffers of floats and adds up the partial results.
class StatsRunner {
public:
    StatsRunner(OpenClContext& context, std::span<const double> edges) : context_(context), edges_(edges) {}

    Status init(uint64_t maxValuesPerLaunch);
    Status run(cl_mem values, uint32_t n);
    Result<ValueStats> finish();

private:
    Result<cl_mem> buffer(ClBuffer& holder, size_t bytes, cl_mem_flags flags, const void* init = nullptr);

    OpenClContext& context_;
    std::span<const double> edges_;
    ClKernel kernel_;
    ClBuffer edgeKeys_, counts_, sums_, extremes_, tallies_;
    size_t workGroup_ = 1;
    size_t maxGroups_ = 1;
    uint32_t bins_ = 0;
    int32_t hiDownKey_ = 0;
    bool localCounts_ = false;
    ValueStats stats_;
    int32_t minKey_ = std::numeric_limits<int32_t>::max();
    int32_t maxKey_ = std::numeric_limits<int32_t>::min();
    std::vector<double> sumsHost_;
    std::vector<int32_t> extremesHost_;
    std::vector<uint32_t> talliesHost_;
    std::vector<uint32_t> countsHost_;
};

Result<cl_mem> StatsRunner::buffer(ClBuffer& holder, size_t bytes, cl_mem_flags flags, const void* init) {
    cl_int status = CL_SUCCESS;
    holder = ClBuffer(clCreateBuffer(context_.context(), flags | (init ? CL_MEM_COPY_HOST_PTR : 0),
                                     std::max<size_t>(bytes, 4), const_cast<void*>(init), &status));
    if (status != CL_SUCCESS || !holder)
        return openClError("clCreateBuffer (value statistics, " + std::to_string(bytes) + " bytes)", status);
    return holder.get();
}

Status StatsRunner::init(uint64_t maxValuesPerLaunch) {
    auto program = context_.program(kProgramFiles);
    if (!program)
        return std::move(program).error();
    auto kernel = context_.kernel(*program, kKernelName);
    if (!kernel)
        return std::move(kernel).error();
    kernel_ = std::move(*kernel);

    const auto& device = context_.device();
    workGroup_ = context_.workGroupSize(kernel_.get(), 256);
    const uint64_t groupsForData = (maxValuesPerLaunch + workGroup_ - 1) / workGroup_;
    maxGroups_ = size_t(std::clamp<uint64_t>(groupsForData, 1, std::clamp<uint64_t>(device.computeUnits * 16, 64, 8192)));

    bins_ = edges_.empty() ? 0 : uint32_t(edges_.size() - 1);
    std::vector<int32_t> keys(std::max<size_t>(edges_.size(), 1), 0);
    for (size_t i = 0; i < edges_.size(); ++i)
        keys[i] = valueKey(floatAtOrAbove(edges_[i]));
    hiDownKey_ = edges_.empty() ? 0 : valueKey(floatAtOrBelow(edges_.back()));

    cl_ulong staticLocal = 0;
    clGetKernelWorkGroupInfo(kernel_.get(), device.id, CL_KERNEL_LOCAL_MEM_SIZE, sizeof staticLocal, &staticLocal,
                             nullptr);
    const uint64_t scratch = workGroup_ * (2 * sizeof(double) + 2 * sizeof(int32_t) + kTallies * sizeof(uint32_t)) +
                             staticLocal + 1024;
    const uint64_t budget = device.localMemBytes > scratch ? device.localMemBytes - scratch : 0;
    localCounts_ = bins_ > 0 && uint64_t(bins_) * sizeof(uint32_t) <= budget;

    const cl_mem_flags rw = CL_MEM_READ_WRITE;
    if (auto b = buffer(edgeKeys_, keys.size() * sizeof(int32_t), CL_MEM_READ_ONLY, keys.data()); !b)
        return std::move(b).error();
    countsHost_.assign(std::max<size_t>(bins_, 1), 0);
    if (auto b = buffer(counts_, countsHost_.size() * sizeof(uint32_t), rw, countsHost_.data()); !b)
        return std::move(b).error();
    if (auto b = buffer(sums_, maxGroups_ * 2 * sizeof(double), rw); !b)
        return std::move(b).error();
    if (auto b = buffer(extremes_, maxGroups_ * 2 * sizeof(int32_t), rw); !b)
        return std::move(b).error();
    if (auto b = buffer(tallies_, maxGroups_ * kTallies * sizeof(uint32_t), rw); !b)
        return std::move(b).error();
    stats_.counts.assign(bins_, 0);
    return {};
}

Status StatsRunner::run(cl_mem values, uint32_t n) {
    if (n == 0)
        return {};
    const size_t groups = std::min<size_t>(maxGroups_, (n + workGroup_ - 1) / workGroup_);
    // Whole work-groups' strides per group, so that every group but the last is full.
    const auto perGroup = cl_uint((uint64_t(n) + groups - 1) / groups);
    const cl_uint localBins = localCounts_ ? bins_ : 0;
    const LocalBytes localCounts{std::max<size_t>(localBins, 1) * sizeof(uint32_t)};
    if (Status s = setKernelArgs(kernel_.get(), kKernelName, values, cl_uint(n), perGroup, edgeKeys_.get(),
                                 cl_uint(bins_), cl_int(hiDownKey_), counts_.get(), sums_.get(), extremes_.get(),
                                 tallies_.get(), LocalBytes{2 * workGroup_ * sizeof(double)},
                                 LocalBytes{2 * workGroup_ * sizeof(int32_t)},
                                 LocalBytes{kTallies * workGroup_ * sizeof(uint32_t)}, localCounts, localBins);
        !s)
        return s;
    if (Status s = enqueue1D(context_.queue(), kernel_.get(), groups * workGroup_, workGroup_, kKernelName); !s)
        return s;

    sumsHost_.resize(groups * 2);
    extremesHost_.resize(groups * 2);
    talliesHost_.resize(groups * kTallies);
    const auto read = [&](cl_mem buffer, size_t bytes, void* out, cl_bool blocking) {
        return clEnqueueReadBuffer(context_.queue(), buffer, blocking, 0, bytes, out, 0, nullptr, nullptr);
    };
    cl_int status = read(sums_.get(), sumsHost_.size() * sizeof(double), sumsHost_.data(), CL_FALSE);
    if (status == CL_SUCCESS)
        status = read(extremes_.get(), extremesHost_.size() * sizeof(int32_t), extremesHost_.data(), CL_FALSE);
    if (status == CL_SUCCESS && bins_ > 0)
        status = read(counts_.get(), bins_ * sizeof(uint32_t), countsHost_.data(), CL_FALSE);
    if (status == CL_SUCCESS)
        status = read(tallies_.get(), talliesHost_.size() * sizeof(uint32_t), talliesHost_.data(), CL_TRUE);
    if (status != CL_SUCCESS) {
        clFinish(context_.queue()); // the host vectors must outlive the non-blocking reads
        return openClError("clEnqueueReadBuffer (value statistics)", status);
    }
    if (bins_ > 0) {
        // Counts are 32-bit on the device: move them to the 64-bit totals after every launch.
        const cl_uint zero = 0;
        if (cl_int s = clEnqueueFillBuffer(context_.queue(), counts_.get(), &zero, sizeof zero, 0,
                                           bins_ * sizeof(uint32_t), 0, nullptr, nullptr);
            s != CL_SUCCESS)
            return openClError("clEnqueueFillBuffer (histogram counts)", s);
        for (uint32_t i = 0; i < bins_; ++i)
            stats_.counts[i] += countsHost_[i];
    }

    for (size_t g = 0; g < groups; ++g) {
        stats_.sum += sumsHost_[2 * g];
        stats_.sumSquares += sumsHost_[2 * g + 1];
        minKey_ = std::min(minKey_, extremesHost_[2 * g]);
        maxKey_ = std::max(maxKey_, extremesHost_[2 * g + 1]);
        stats_.finite += talliesHost_[kTallies * g];
        stats_.nan += talliesHost_[kTallies * g + 1];
        stats_.infinite += talliesHost_[kTallies * g + 2];
        stats_.below += talliesHost_[kTallies * g + 3];
        stats_.above += talliesHost_[kTallies * g + 4];
    }
    stats_.count += n;
    return {};
}

Result<ValueStats> StatsRunner::finish() {
    if (cl_int s = clFinish(context_.queue()); s != CL_SUCCESS)
        return openClError("clFinish (value statistics)", s);
    if (stats_.finite > 0) {
        stats_.min = fromTotalKey(minKey_);
        stats_.max = fromTotalKey(maxKey_);
    }
    return stats_;
}

Status checkDevice(const OpenClContext& context) {
    if (!openClCanComputeValueStats(context.device()))
        return openClProblem("value statistics", context.device().label() + " has no double precision (cl_khr_fp64)");
    return {};
}

} // namespace

bool openClCanComputeValueStats(const OpenClDeviceInfo& device) noexcept { return device.fp64; }

Result<ValueStats> valueStatsOpenCl(OpenClContext& context, std::span<const float> values,
                                    std::span<const double> edges) {
    return valueStatsOpenCl(context, TensorType::F32, std::as_bytes(values), values.size(), edges);
}

Result<ValueStats> valueStatsOpenCl(OpenClContext& context, TensorType type, std::span<const std::byte> data,
                                    uint64_t elements, std::span<const double> edges) {
    if (Status s = checkHistogramEdges(edges); !s)
        return std::move(s).error();
    if (Status s = checkDevice(context); !s)
        return std::move(s).error();
    const TypeTraits* traits = typeTraits(uint32_t(type));
    const bool direct = type == TensorType::F32;
    if (!traits || (!direct && !openClCanDequantize(type)))
        return openClProblem("value statistics", "no OpenCL kernel for type id " + std::to_string(uint32_t(type)));
    const auto expected = bytesFor(type, elements);
    if (elements % traits->blockSize != 0 || !expected || *expected != data.size())
        return makeError("<memory>", "tensor data", std::nullopt,
                         std::string(traits->name) + ": " + std::to_string(data.size()) +
                             " bytes of data do not hold " + std::to_string(elements) + " elements");

    // Values per launch stay below 2^31 (the kernel counts in 32 bits).
    const uint64_t chunkValues = std::min<uint64_t>(context.chunkBytes() / sizeof(float), uint64_t(1) << 30);
    uint64_t chunkBlocks = chunkValues / traits->blockSize;
    if (!direct)
        chunkBlocks = std::min(chunkBlocks, maxDequantizeBlocksPerLaunch(type));
    chunkBlocks = std::max<uint64_t>(chunkBlocks, 1);
    const uint64_t blocks = elements / traits->blockSize;

    StatsRunner runner(context, edges);
    if (Status s = runner.init(std::min(elements, chunkBlocks * traits->blockSize)); !s)
        return std::move(s).error();
    DeviceStaging staging(context);
    ClBuffer floats;
    if (!direct && blocks > 0) {
        cl_int status = CL_SUCCESS;
        floats = ClBuffer(clCreateBuffer(context.context(), CL_MEM_READ_WRITE,
                                         std::min(blocks, chunkBlocks) * traits->blockSize * sizeof(float), nullptr,
                                         &status));
        if (status != CL_SUCCESS || !floats)
            return openClError("clCreateBuffer (dequantized values)", status);
    }
    for (uint64_t first = 0; first < blocks; first += chunkBlocks) {
        const uint64_t count = std::min(chunkBlocks, blocks - first);
        auto buffers = staging.bind(data.subspan(first * traits->blockBytes, count * traits->blockBytes), {});
        if (!buffers)
            return std::move(buffers).error();
        cl_mem values = buffers->input;
        if (!direct) {
            if (Status s = enqueueDequantize(context, type, buffers->input, floats.get(), count); !s)
                return std::move(s).error();
            values = floats.get();
        }
        if (Status s = runner.run(values, uint32_t(count * traits->blockSize)); !s)
            return std::move(s).error();
        if (Status s = staging.finish(); !s)
            return std::move(s).error();
    }
    return runner.finish();
}

} // namespace matryx
