#pragma once

// Read-only bytes of a model file: a memory map of a file on disk, or a caller's buffer
// (what the fuzzers and unit tests use). Pages are only touched when read, so opening a
// multi-gigabyte file costs nothing until tensor data is looked at.

#include "base/error.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace matryx {

class ByteSource {
public:
    // Maps the whole file read-only. Fails with an Error naming the file.
    static Result<std::shared_ptr<const ByteSource>> mapFile(const std::filesystem::path& path);
    // Wraps a buffer the caller keeps alive for the lifetime of the source.
    static std::shared_ptr<const ByteSource> borrow(std::span<const std::byte> bytes, std::string name);
    // Takes ownership of a buffer.
    static std::shared_ptr<const ByteSource> own(std::vector<std::byte> bytes, std::string name);

    ~ByteSource();
    ByteSource(const ByteSource&) = delete;
    ByteSource& operator=(const ByteSource&) = delete;

    std::span<const std::byte> bytes() const noexcept { return {data_, size_}; }
    uint64_t size() const noexcept { return size_; }
    // The path (for files) or the given name; used in error messages.
    const std::string& name() const noexcept { return name_; }

    // Bytes [offset, offset + length), or an empty span when the range is not inside.
    std::span<const std::byte> slice(uint64_t offset, uint64_t length) const noexcept;

private:
    ByteSource() = default;

    const std::byte* data_ = nullptr;
    uint64_t size_ = 0;
    std::string name_;
    bool mapped_ = false;
    std::vector<std::byte> owned_;
};

} // namespace matryx
