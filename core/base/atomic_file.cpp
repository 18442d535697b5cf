#include "base/atomic_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <string>
#include <unistd.h>

namespace matryx {

namespace {
constexpr size_t kBufferSize = size_t(1) << 20;
}

Result<std::unique_ptr<AtomicFile>> AtomicFile::create(const std::filesystem::path& target, Overwrite overwrite) {
    std::error_code ec;
    if (overwrite == Overwrite::No && std::filesystem::exists(target, ec))
        return makeError(target.string(), {}, std::nullopt, "file exists (use --force to overwrite)");
    if (std::filesystem::is_directory(target, ec))
        return makeError(target.string(), {}, std::nullopt, "is a folder");

    const auto folder = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
    std::string pattern = (folder / ("." + target.filename().string() + ".XXXXXX.part")).string();
    const int fd = ::mkstemps(pattern.data(), 5);
    if (fd < 0)
        return makeError(target.string(), {}, std::nullopt,
                         std::string("cannot create a temporary file in the target folder: ") +
                             std::strerror(errno));
    ::fchmod(fd, 0644);
    auto file = std::unique_ptr<AtomicFile>(new AtomicFile());
    file->target_ = target;
    file->temp_ = pattern;
    file->overwrite_ = overwrite;
    file->fd_ = fd;
    file->buffer_ = std::make_unique<std::byte[]>(kBufferSize);
    return file;
}

AtomicFile::~AtomicFile() {
    if (fd_ >= 0)
        ::close(fd_);
    if (!committed_ && !temp_.empty())
        ::unlink(temp_.c_str());
}

Error AtomicFile::ioError(const char* what) const {
    return makeError(target_.string(), {}, position_, std::string(what) + ": " + std::strerror(errno));
}

Status AtomicFile::flush() {
    size_t done = 0;
    while (done < buffered_) {
        const ssize_t n = ::write(fd_, buffer_.get() + done, buffered_ - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return ioError("write failed");
        }
        done += static_cast<size_t>(n);
    }
    buffered_ = 0;
    return {};
}

Status AtomicFile::write(std::span<const std::byte> bytes) {
    if (fd_ < 0)
        return makeError(target_.string(), {}, position_, "write after commit");
    while (!bytes.empty()) {
        const size_t n = std::min(bytes.size(), kBufferSize - buffered_);
        std::memcpy(buffer_.get() + buffered_, bytes.data(), n);
        buffered_ += n;
        position_ += n;
        bytes = bytes.subspan(n);
        if (buffered_ == kBufferSize)
            if (auto s = flush(); !s)
                return s;
    }
    return {};
}

Status AtomicFile::writeZeros(uint64_t count) {
    static const std::byte zeros[4096] = {};
    while (count > 0) {
        const uint64_t n = std::min<uint64_t>(count, sizeof zeros);
        if (auto s = write({zeros, static_cast<size_t>(n)}); !s)
            return s;
        count -= n;
    }
    return {};
}

Status AtomicFile::commit() {
    if (fd_ < 0)
        return makeError(target_.string(), {}, std::nullopt, "already committed");
    if (auto s = flush(); !s)
        return s;
    if (::fsync(fd_) != 0)
        return ioError("fsync failed");
    ::close(fd_);
    fd_ = -1;
    // The check in create() may be stale; renameat2(RENAME_NOREPLACE) is not portable to
    // every filesystem, so link() gives the no-overwrite guarantee where asked.
    if (overwrite_ == Overwrite::No) {
        if (::link(temp_.c_str(), target_.c_str()) != 0)
            return makeError(target_.string(), {}, std::nullopt,
                             std::string("cannot move into place: ") + std::strerror(errno));
        ::unlink(temp_.c_str());
    } else if (::rename(temp_.c_str(), target_.c_str()) != 0) {
        return makeError(target_.string(), {}, std::nullopt,
                         std::string("cannot move into place: ") + std::strerror(errno));
    }
    committed_ = true;
    return {};
}

} // namespace matryx
