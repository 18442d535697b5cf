#include "compute/opencl_context.h"

#include "base/log.h"
#include "compute/kernel_sources.h"
#include "compute/opencl_error.h"
#include "compute/program_binary_cache.h"

#include <algorithm>
#include <vector>

namespace matryx {

namespace {

// Bumped whenever the host code changes how it builds programs.
constexpr std::string_view kKeyVersion = "matryx-opencl-program 1";
// The build log quoted in the returned error; the whole log goes to the log sink.
constexpr size_t kQuotedLogBytes = 2000;

std::string buildLog(cl_program program, cl_device_id device) {
    size_t size = 0;
    if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, nullptr, &size) != CL_SUCCESS || size == 0 ||
        size > (size_t(16) << 20))
        return {};
    std::string log(size, '\0');
    if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, size, log.data(), nullptr) != CL_SUCCESS)
        return {};
    while (!log.empty() && (log.back() == '\0' || log.back() == '\n' || log.back() == ' '))
        log.pop_back();
    return log;
}

Result<std::vector<unsigned char>> programBinary(cl_program program) {
    size_t size = 0;
    if (cl_int s = clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, sizeof size, &size, nullptr); s != CL_SUCCESS)
        return openClError("clGetProgramInfo (binary size)", s);
    std::vector<unsigned char> binary(size);
    unsigned char* pointers[1] = {binary.data()};
    if (size == 0)
        return binary;
    if (cl_int s = clGetProgramInfo(program, CL_PROGRAM_BINARIES, sizeof pointers, pointers, nullptr); s != CL_SUCCESS)
        return openClError("clGetProgramInfo (binaries)", s);
    return binary;
}

std::string joined(std::span<const std::string_view> files) {
    std::string out;
    for (auto f : files)
        out += (out.empty() ? "" : "+") + std::string(f);
    return out;
}

} // namespace

Result<std::unique_ptr<OpenClContext>> OpenClContext::create(const OpenClDeviceInfo& device,
                                                             const OpenClOptions& options) {
    std::unique_ptr<OpenClContext> self(new OpenClContext);
    self->device_ = device;
    self->cacheDir_ = options.cacheDir ? *options.cacheDir : ProgramBinaryCache::defaultDirectory();
    self->chunkBytes_ = std::max<uint64_t>(1024, std::min(options.chunkBytes, device.maxAllocBytes));

    const cl_context_properties properties[] = {CL_CONTEXT_PLATFORM, cl_context_properties(device.platform), 0};
    cl_int status = CL_SUCCESS;
    self->context_ = ClContext(clCreateContext(properties, 1, &device.id, nullptr, nullptr, &status));
    if (status != CL_SUCCESS || !self->context_)
        return openClError("clCreateContext", status, device.label());
    self->queue_ = ClQueue(clCreateCommandQueue(self->context_.get(), device.id, 0, &status));
    if (status != CL_SUCCESS || !self->queue_)
        return openClError("clCreateCommandQueue", status, device.label());

    size_t sizes[3] = {0, 0, 0};
    if (clGetDeviceInfo(device.id, CL_DEVICE_MAX_WORK_ITEM_SIZES, sizeof sizes, sizes, nullptr) == CL_SUCCESS)
        self->maxItemSize0_ = sizes[0];
    return self;
}

OpenClContext::~OpenClContext() {
    // Commands may still be queued after an error path returned early; let them finish before
    // the buffers they use are released by their owners' destructors elsewhere.
    if (queue_)
        clFinish(queue_.get());
}

std::string OpenClContext::cacheKey(std::span<const std::string_view> files, std::span<const std::string_view> texts,
                                    const std::string& options) const {
    uint64_t sourceHash = fnv1a64(kKeyVersion);
    for (size_t i = 0; i < files.size(); ++i) {
        sourceHash = fnv1a64(files[i], sourceHash);
        sourceHash = fnv1a64(texts[i], sourceHash);
    }
    std::string key(kKeyVersion);
    key += "\nplatform: " + device_.platformName + " | " + device_.platformVersion;
    key += "\ndevice: " + device_.name + " | " + device_.vendor + " | " + device_.version;
    key += "\ndriver: " + device_.driverVersion;
    key += "\noptions: " + options;
    key += "\nfiles: " + joined(files);
    key += "\nsource-fnv1a64: " + std::to_string(sourceHash) + "\n";
    return key;
}

Result<ClProgram> OpenClContext::buildFromBinary(const std::vector<unsigned char>& binary,
                                                 const std::string& options) const {
    const size_t size = binary.size();
    const unsigned char* data = binary.data();
    cl_int binaryStatus = CL_SUCCESS;
    cl_int status = CL_SUCCESS;
    ClProgram program(
        clCreateProgramWithBinary(context_.get(), 1, &device_.id, &size, &data, &binaryStatus, &status));
    if (status != CL_SUCCESS || !program)
        return openClError("clCreateProgramWithBinary", status);
    if (binaryStatus != CL_SUCCESS)
        return openClError("clCreateProgramWithBinary (binary status)", binaryStatus);
    if (cl_int s = clBuildProgram(program.get(), 1, &device_.id, options.c_str(), nullptr, nullptr); s != CL_SUCCESS)
        return openClError("clBuildProgram (cached binary)", s, buildLog(program.get(), device_.id));
    return program;
}

