#pragma once

// The on-disk cache of compiled OpenCL programs, so that a second run skips the compiler
// (seconds on some drivers). One file per program, named by a 64-bit hash of its key; the key
// names the device, the driver, the build options and a hash of the source, so any change of
// driver or kernel source misses the cache instead of loading a stale binary.
//
// File layout (little-endian):
//   "MTXCLBIN"  8 bytes    magic
//   u32         version    kFormatVersion
//   u32         keyBytes   length of the key text (at most 64 KiB)
//   u64         binBytes   length of the binary (at most 256 MiB)
//   u64         checksum   FNV-1a 64 of the binary
//   key text, then the binary
// A file that is short, has another magic, version or key, or a wrong checksum is corrupt: load()
// reports it (and removes the file) and the caller rebuilds from source and stores again.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace matryx {

// FNV-1a 64 over the bytes, chained from `seed`.
uint64_t fnv1a64(std::string_view bytes, uint64_t seed = 0xcbf29ce484222325ull) noexcept;

class ProgramBinaryCache {
public:
    enum class LoadResult { Hit, Miss, Corrupt };

    // dir empty: a cache that never hits and stores nothing.
    explicit ProgramBinaryCache(std::filesystem::path dir);

    // $XDG_CACHE_HOME/matryx/opencl, else $HOME/.cache/matryx/opencl; empty if neither is set.
    static std::filesystem::path defaultDirectory();

    const std::filesystem::path& directory() const noexcept { return dir_; }
    // The file that holds `key`.
    std::filesystem::path pathFor(std::string_view key) const;

    // The binary stored for `key`. Corrupt entries are removed.
    LoadResult load(std::string_view key, std::vector<unsigned char>& binary) const;
    // Writes the entry atomically (temporary file + rename). Returns false, logging why, when the
    // folder cannot be written: the cache is an optimisation, never a reason to fail.
    bool store(std::string_view key, const std::vector<unsigned char>& binary) const;
    // Removes the entry for `key` (after the driver rejected its binary).
    void remove(std::string_view key) const;

private:
    std::filesystem::path dir_;
};

} // namespace matryx
