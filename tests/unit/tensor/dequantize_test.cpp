#include "tensor/dequantize.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace matryx {
namespace {

// Blocks are built byte by byte from the layouts in ggml-common.h; every expected value is worked
// out by hand in the comment next to it.

constexpr uint16_t kHalfOne = 0x3c00, kHalfHalf = 0x3800, kHalfTwo = 0x4000, kHalfQuarter = 0x3400;

struct Block {
    std::vector<std::byte> bytes;
    explicit Block(size_t n) : bytes(n) {}
    void u8(size_t at, uint8_t v) { bytes[at] = std::byte(v); }
    void u16(size_t at, uint16_t v) {
        u8(at, uint8_t(v & 0xff));
        u8(at + 1, uint8_t(v >> 8));
    }
    void u32(size_t at, uint32_t v) {
        u16(at, uint16_t(v & 0xffff));
        u16(at + 2, uint16_t(v >> 16));
    }
};

std::vector<float> run(TensorType type, const Block& b) {
    const auto& t = typeTraits(type);
    std::vector<float> out(b.bytes.size() / t.blockBytes * t.blockSize);
    const Status s = dequantize(type, b.bytes, out);
    EXPECT_TRUE(s) << (s ? "" : s.error().toString());
    return out;
}

TEST(Dequantize, Q4_0) {
    Block b(18);
    b.u16(0, kHalfHalf);
    for (int j = 0; j < 16; ++j)
        b.u8(2 + j, uint8_t(j | ((15 - j) << 4)));
    const auto y = run(TensorType::Q4_0, b);
    for (int j = 0; j < 16; ++j) {
        EXPECT_EQ(y[j], (j - 8) * 0.5f) << j;          // low nibble j, offset 8
        EXPECT_EQ(y[16 + j], (7 - j) * 0.5f) << j;     // high nibble 15 - j
    }
}

TEST(Dequantize, Q4_1) {
    Block b(20);
    b.u16(0, kHalfOne);
    b.u16(2, 0xc000);  // min -2
    b.u8(4, 0xf3);
    const auto y = run(TensorType::Q4_1, b);
    EXPECT_EQ(y[0], 1.0f);    // 3 * 1 - 2
    EXPECT_EQ(y[16], 13.0f);  // 15 * 1 - 2
    EXPECT_EQ(y[1], -2.0f);
}

TEST(Dequantize, Q5_0HighBits) {
    Block b(22);
    b.u16(0, kHalfOne);
    b.u32(2, 0x80000001u);  // fifth bit of values 0 and 31
    b.u8(6 + 15, 0x70);     // value 31: high nibble 7
    const auto y = run(TensorType::Q5_0, b);
    EXPECT_EQ(y[0], 0.0f);    // (0 | 16) - 16
    EXPECT_EQ(y[1], -16.0f);  // (0 | 0) - 16
    EXPECT_EQ(y[31], 7.0f);   // (7 | 16) - 16
}

TEST(Dequantize, Q8_0) {
    Block b(34);
    b.u16(0, kHalfQuarter);
    for (int j = 0; j < 32; ++j)
        b.u8(2 + j, uint8_t(int8_t(j * 8 - 128)));
    const auto y = run(TensorType::Q8_0, b);
    for (int j = 0; j < 32; ++j)
        EXPECT_EQ(y[j], (j * 8 - 128) * 0.25f) << j;
}

TEST(Dequantize, Q1_0SignBits) {
    Block b(18);
    b.u16(0, kHalfTwo);
    b.u8(2, 0x05);       // values 0 and 2 set
    b.u8(2 + 15, 0x80);  // value 127 set
    const auto y = run(TensorType::Q1_0, b);
    ASSERT_EQ(y.size(), 128u);
    EXPECT_EQ(y[0], 2.0f);
    EXPECT_EQ(y[1], -2.0f);
    EXPECT_EQ(y[2], 2.0f);
    EXPECT_EQ(y[3], -2.0f);
    EXPECT_EQ(y[126], -2.0f);
    EXPECT_EQ(y[127], 2.0f);
}

TEST(Dequantize, Q2_0Codes) {
    Block b(18);
    b.u16(0, 0x4200);        // 3.0
    b.u8(2, 0b11100100);     // values 0..3: codes 0, 1, 2, 3
    b.u8(2 + 15, 0x03);      // value 60: code 3
    const auto y = run(TensorType::Q2_0, b);
    ASSERT_EQ(y.size(), 64u);
    EXPECT_EQ(y[0], -3.0f);  // code 0 = -1
    EXPECT_EQ(y[1], 0.0f);   // code 1 = 0
    EXPECT_EQ(y[2], 3.0f);   // code 2 = +1
    EXPECT_EQ(y[3], 6.0f);   // code 3 = +2
    EXPECT_EQ(y[4], -3.0f);
    EXPECT_EQ(y[60], 6.0f);
    EXPECT_EQ(y[63], -3.0f);
}

TEST(Dequantize, Q2_K) {
    Block b(84);
    b.u8(0, 0x21);       // sub-block 0: scale 1, min 2
    b.u8(8, 0x13);       // sub-block 8 (values 128..143): scale 3, min 1
    b.u8(16 + 0, 0x03);  // qs[0]: value 0 = 3
    b.u8(16 + 1, 0x02);  // qs[1]: value 1 = 2
    b.u8(16 + 32, 0x01); // qs[32]: value 128 = 1
    b.u16(80, kHalfOne);
    b.u16(82, kHalfHalf);
    const auto y = run(TensorType::Q2_K, b);
    EXPECT_EQ(y[0], 2.0f);     // 1 * 3 - 0.5 * 2
    EXPECT_EQ(y[1], 1.0f);     // 1 * 2 - 1
    EXPECT_EQ(y[2], -1.0f);    // 0 - 1
    EXPECT_EQ(y[128], 2.5f);   // 3 * 1 - 0.5 * 1
    EXPECT_EQ(y[129], -0.5f);
}

TEST(Dequantize, Q4_KPackedScales) {
    Block b(144);
    b.u16(0, kHalfOne);
    b.u16(2, kHalfOne);
    b.u8(4 + 0, 0x42);  // scale 0 = 2; its top bits (1) are the high bits of scale 4
    b.u8(4 + 1, 0x01);  // scale 1 = 1
    b.u8(4 + 4, 0x01);  // min 0 = 1
    b.u8(4 + 8, 0x21);  // scale 4 low nibble 1, min 4 low nibble 2
    b.u8(16 + 0, 0x35);
    b.u8(16 + 64, 0x02);
    const auto y = run(TensorType::Q4_K, b);
    EXPECT_EQ(y[0], 9.0f);     // 2 * 5 - 1
    EXPECT_EQ(y[32], 3.0f);    // sub-block 1: 1 * 3 - 0
    EXPECT_EQ(y[1], -1.0f);    // 2 * 0 - 1
    EXPECT_EQ(y[128], 32.0f);  // sub-block 4: scale 1 | 1 << 4 = 17, min 2: 17 * 2 - 2
}

TEST(Dequantize, MXFP4AndNVFP4) {
    Block mx(17);
    mx.u8(0, 128);     // scale 2^(128 - 127) = 2
    mx.u8(1, 0x97);
    const auto y = run(TensorType::MXFP4, mx);
    EXPECT_EQ(y[0], 12.0f);   // E2M1 code 7 = 6.0, times 2
    EXPECT_EQ(y[16], -1.0f);  // code 9 = -0.5, times 2

    Block nv(36);
    nv.u8(0, 0x38);    // sub-block 0 scale 1.0 (UE4M3)
    nv.u8(1, 0x40);    // sub-block 1 scale 2.0
    nv.u8(4, 0x21);
    nv.u8(4 + 8, 0x07);
    const auto z = run(TensorType::NVFP4, nv);
    EXPECT_EQ(z[0], 0.5f);    // code 1 = 0.5
    EXPECT_EQ(z[8], 1.0f);    // code 2 = 1.0
    EXPECT_EQ(z[16], 12.0f);  // code 7 = 6.0, times 2
    EXPECT_EQ(z[17], 0.0f);
}

TEST(Dequantize, TernaryTypes) {
    Block t2(66);
    t2.u8(0, 0b00100100);  // bit pairs: value 0 code 0, value 32 code 1, value 64 code 2, value 96 code 0
    t2.u16(64, kHalfTwo);
    const auto y = run(TensorType::TQ2_0, t2);
    EXPECT_EQ(y[0], -2.0f);
    EXPECT_EQ(y[32], 0.0f);
    EXPECT_EQ(y[64], 2.0f);
    EXPECT_EQ(y[96], -2.0f);

    // Trits (2, 0, 1, 1, 0) are 2*81 + 9 + 3 = 174 in base 3, stored as ceil(174 * 256 / 243) = 184;
    // they are values 0, 32, 64, 96 and 128.
    Block t1(54);
    t1.u8(0, 184);
    t1.u16(52, kHalfOne);
    const auto z = run(TensorType::TQ1_0, t1);
    EXPECT_EQ(z[0], 1.0f);
    EXPECT_EQ(z[32], -1.0f);
    EXPECT_EQ(z[64], 0.0f);
    EXPECT_EQ(z[96], 0.0f);
    EXPECT_EQ(z[128], -1.0f);
}

TEST(Dequantize, IQ4_NLLevels) {
    Block b(18);
    b.u16(0, kHalfOne);
    b.u8(2, 0xf0);
    b.u8(3, 0x87);
    const auto y = run(TensorType::IQ4_NL, b);
    EXPECT_EQ(y[0], -127.0f);  // level 0
    EXPECT_EQ(y[16], 113.0f);  // level 15
    EXPECT_EQ(y[1], -10.0f);   // level 7
    EXPECT_EQ(y[17], 1.0f);    // level 8
}

TEST(Dequantize, IQ2_XXSScaleAndSigns) {
    // Grid entry 0 is eight 8s. Sign index 1 stands for bits 0 and 7 (odd parity completed).
    Block b(66);
    b.u16(0, kHalfOne);
    b.u32(2 + 4, 1u);                  // sub-block 0: sign index 1 for the first 8, scale 0
    b.u32(2 + 8 + 4, 15u << 28);       // sub-block 1: scale 15
    const auto y = run(TensorType::IQ2_XXS, b);
    EXPECT_EQ(y[0], -1.0f);   // 1 * (0.5 + 0) * 0.25 * 8, negated
    EXPECT_EQ(y[1], 1.0f);
    EXPECT_EQ(y[7], -1.0f);
    EXPECT_EQ(y[8], 1.0f);
    EXPECT_EQ(y[32], 31.0f);  // (0.5 + 15) * 0.25 * 8
}

TEST(Dequantize, PlainTypesConvertByValue) {
    Block i32(8);
    i32.u32(0, 16777217u);  // 2^24 + 1: halfway, rounds to even 2^24
    i32.u32(4, uint32_t(-5));
    auto y = run(TensorType::I32, i32);
    EXPECT_EQ(y[0], 16777216.0f);
    EXPECT_EQ(y[1], -5.0f);

    Block i8(2);
    i8.u8(0, 0x80);
    i8.u8(1, 0x7f);
    y = run(TensorType::I8, i8);
    EXPECT_EQ(y[0], -128.0f);
    EXPECT_EQ(y[1], 127.0f);

    Block boolean(3);
    boolean.u8(1, 1);
    boolean.u8(2, 2);
    y = run(TensorType::Bool, boolean);
    EXPECT_EQ(y, (std::vector<float>{0.0f, 1.0f, 1.0f}));

    const double doubles[] = {1e300, -0x1.ffffffp127, 0x1.fffffefffffffp127, 0.1, std::nan("")};
    Block f64(sizeof doubles);
    std::memcpy(f64.bytes.data(), doubles, sizeof doubles);
    y = run(TensorType::F64, f64);
    EXPECT_EQ(y[0], std::numeric_limits<float>::infinity());
    EXPECT_EQ(y[1], -std::numeric_limits<float>::infinity());  // tie with 2^128: rounds up
    EXPECT_EQ(y[2], std::numeric_limits<float>::max());
    EXPECT_EQ(y[3], 0.1f);
    EXPECT_TRUE(std::isnan(y[4]));
}

TEST(Dequantize, CanDequantizeEveryType) {
    for (const auto& t : allTypeTraits())
        EXPECT_TRUE(canDequantize(t.type)) << t.name;
    EXPECT_FALSE(canDequantize(TensorType(4)));
    EXPECT_FALSE(canDequantize(TensorType(999)));
    EXPECT_EQ(dequantizeBlocksFunction(TensorType(4)), nullptr);
}

TEST(Dequantize, SizeErrorsLeaveOutputUntouched) {
    std::vector<std::byte> src(144);
    std::vector<float> dst(300, 7.0f);

    Status s = dequantize(TensorType::Q4_K, src, std::span(dst).first(100));  // not whole blocks
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("whole number"), std::string::npos) << s.error().toString();