Result<ClProgram> OpenClContext::buildFromSource(std::span<const std::string_view> files,
                                                 std::span<const std::string_view> texts,
                                                 const std::string& options) const {
    std::vector<const char*> strings;
    std::vector<size_t> lengths;
    for (auto t : texts) {
        strings.push_back(t.data());
        lengths.push_back(t.size());
    }
    cl_int status = CL_SUCCESS;
    ClProgram program(
        clCreateProgramWithSource(context_.get(), cl_uint(strings.size()), strings.data(), lengths.data(), &status));
    if (status != CL_SUCCESS || !program)
        return openClError("clCreateProgramWithSource", status, joined(files));
    status = clBuildProgram(program.get(), 1, &device_.id, options.c_str(), nullptr, nullptr);
    const std::string log = buildLog(program.get(), device_.id);
    if (status != CL_SUCCESS) {
        logError("OpenCL build of " + joined(files) + " failed on " + device_.label() + " (" +
                 std::string(openClErrorName(status)) + "), build log:\n" + log);
        std::string quoted = log.substr(0, kQuotedLogBytes);
        if (log.size() > kQuotedLogBytes)
            quoted += "\n...";
        return openClError("clBuildProgram (" + joined(files) + ")", status, quoted);
    }
    if (!log.empty())
        logDebug("OpenCL build log of " + joined(files) + ":\n" + log);
    return program;
}

Result<cl_program> OpenClContext::program(std::span<const std::string_view> files, std::string_view options) {
    std::vector<std::string_view> texts;
    for (auto file : files) {
        auto text = embeddedKernelSource(file);
        if (!text)
            return openClProblem("kernel source", "no embedded OpenCL file '" + std::string(file) + "'");
        texts.push_back(*text);
    }
    // OpenCL C 1.2 everywhere: PoCL and NVIDIA would otherwise pick different defaults.
    const std::string fullOptions = "-cl-std=CL1.2" + (options.empty() ? std::string() : " " + std::string(options));
    const std::string key = cacheKey(files, texts, fullOptions);

    std::lock_guard lock(mutex_);
    if (auto it = programs_.find(key); it != programs_.end()) {
        ++counters_.memoryHits;
        return it->second.get();
    }

    const ProgramBinaryCache disk(cacheDir_);
    std::vector<unsigned char> binary;
    const auto loaded = disk.load(key, binary);
    if (loaded == ProgramBinaryCache::LoadResult::Corrupt)
        ++counters_.rejectedEntries;
    if (loaded == ProgramBinaryCache::LoadResult::Hit) {
        auto program = buildFromBinary(binary, fullOptions);
        if (program) {
            ++counters_.diskHits;
            return programs_.emplace(key, std::move(*program)).first->second.get();
        }
        ++counters_.rejectedEntries;
        logInfo("OpenCL program cache: the driver refused " + disk.pathFor(key).string() + " (" +
                program.error().message + "); rebuilding it");
        disk.remove(key);
    }

    auto program = buildFromSource(files, texts, fullOptions);
    if (!program)
        return std::move(program).error();
    ++counters_.sourceBuilds;
    if (auto built = programBinary(program->get()); built && !built->empty())
        disk.store(key, *built);
    else if (!built)
        logInfo("OpenCL program cache: no binary to store: " + built.error().message);
    return programs_.emplace(key, std::move(*program)).first->second.get();
}

Result<ClKernel> OpenClContext::kernel(cl_program program, const char* name) const {
    cl_int status = CL_SUCCESS;
    ClKernel kernel(clCreateKernel(program, name, &status));
    if (status != CL_SUCCESS || !kernel)
        return openClError(std::string("clCreateKernel (") + name + ")", status);
    return kernel;
}

size_t OpenClContext::workGroupSize(cl_kernel kernel, size_t cap) const {
    size_t limit = 0;
    if (clGetKernelWorkGroupInfo(kernel, device_.id, CL_KERNEL_WORK_GROUP_SIZE, sizeof limit, &limit, nullptr) !=
            CL_SUCCESS ||
        limit == 0)
        limit = 1;
    limit = std::min({limit, cap, device_.maxWorkGroupSize ? device_.maxWorkGroupSize : size_t(1)});
    if (maxItemSize0_)
        limit = std::min(limit, maxItemSize0_);
    size_t size = 1;
    while (size * 2 <= limit)
        size *= 2;
    return size;
}

ProgramCacheCounters OpenClContext::counters() const {
    std::lock_guard lock(mutex_);
    return counters_;
}

} // namespace matryx
