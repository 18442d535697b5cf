#include "tensor/dequantize.h"
#include "tensor/quantize.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace matryx {
namespace {

// Every expected byte below is worked out by hand from the formulas in ggml-quants.c, in the
// comment next to it; the bytes of random data are checked against ggml itself by
// tests/reference/quantize_reference.py.

std::vector<uint8_t> run(TensorType type, const std::vector<float>& x, const float* importance = nullptr) {
    std::vector<std::byte> out(*bytesFor(type, x.size()));
    const Status s = quantize(type, x, int64_t(x.size()), out, importance);
    EXPECT_TRUE(s) << (s ? "" : s.error().toString());
    std::vector<uint8_t> bytes(out.size());
    std::memcpy(bytes.data(), out.data(), out.size());
    return bytes;
}

uint16_t u16(const std::vector<uint8_t>& b, size_t at) {
    return uint16_t(b[at] | (b[at + 1] << 8));
}

TEST(Quantize, Q8_0UnitScale) {
    // amax 127 gives d = 127 / 127 = 1 (fp16 0x3C00) and id = 1: the codes are roundf(x), halves
    // rounding away from zero.
    std::vector<float> x(32, 0.0f);
    x[0] = 127.0f;
    x[1] = -126.5f; // -127
    x[2] = 2.5f;    // 3
    x[3] = -2.5f;   // -3
    x[4] = 0.49f;   // 0
    x[5] = -0.51f;  // -1
    const auto b = run(TensorType::Q8_0, x);
    ASSERT_EQ(b.size(), 34u);
    EXPECT_EQ(u16(b, 0), 0x3C00);
    const int8_t expected[6] = {127, -127, 3, -3, 0, -1};
    for (int j = 0; j < 6; ++j)
        EXPECT_EQ(int8_t(b[2 + j]), expected[j]) << j;
    for (int j = 6; j < 32; ++j)
        EXPECT_EQ(b[2 + j], 0) << j;
}

TEST(Quantize, Q8_0OneOutlier) {
    // d = 100 / 127 = 0.787401..; fp16 steps are 2^-11 in [0.5, 1): 1612.6 steps round to 1613,
    // i.e. 1.5751953125 * 2^-1 = exponent 14, mantissa 589 = 0x3A4D. x * (1/d) = 127.
    std::vector<float> x(32, 0.0f);
    x[5] = 100.0f;
    const auto b = run(TensorType::Q8_0, x);
    EXPECT_EQ(u16(b, 0), 0x3A4D);
    for (int j = 0; j < 32; ++j)
        EXPECT_EQ(int8_t(b[2 + j]), j == 5 ? 127 : 0) << j;
}

TEST(Quantize, Q4_0NegativeMaximum) {
    // The largest magnitude is -8: d = -8 / -8 = 1 (0x3C00), code = min(15, trunc(x + 8.5)).
    std::vector<float> x(32);
    for (int j = 0; j < 32; ++j)
        x[j] = float(j % 16) - 7.5f; // -7.5 .. 7.5 -> trunc(1 .. 16) = 1 .. 15, 15 (clamped)
    x[0] = -8.0f;                    // 0.5 -> 0
    x[16] = 3.4f;                    // 11.9 -> 11
    const auto b = run(TensorType::Q4_0, x);
    ASSERT_EQ(b.size(), 18u);
    EXPECT_EQ(u16(b, 0), 0x3C00);
    EXPECT_EQ(b[2], 0x00 | (11 << 4));
    for (int j = 1; j < 16; ++j) {
        const int code = j == 15 ? 15 : j + 1; // x + 8.5 = j + 1, and 16 clamps to 15
        EXPECT_EQ(b[2 + j], code | (code << 4)) << j;
    }
}

TEST(Quantize, Q4_0PositiveMaximumFlipsTheScale) {
    // The largest magnitude is +8: d = 8 / -8 = -1 (0xBC00) and id = -1, so 8 -> trunc(0.5) = 0 and
    // -7 -> trunc(15.5) = 15.
    std::vector<float> x(32, 0.0f); // 0 -> trunc(8.5) = 8
    x[0] = 8.0f;
    x[16] = -7.0f;
    const auto b = run(TensorType::Q4_0, x);
    EXPECT_EQ(u16(b, 0), 0xBC00);
    EXPECT_EQ(b[2], 0x00 | (15 << 4));
    for (int j = 1; j < 16; ++j)
        EXPECT_EQ(b[2 + j], 0x88) << j;
}

TEST(Quantize, Q4_1MinimumAndUnitStep) {
    // min -1, max 14: d = 15 / 15 = 1 (0x3C00), m = -1 (0xBC00), code = trunc(x + 1 + 0.5).
    std::vector<float> x(32);
    for (int j = 0; j < 32; ++j)
        x[j] = float(j % 16) - 1.0f;
    const auto b = run(TensorType::Q4_1, x);
    ASSERT_EQ(b.size(), 20u);
    EXPECT_EQ(u16(b, 0), 0x3C00);
    EXPECT_EQ(u16(b, 2), 0xBC00);
    for (int j = 0; j < 16; ++j)
        EXPECT_EQ(b[4 + j], j | (j << 4)) << j;
}

TEST(Quantize, Q5_0FifthBits) {
    // Largest magnitude -16: d = 1, code = min(31, trunc(x + 16.5)); x = 15 -> 31 (fifth bit set),
    // x = -16 -> 0, x = 0 -> 16 (fifth bit set, low nibble 0).
    std::vector<float> x(32, 0.0f);
    x[0] = -16.0f;
    x[31] = 15.0f;
    const auto b = run(TensorType::Q5_0, x);
    ASSERT_EQ(b.size(), 22u);
    EXPECT_EQ(u16(b, 0), 0x3C00);
    const uint32_t qh = uint32_t(b[2]) | uint32_t(b[3]) << 8 | uint32_t(b[4]) << 16 | uint32_t(b[5]) << 24;
    EXPECT_EQ(qh, 0xFFFFFFFEu); // every value but the first has code >= 16
    EXPECT_EQ(b[6], 0x00);      // codes 0 and 16: low nibbles 0, 0
    EXPECT_EQ(b[6 + 15], 0xF0); // codes 16 and 31
}

// Blocks with every value zero: the bytes follow from the formulas with max = 0.
TEST(Quantize, AllZeroBlocks) {
    const std::vector<float> zeros(256, 0.0f);
    // Q4_0: d = +0 / -8 = -0 (0x8000) and every code trunc(0 + 8.5) = 8.
    auto b = run(TensorType::Q4_0, zeros);
    for (size_t i = 0; i < b.size(); i += 18) {
        EXPECT_EQ(u16(b, i), 0x8000);
        for (int j = 0; j < 16; ++j)
            EXPECT_EQ(b[i + 2 + j], 0x88);
    }
    // These have no offset in their codes and leave every byte zero.
    for (TensorType t : {TensorType::Q8_0, TensorType::Q2_K, TensorType::Q3_K, TensorType::Q4_K,
                         TensorType::Q5_K, TensorType::Q6_K, TensorType::Q8_K, TensorType::MXFP4}) {
        b = run(t, zeros);
        for (size_t i = 0; i < b.size(); ++i)
            ASSERT_EQ(b[i], 0) << typeName(t) << " byte " << i;
    }
    // IQ4_NL: d = 0 and 0 is nearest to level 8 (+1) of the codebook, not level 7 (-10).
    b = run(TensorType::IQ4_NL, zeros);
    EXPECT_EQ(u16(b, 0), 0x0000);
    EXPECT_EQ(b[2], 0x88);
    // IQ4_XS: d = -0 / 32 = -0; every group scale code 0 + 32, stored as low nibble 0 and high
    // bits 0b10 per group: 0xAAAA.
    b = run(TensorType::IQ4_XS, zeros);
    EXPECT_EQ(u16(b, 0), 0x8000);
    EXPECT_EQ(u16(b, 2), 0xAAAA);
    EXPECT_EQ(b[4], 0x00);
    EXPECT_EQ(b[8], 0x88);
    // TQ2_0: every trit is 0 + 1 = 1, four per byte: 0b01010101.
    b = run(TensorType::TQ2_0, zeros);
    EXPECT_EQ(b[0], 0x55);
    EXPECT_EQ(u16(b, 64), 0x0000);
    // TQ1_0: five trits 1 = 121 in base 3, ceil(121 * 256 / 243) = 128; the last four bytes hold
    // four trits times 3 = 120 -> ceil(120 * 256 / 243) = 127.
    b = run(TensorType::TQ1_0, zeros);
    EXPECT_EQ(b[0], 128);
    EXPECT_EQ(b[47], 128);
    EXPECT_EQ(b[48], 127);
}

TEST(Quantize, KQuantsKeepOneOutlierAmongZeros) {
    // One group holds a single 1.0 among zeros. Its minimum is 0, so every zero comes back as
    // exactly 0; the super-block scale is that group's (every other group has scale 0), so the
    // outlier comes back within the fp16 rounding of its scale (2^-11 relative) times a few levels.
    std::vector<float> x(256, 0.0f);
    x[40] = 1.0f;
    for (TensorType t :
         {TensorType::Q2_K, TensorType::Q3_K, TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K}) {
        std::vector<std::byte> q(*bytesFor(t, 256));
        ASSERT_TRUE(quantize(t, x, 256, q));
        std::vector<float> y(256);
        ASSERT_TRUE(dequantize(t, q, y));
        for (int j = 0; j < 256; ++j)
            EXPECT_EQ(y[j], j == 40 ? y[j] : 0.0f) << typeName(t) << " " << j;
        EXPECT_NEAR(y[40], 1.0f, 2e-3f) << typeName(t);
    }
}

TEST(Quantize, ImportanceChangesOnlyTheTypesThatUseIt) {
    std::vector<float> x(512), importance(512);
    for (int j = 0; j < 512; ++j) {
        x[j] = float((j * 37) % 101 - 50) * 0.01f + (j % 7 == 0 ? 0.9f : 0.0f);
        importance[j] = j % 3 == 0 ? 10.0f : 0.1f;
    }
    for (const TypeTraits& t : allTypeTraits()) {
        if (!canQuantize(t.type) || 512 % t.blockSize != 0) continue;
        const bool changed = run(t.type, x) != run(t.type, x, importance.data());
        EXPECT_EQ(changed, usesImportance(t.type)) << t.name;
    }
}

TEST(Quantize, CanQuantizeTheTypesLlamaQuantizeWrites) {
    for (TensorType t :
         {TensorType::Q8_0, TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1,
          TensorType::Q2_K, TensorType::Q3_K, TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K,
          TensorType::IQ4_NL, TensorType::IQ4_XS, TensorType::TQ1_0, TensorType::TQ2_0, TensorType::F16,
          TensorType::BF16, TensorType::F32, TensorType::Q8_K, TensorType::MXFP4})
        EXPECT_TRUE(canQuantize(t)) << typeName(t);
    for (TensorType t :
         {TensorType::IQ2_XXS, TensorType::IQ1_S, TensorType::Q8_1, TensorType::I8, TensorType::U8})
        EXPECT_FALSE(canQuantize(t)) << typeName(t);
    EXPECT_FALSE(canQuantize(TensorType(4)));
    EXPECT_EQ(quantizeRowsFunction(TensorType::IQ2_XXS), nullptr);
}

TEST(Quantize, SizeErrorsWriteNothing) {
    std::vector<float> x(512, 1.0f);
    std::vector<std::byte> out(*bytesFor(TensorType::Q4_K, 512), std::byte{0x5A});
    const auto untouched = out;
    EXPECT_FALSE(quantize(TensorType::Q4_K, x, 128, out));                       // row not a multiple of 256
    EXPECT_FALSE(quantize(TensorType::Q4_K, x, 0, out));                         // empty rows
    EXPECT_FALSE(quantize(TensorType::Q4_K, x, -256, out));                      // negative length
    EXPECT_FALSE(quantize(TensorType::Q4_K, std::span(x).first(256), 256, out)); // dst too large
    EXPECT_FALSE(quantize(TensorType::Q4_K, x, 256, std::span(out).first(100))); // dst too small
    EXPECT_FALSE(quantize(TensorType::Q4_0, std::span(x).first(96), 64, out));   // 1.5 rows
    EXPECT_FALSE(quantize(TensorType::IQ2_XXS, x, 256, out));                    // not implemented
    EXPECT_EQ(out, untouched);
    const Status s = quantize(TensorType::Q4_K, x, 128, out);
    EXPECT_NE(s.error().message.find("Q4_K"), std::string::npos) << s.error().toString();
    std::vector<std::byte> none;
    EXPECT_TRUE(quantize(TensorType::Q4_K, std::span<const float>(), 256, none));
}

TEST(Quantize, RowsFunctionMatchesQuantize) {
    std::vector<float> x(4 * 512), importance(512);
    for (size_t j = 0; j < x.size(); ++j)
        x[j] = float(int(j * 7919 % 2001) - 1000) * 1e-3f;
    for (size_t j = 0; j < importance.size(); ++j)
        importance[j] = 0.5f + float(j % 5);
    for (TensorType t :
         {TensorType::Q4_K, TensorType::Q6_K, TensorType::Q5_0, TensorType::IQ4_XS, TensorType::BF16}) {
        std::vector<std::byte> a(*bytesFor(t, x.size())), b(a.size());
        ASSERT_TRUE(quantize(t, x, 512, a, importance.data()));
        quantizeRowsFunction(t)(x.data(), b.data(), 4, 512, importance.data());
        EXPECT_EQ(a, b) << typeName(t);
    }
}

} // namespace
} // namespace matryx