    s = dequantize(TensorType::Q4_K, std::span(src).first(143), std::span(dst).first(256));
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("143 bytes"), std::string::npos) << s.error().toString();

    s = dequantize(TensorType::Q4_K, src, std::span(dst).first(0));  // too many bytes for 0 values
    EXPECT_FALSE(s);
    s = dequantize(TensorType(5), src, dst);
    EXPECT_FALSE(s);
    for (float v : dst)
        ASSERT_EQ(v, 7.0f);

    EXPECT_TRUE(dequantize(TensorType::Q4_K, {}, {}));
}

// Random bytes, NaN scales included: results must not depend on the thread count.
TEST(Dequantize, ThreadsGiveTheSameBits) {
    std::mt19937 rng(42);
    for (const auto& t : allTypeTraits()) {
        const size_t blocks = (t.blockSize == 1 ? 300001 : 300001 / t.blockSize) | 1;  // odd split
        std::vector<std::byte> src(blocks * t.blockBytes);
        for (auto& b : src)
            b = std::byte(rng() & 0xff);
        std::vector<float> one(blocks * t.blockSize), two(one.size(), 1.0f), five(one.size(), 2.0f);
        ASSERT_TRUE(dequantize(t.type, src, one, 1));
        ASSERT_TRUE(dequantize(t.type, src, two, 2));
        ASSERT_TRUE(dequantize(t.type, src, five, 5));
        EXPECT_EQ(std::memcmp(one.data(), two.data(), one.size() * sizeof(float)), 0) << t.name;
        EXPECT_EQ(std::memcmp(one.data(), five.data(), one.size() * sizeof(float)), 0) << t.name;
    }
}

} // namespace
} // namespace matryx
