#include "compute/program_binary_cache.h"

#include "base/atomic_file.h"
#include "base/log.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace matryx {

namespace {

constexpr std::array<char, 8> kMagic = {'M', 'T', 'X', 'C', 'L', 'B', 'I', 'N'};
constexpr uint32_t kFormatVersion = 1;
constexpr size_t kHeaderBytes = 8 + 4 + 4 + 8 + 8;
constexpr uint64_t kMaxKeyBytes = 64 * 1024;
constexpr uint64_t kMaxBinaryBytes = uint64_t(256) << 20;

template <class T>
T readLE(const unsigned char* p) {
    T v = 0;
    for (size_t i = 0; i < sizeof(T); ++i)
        v |= T(p[i]) << (8 * i);
    return v;
}

template <class T>
void appendLE(std::vector<std::byte>& out, T v) {
    for (size_t i = 0; i < sizeof(T); ++i)
        out.push_back(std::byte((v >> (8 * i)) & 0xff));
}

std::string hex64(uint64_t v) {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(v));
    return text;
}

std::string_view asText(const std::vector<unsigned char>& bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

} // namespace

uint64_t fnv1a64(std::string_view bytes, uint64_t seed) noexcept {
    uint64_t h = seed;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    return h;
}

ProgramBinaryCache::ProgramBinaryCache(std::filesystem::path dir) : dir_(std::move(dir)) {}

std::filesystem::path ProgramBinaryCache::defaultDirectory() {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/')
        return std::filesystem::path(xdg) / "matryx" / "opencl";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".cache" / "matryx" / "opencl";
    return {};
}

std::filesystem::path ProgramBinaryCache::pathFor(std::string_view key) const {
    return dir_ / (hex64(fnv1a64(key)) + ".clbin");
}

ProgramBinaryCache::LoadResult ProgramBinaryCache::load(std::string_view key,
                                                        std::vector<unsigned char>& binary) const {
    binary.clear();
    if (dir_.empty())
        return LoadResult::Miss;
    const auto path = pathFor(key);
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec)
        return LoadResult::Miss;

    const auto corrupt = [&](const char* why) {
        logInfo("OpenCL program cache: " + path.string() + " is corrupt (" + why + "); rebuilding it");
        std::filesystem::remove(path, ec);
        binary.clear();
        return LoadResult::Corrupt;
    };
    if (size < kHeaderBytes || size > kHeaderBytes + kMaxKeyBytes + kMaxBinaryBytes)
        return corrupt("bad size");
    std::ifstream in(path, std::ios::binary);
    std::vector<unsigned char> bytes(size);
    if (!in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(size)))
        return corrupt("short read");
    if (std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0)
        return corrupt("bad magic");
    if (readLE<uint32_t>(bytes.data() + 8) != kFormatVersion)
        return corrupt("other format version");
    const uint64_t keyBytes = readLE<uint32_t>(bytes.data() + 12);
    const uint64_t binBytes = readLE<uint64_t>(bytes.data() + 16);
    const uint64_t checksum = readLE<uint64_t>(bytes.data() + 24);
    if (keyBytes > kMaxKeyBytes || binBytes > kMaxBinaryBytes || kHeaderBytes + keyBytes + binBytes != size)
        return corrupt("sizes do not match the file");
    const std::string_view storedKey(reinterpret_cast<const char*>(bytes.data() + kHeaderBytes), keyBytes);
    if (storedKey != key) // a hash collision or a renamed file: not ours
        return corrupt("key differs");
    binary.assign(bytes.begin() + std::ptrdiff_t(kHeaderBytes + keyBytes), bytes.end());
    if (fnv1a64(asText(binary)) != checksum)
        return corrupt("checksum mismatch");
    return LoadResult::Hit;
}

bool ProgramBinaryCache::store(std::string_view key, const std::vector<unsigned char>& binary) const {
    if (dir_.empty() || binary.empty() || binary.size() > kMaxBinaryBytes || key.size() > kMaxKeyBytes)
        return false;
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    std::vector<std::byte> out;
    out.reserve(kHeaderBytes + key.size() + binary.size());
    for (char c : kMagic)
        out.push_back(std::byte(c));
    appendLE<uint32_t>(out, kFormatVersion);
    appendLE<uint32_t>(out, uint32_t(key.size()));
    appendLE<uint64_t>(out, binary.size());
    appendLE<uint64_t>(out, fnv1a64(asText(binary)));
    for (char c : key)
        out.push_back(std::byte(c));
    for (unsigned char c : binary)
        out.push_back(std::byte(c));

    auto file = AtomicFile::create(pathFor(key), Overwrite::Yes);
    Status status = file ? (*file)->write(out) : Status(file.error());
    if (status)
        status = (*file)->commit();
    if (!status) {
        logInfo("OpenCL program cache: cannot store a binary: " + status.error().toString());
        return false;
    }
    return true;
}

void ProgramBinaryCache::remove(std::string_view key) const {
    if (dir_.empty())
        return;
    std::error_code ec;
    std::filesystem::remove(pathFor(key), ec);
}

} // namespace matryx
