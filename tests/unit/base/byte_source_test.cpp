#include "base/byte_source.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace matryx {

TEST(ByteSource, MapsAFile) {
    const auto path = std::filesystem::temp_directory_path() / "matryx-bytesource.bin";
    std::ofstream(path, std::ios::binary) << "abcdef";
    auto source = ByteSource::mapFile(path);
    ASSERT_TRUE(source) << source.error().toString();
    EXPECT_EQ((*source)->size(), 6u);
    EXPECT_EQ(static_cast<char>((*source)->bytes()[2]), 'c');
    std::filesystem::remove(path);
}

TEST(ByteSource, MissingFileNamesIt) {
    auto source = ByteSource::mapFile("/nonexistent/x.gguf");
    ASSERT_FALSE(source);
    EXPECT_EQ(source.error().file, "/nonexistent/x.gguf");
}

TEST(ByteSource, SliceStaysInside) {
    const std::vector<std::byte> data(10);
    auto source = ByteSource::own(data, "<memory>");
    EXPECT_EQ(source->slice(2, 8).size(), 8u);
    EXPECT_TRUE(source->slice(2, 9).empty());
    EXPECT_TRUE(source->slice(UINT64_MAX, 2).empty());
    EXPECT_TRUE(source->slice(1, UINT64_MAX).empty());
}

} // namespace matryx
