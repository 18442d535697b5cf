#include "format/hf_rope_permute.h"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

namespace matryx {

namespace {

// Rows of `rowBytes` bytes, every byte of row r equal to r.
std::vector<std::byte> numberedRows(size_t rows, size_t rowBytes) {
    std::vector<std::byte> out(rows * rowBytes);
    for (size_t r = 0; r < rows; ++r)
        for (size_t k = 0; k < rowBytes; ++k)
            out[r * rowBytes + k] = std::byte(r);
    return out;
}

std::vector<int> rowOrder(const std::vector<std::byte>& data, size_t rowBytes) {
    std::vector<int> order;
    for (size_t i = 0; i < data.size(); i += rowBytes)
        order.push_back(std::to_integer<int>(data[i]));
    return order;
}

} // namespace

// Expected orders computed with numpy as convert_hf_to_gguf.py does:
// w.reshape(heads, 2, rows // heads // 2, cols).swapaxes(1, 2).reshape(w.shape)
TEST(HfRopePermute, MatchesLlamaCppRowOrder) {
    const auto in = numberedRows(12, 3);
    std::vector<std::byte> out(in.size());
    ASSERT_TRUE(permuteQkRowsToGguf(in, out, 12, 2).ok());
    EXPECT_EQ(rowOrder(out, 3), (std::vector<int>{0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11}));

    const auto in16 = numberedRows(16, 1);
    std::vector<std::byte> out16(in16.size());
    ASSERT_TRUE(permuteQkRowsToGguf(in16, out16, 16, 2).ok());
    EXPECT_EQ(rowOrder(out16, 1), (std::vector<int>{0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15}));
}

TEST(HfRopePermute, InverseRestoresHfOrder) {
    const auto in = numberedRows(64, 5);
    std::vector<std::byte> gguf(in.size()), back(in.size());
    ASSERT_TRUE(permuteQkRowsToGguf(in, gguf, 64, 4).ok());
    EXPECT_NE(gguf, in);
    ASSERT_TRUE(permuteQkRowsToHf(gguf, back, 64, 4).ok());
    EXPECT_EQ(back, in);
}

TEST(HfRopePermute, RefusesShapesThatDoNotSplit) {
    const auto in = numberedRows(12, 2);
    std::vector<std::byte> out(in.size(), std::byte{0xAA});
    EXPECT_FALSE(permuteQkRowsToGguf(in, out, 12, 4).ok()); // 3 rows per head: odd
    EXPECT_FALSE(permuteQkRowsToGguf(in, out, 12, 0).ok());
    EXPECT_FALSE(permuteQkRowsToGguf(in, out, 10, 1).ok()); // 24 bytes are not 10 equal rows... of 2.4
    std::vector<std::byte> shorter(in.size() - 2);
    EXPECT_FALSE(permuteQkRowsToGguf(in, shorter, 12, 2).ok());
    EXPECT_EQ(out, std::vector<std::byte>(in.size(), std::byte{0xAA}));
}

TEST(HfRopePermute, OnlyLlamaIsPermuted) {
    EXPECT_TRUE(hasPermutedQkRows("llama"));
    EXPECT_FALSE(hasPermutedQkRows("qwen2"));
    EXPECT_FALSE(hasPermutedQkRows("gemma3"));
}

} // namespace matryx
