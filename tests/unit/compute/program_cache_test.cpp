// The program cache: binaries stored on disk are reused by the next context, and a corrupt or
// refused cache file is rebuilt from source. The file format is checked without a device too.

#include "compute/program_binary_cache.h"

#include "base/log.h"
#include "compute/opencl_context.h"
#include "compute/opencl_dequantize.h"
#include "opencl_test_support.h"

#include <gtest/gtest.h>

#include <array>
#include <fstream>
#include <string_view>
#include <vector>

namespace matryx {
namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 2> kFiles = {"common.cl", "dequantize_float.cl"};

std::vector<unsigned char> readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeFile(const fs::path& path, const std::vector<unsigned char>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

std::vector<fs::path> cacheFiles(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir))
        files.push_back(entry.path());
    return files;
}

TEST(ProgramBinaryCache, StoresLoadsAndRejectsDamagedFiles) {
    test::TempDir dir;
    const ProgramBinaryCache cache(dir.path() / "sub" / "dir");
    const std::vector<unsigned char> binary = {1, 2, 3, 4, 5, 250};
    std::vector<unsigned char> loaded;
    EXPECT_EQ(cache.load("key", loaded), ProgramBinaryCache::LoadResult::Miss);
    ASSERT_TRUE(cache.store("key", binary));
    EXPECT_EQ(cache.load("key", loaded), ProgramBinaryCache::LoadResult::Hit);
    EXPECT_EQ(loaded, binary);
    EXPECT_EQ(cache.load("other key", loaded), ProgramBinaryCache::LoadResult::Miss);

    const fs::path file = cache.pathFor("key");
    const auto good = readFile(file);
    // One damage per field: magic, version, key length, binary length, checksum, key, binary, size.
    for (size_t at : {size_t(0), size_t(8), size_t(12), size_t(16), size_t(24), size_t(32), good.size() - 1}) {
        auto bad = good;
        bad[at] ^= 0x20;
        writeFile(file, bad);
        ScopedLogCapture log;
        EXPECT_EQ(cache.load("key", loaded), ProgramBinaryCache::LoadResult::Corrupt) << "byte " << at;
        EXPECT_TRUE(loaded.empty());
        EXPECT_FALSE(fs::exists(file)) << "a corrupt entry is removed";
        EXPECT_TRUE(log.contains("corrupt"));
    }
    for (size_t size : {size_t(0), size_t(10), good.size() - 1}) {
        writeFile(file, std::vector<unsigned char>(good.begin(), good.begin() + std::ptrdiff_t(size)));
        EXPECT_EQ(cache.load("key", loaded), ProgramBinaryCache::LoadResult::Corrupt) << size << " bytes";
    }
}

TEST(ProgramBinaryCache, WithoutAFolderNeverHitsAndStoresNothing) {
    const ProgramBinaryCache cache{fs::path()};
    std::vector<unsigned char> loaded;
    EXPECT_FALSE(cache.store("key", {1, 2, 3}));
    EXPECT_EQ(cache.load("key", loaded), ProgramBinaryCache::LoadResult::Miss);
}

class OpenClProgramCache : public test::OpenClTest {};

TEST_F(OpenClProgramCache, SecondContextLoadsTheBinaryAndCorruptFilesAreRebuilt) {
    test::TempDir dir;
    const OpenClOptions options{dir.path()};

    auto first = test::newOpenClContext(options);
    ASSERT_TRUE(first);
    ASSERT_TRUE(first->program(kFiles));
    ASSERT_TRUE(first->program(kFiles));
    EXPECT_EQ(first->counters().sourceBuilds, 1u);
    EXPECT_EQ(first->counters().memoryHits, 1u);
    const auto files = cacheFiles(dir.path());
    ASSERT_EQ(files.size(), 1u);
    const auto stored = readFile(files[0]);

    auto second = test::newOpenClContext(options);
    ASSERT_TRUE(second->program(kFiles));
    EXPECT_EQ(second->counters().diskHits, 1u);
    EXPECT_EQ(second->counters().sourceBuilds, 0u);

    // The program from the cache works: the F16 kernel converts one value.
    const std::vector<std::byte> one = {std::byte{0x00}, std::byte{0x3c}}; // 1.0
    std::vector<float> out(1);
    ASSERT_TRUE(dequantizeOpenCl(*second, TensorType::F16, one, out));
    EXPECT_EQ(out[0], 1.0f);

    // Flipped payload byte: the checksum catches it, the program is rebuilt and stored again.
    auto damaged = stored;
    damaged[damaged.size() / 2] ^= 0xff;
    writeFile(files[0], damaged);
    {
        ScopedLogCapture log;
        auto third = test::newOpenClContext(options);
        ASSERT_TRUE(third->program(kFiles));
        EXPECT_EQ(third->counters().rejectedEntries, 1u);
        EXPECT_EQ(third->counters().sourceBuilds, 1u);
        EXPECT_TRUE(log.contains("corrupt"));
    }
    EXPECT_EQ(readFile(files[0]), stored) << "the rebuilt binary is stored again";

    // A well-formed entry whose binary the driver refuses: rebuilt as well.
    ProgramBinaryCache cache(dir.path());
    std::string key;
    {
        // Recover the key from the file: it follows the 32-byte header.
        const uint32_t keyBytes = stored[12] | stored[13] << 8 | stored[14] << 16 | uint32_t(stored[15]) << 24;
        key.assign(stored.begin() + 32, stored.begin() + 32 + keyBytes);
    }
    ASSERT_TRUE(cache.store(key, std::vector<unsigned char>(64, 0x5a)));
    {
        ScopedLogCapture log;
        auto fourth = test::newOpenClContext(options);
        ASSERT_TRUE(fourth->program(kFiles));
        EXPECT_EQ(fourth->counters().rejectedEntries, 1u);
        EXPECT_EQ(fourth->counters().sourceBuilds, 1u);
    }
    auto fifth = test::newOpenClContext(options);
    ASSERT_TRUE(fifth->program(kFiles));
    EXPECT_EQ(fifth->counters().diskHits, 1u);
}

TEST_F(OpenClProgramCache, BuildErrorsCarryTheBuildLog) {
    test::TempDir dir;
    auto context = test::newOpenClContext({dir.path()});
    ASSERT_TRUE(context);
    // Valid sources, but a macro that breaks them: the compiler must complain.
    ScopedLogCapture log;
    auto program = context->program(kFiles, "-Dload_u32=1");
    ASSERT_FALSE(program);
    EXPECT_NE(program.error().toString().find("CL_BUILD_PROGRAM_FAILURE"), std::string::npos)
        << program.error().toString();
    EXPECT_TRUE(log.contains("build log", LogLevel::Error));
    EXPECT_TRUE(cacheFiles(dir.path()).empty()) << "a failed build stores nothing";

    auto missing = context->program(std::array<std::string_view, 1>{"no_such_file.cl"});
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("no_such_file.cl"), std::string::npos);
}

} // namespace
} // namespace matryx
