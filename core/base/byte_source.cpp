#include "base/byte_source.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace matryx {

Result<std::shared_ptr<const ByteSource>> ByteSource::mapFile(const std::filesystem::path& path) {
    const std::string name = path.string();
    const int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return makeError(name, {}, std::nullopt, std::string("cannot open: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return makeError(name, {}, std::nullopt, std::string("cannot stat: ") + std::strerror(err));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        return makeError(name, {}, std::nullopt, "not a regular file");
    }
    auto source = std::shared_ptr<ByteSource>(new ByteSource());
    source->name_ = name;
    source->size_ = static_cast<uint64_t>(st.st_size);
    if (source->size_ > 0) {
        void* addr = ::mmap(nullptr, source->size_, PROT_READ, MAP_PRIVATE, fd, 0);
        if (addr == MAP_FAILED) {
            const int err = errno;
            ::close(fd);
            return makeError(name, {}, std::nullopt, std::string("cannot map: ") + std::strerror(err));
        }
        source->data_ = static_cast<const std::byte*>(addr);
        source->mapped_ = true;
    }
    ::close(fd); // the mapping keeps the file alive
    return std::shared_ptr<const ByteSource>(std::move(source));
}

std::shared_ptr<const ByteSource> ByteSource::borrow(std::span<const std::byte> bytes, std::string name) {
    auto source = std::shared_ptr<ByteSource>(new ByteSource());
    source->data_ = bytes.data();
    source->size_ = bytes.size();
    source->name_ = std::move(name);
    return source;
}

std::shared_ptr<const ByteSource> ByteSource::own(std::vector<std::byte> bytes, std::string name) {
    auto source = std::shared_ptr<ByteSource>(new ByteSource());
    source->owned_ = std::move(bytes);
    source->data_ = source->owned_.data();
    source->size_ = source->owned_.size();
    source->name_ = std::move(name);
    return source;
}

ByteSource::~ByteSource() {
    if (mapped_)
        ::munmap(const_cast<std::byte*>(data_), size_);
}

std::span<const std::byte> ByteSource::slice(uint64_t offset, uint64_t length) const noexcept {
    if (offset > size_ || length > size_ - offset)
        return {};
    return {data_ + offset, static_cast<size_t>(length)};
}

} // namespace matryx
