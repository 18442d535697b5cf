#include "base/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace matryx {
namespace fs = std::filesystem;

namespace {

fs::path freshFolder(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("matryx-atomic-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::string readAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

size_t entries(const fs::path& dir) {
    return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

std::span<const std::byte> bytesOf(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size())); }

} // namespace

TEST(AtomicFile, CommitMovesIntoPlace) {
    const auto dir = freshFolder("commit");
    auto file = AtomicFile::create(dir / "out.bin", Overwrite::No);
    ASSERT_TRUE(file) << file.error().toString();
    ASSERT_TRUE((*file)->write(bytesOf("hello")));
    ASSERT_TRUE((*file)->writeZeros(3));
    EXPECT_EQ((*file)->position(), 8u);
    EXPECT_FALSE(fs::exists(dir / "out.bin")); // nothing visible before commit
    ASSERT_TRUE((*file)->commit());
    file.value().reset();
    EXPECT_EQ(readAll(dir / "out.bin"), std::string("hello\0\0\0", 8));
    EXPECT_EQ(entries(dir), 1u);
}

TEST(AtomicFile, AbandonedWriteLeavesNothing) {
    const auto dir = freshFolder("abandon");
    {
        auto file = AtomicFile::create(dir / "out.bin", Overwrite::No);
        ASSERT_TRUE(file);
        ASSERT_TRUE((*file)->write(bytesOf("partial")));
        EXPECT_TRUE(fs::exists((*file)->temporaryPath()));
    }
    EXPECT_EQ(entries(dir), 0u);
}

TEST(AtomicFile, RefusesToOverwriteUnlessAsked) {
    const auto dir = freshFolder("overwrite");
    std::ofstream(dir / "out.bin") << "old";
    auto refused = AtomicFile::create(dir / "out.bin", Overwrite::No);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("exists"), std::string::npos);

    auto file = AtomicFile::create(dir / "out.bin", Overwrite::Yes);
    ASSERT_TRUE(file);
    ASSERT_TRUE((*file)->write(bytesOf("new")));
    ASSERT_TRUE((*file)->commit());
    EXPECT_EQ(readAll(dir / "out.bin"), "new");
}

TEST(AtomicFile, WritesMoreThanItsBuffer) {
    const auto dir = freshFolder("large");
    const std::string chunk(3 << 20, 'x');
    auto file = AtomicFile::create(dir / "big.bin", Overwrite::No);
    ASSERT_TRUE(file);
    ASSERT_TRUE((*file)->write(bytesOf(chunk)));
    ASSERT_TRUE((*file)->commit());
    EXPECT_EQ(fs::file_size(dir / "big.bin"), chunk.size());
}

} // namespace matryx
