#pragma once

// One OpenCL device made ready for work: its context, an in-order command queue and the
// programs built for it. Programs are built from the embedded kernel sources once per context
// (kept in memory) and their binaries are cached on disk across runs (ProgramBinaryCache); a
// build failure logs the compiler's build log and returns an error naming the call.
//
// Thread safety: all member functions may be called from several threads. Each caller gets
// its own kernel objects, so no two threads share kernel arguments; the queue is shared (OpenCL
// queues are thread-safe) and every host wrapper waits for its own commands.

#include "base/error.h"
#include "compute/opencl_devices.h"
#include "compute/opencl_handle.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace matryx {

struct OpenClOptions {
    // Folder of the on-disk program cache; nullopt: ProgramBinaryCache::defaultDirectory();
    // an empty path turns the disk cache off.
    std::optional<std::filesystem::path> cacheDir;
    // Bytes of f32 values the host wrappers move per transfer chunk (bounded further by the
    // device's largest allocation). Large enough to hide launch costs; tests make it small to
    // cover chunk seams.
    uint64_t chunkBytes = uint64_t(64) << 20;
};

// How programs were obtained, for tests and `matryx-cli devices --verbose`.
struct ProgramCacheCounters {
    uint64_t memoryHits = 0;     // already built in this context
    uint64_t diskHits = 0;       // loaded from the binary cache
    uint64_t sourceBuilds = 0;   // compiled from source
    uint64_t rejectedEntries = 0; // cache files found corrupt or refused by the driver
};

class OpenClContext {
public:
    // Creates the context and queue for `device`. Fails with the CL error of the failing call.
    static Result<std::unique_ptr<OpenClContext>> create(const OpenClDeviceInfo& device,
                                                         const OpenClOptions& options = {});
    ~OpenClContext();
    OpenClContext(const OpenClContext&) = delete;
    OpenClContext& operator=(const OpenClContext&) = delete;

    const OpenClDeviceInfo& device() const noexcept { return device_; }
    cl_context context() const noexcept { return context_.get(); }
    cl_command_queue queue() const noexcept { return queue_.get(); }
    const std::filesystem::path& cacheDirectory() const noexcept { return cacheDir_; }
    // OpenClOptions::chunkBytes, at most the largest allocation and at least one KiB.
    uint64_t chunkBytes() const noexcept { return chunkBytes_; }

    // The program made of the embedded files `files` (in this order) built with `options`. The
    // context owns it; the handle stays valid for the context's life. Fails if a file is not
    // embedded or the build fails (the build log is logged as an error and its start quoted).
    Result<cl_program> program(std::span<const std::string_view> files, std::string_view options = {});

    // A new kernel object of `program`, owned by the caller.
    Result<ClKernel> kernel(cl_program program, const char* name) const;

    // A work-group size for `kernel` on this device: the largest power of two that is at most
    // `cap`, CL_KERNEL_WORK_GROUP_SIZE and the device's first work-item dimension.
    size_t workGroupSize(cl_kernel kernel, size_t cap = 256) const;

    ProgramCacheCounters counters() const;

private:
    OpenClContext() = default;
    Result<ClProgram> buildFromBinary(const std::vector<unsigned char>& binary, const std::string& options) const;
    Result<ClProgram> buildFromSource(std::span<const std::string_view> files, std::span<const std::string_view> texts,
                                      const std::string& options) const;
    std::string cacheKey(std::span<const std::string_view> files, std::span<const std::string_view> texts,
                         const std::string& options) const;

    OpenClDeviceInfo device_;
    ClContext context_;
    ClQueue queue_;
    std::filesystem::path cacheDir_;
    uint64_t chunkBytes_ = 0;
    size_t maxItemSize0_ = 0;

    mutable std::mutex mutex_;
    std::map<std::string, ClProgram> programs_; // by cache key
    ProgramCacheCounters counters_;
};

} // namespace matryx
