#pragma once

// Writes a file so that nothing is lost: bytes go to a hidden temporary file in the target
// folder, which is renamed over the target only by commit(). Destroying an uncommitted
// AtomicFile removes the temporary file, so a failed or cancelled export leaves nothing.

#include "base/error.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>

namespace matryx {

enum class Overwrite { No, Yes };

class AtomicFile {
public:
    // Fails if the target exists and overwrite is No, or the folder is not writable.
    static Result<std::unique_ptr<AtomicFile>> create(const std::filesystem::path& target, Overwrite overwrite);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    Status write(std::span<const std::byte> bytes);
    Status writeZeros(uint64_t count);
    uint64_t position() const noexcept { return position_; }

    // Flushes, syncs and renames into place. After a failed commit nothing is left behind.
    Status commit();

    const std::filesystem::path& target() const noexcept { return target_; }
    const std::filesystem::path& temporaryPath() const noexcept { return temp_; }

private:
    AtomicFile() = default;
    Error ioError(const char* what) const;
    Status flush();

    std::filesystem::path target_;
    std::filesystem::path temp_;
    Overwrite overwrite_ = Overwrite::No;
    int fd_ = -1;
    uint64_t position_ = 0;
    std::unique_ptr<std::byte[]> buffer_;
    size_t buffered_ = 0;
    bool committed_ = false;
};

} // namespace matryx
