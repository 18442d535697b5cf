#include "tensor/tensor_type.h"

#include <gtest/gtest.h>

#include <set>

namespace matryx {

TEST(TensorType, EveryGgmlIdUpToQ2_0IsKnownOrRemoved) {
    const std::set<uint32_t> removed = {4, 5, 31, 32, 33, 36, 37, 38};
    for (uint32_t id = 0; id <= 42; ++id) {
        if (removed.count(id)) {
            EXPECT_EQ(typeTraits(id), nullptr) << id;
            EXPECT_NE(unknownTypeReason(id).find("removed"), std::string_view::npos) << id;
        } else {
            ASSERT_NE(typeTraits(id), nullptr) << id;
            EXPECT_TRUE(typeTraits(id)->ggml);
        }
    }
    EXPECT_EQ(typeTraits(43), nullptr);
    EXPECT_EQ(typeTraits(1u << 31), nullptr);
}

// Block sizes from ggml-common.h, written out independently of the table under test.
TEST(TensorType, BlockLayoutsMatchGgml) {
    struct Case { TensorType t; uint32_t block, bytes; };
    const Case cases[] = {
        {TensorType::Q4_0, 32, 18},    {TensorType::Q4_1, 32, 20},     {TensorType::Q5_0, 32, 22},
        {TensorType::Q5_1, 32, 24},    {TensorType::Q8_0, 32, 34},     {TensorType::Q8_1, 32, 36},
        {TensorType::Q2_K, 256, 84},   {TensorType::Q3_K, 256, 110},   {TensorType::Q4_K, 256, 144},
        {TensorType::Q5_K, 256, 176},  {TensorType::Q6_K, 256, 210},   {TensorType::Q8_K, 256, 292},
        {TensorType::IQ2_XXS, 256, 66}, {TensorType::IQ2_XS, 256, 74}, {TensorType::IQ3_XXS, 256, 98},
        {TensorType::IQ1_S, 256, 50},  {TensorType::IQ4_NL, 32, 18},   {TensorType::IQ3_S, 256, 110},
        {TensorType::IQ2_S, 256, 82},  {TensorType::IQ4_XS, 256, 136}, {TensorType::IQ1_M, 256, 56},
        {TensorType::TQ1_0, 256, 54},  {TensorType::TQ2_0, 256, 66},   {TensorType::MXFP4, 32, 17},
        {TensorType::NVFP4, 64, 36},   {TensorType::Q1_0, 128, 18},    {TensorType::Q2_0, 64, 18},
        {TensorType::BF16, 1, 2},      {TensorType::F64, 1, 8},        {TensorType::I64, 1, 8},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(typeTraits(c.t).blockSize, c.block) << typeName(c.t);
        EXPECT_EQ(typeTraits(c.t).blockBytes, c.bytes) << typeName(c.t);
    }
}

TEST(TensorType, NamesRoundTrip) {
    for (const auto& t : allTypeTraits()) {
        EXPECT_EQ(typeFromName(t.name), t.type);
        EXPECT_EQ(&typeTraits(t.type), &t);
    }
    EXPECT_EQ(typeFromName("q4_k"), TensorType::Q4_K);
    EXPECT_EQ(typeFromName("iq2_xxs"), TensorType::IQ2_XXS);
    EXPECT_FALSE(typeFromName("Q4_2"));
}

TEST(TensorType, BytesForChecksBlocksAndOverflow) {
    EXPECT_EQ(bytesFor(TensorType::Q4_K, 512), 288u);
    EXPECT_FALSE(bytesFor(TensorType::Q4_K, 100));
    EXPECT_FALSE(bytesFor(TensorType::F32, UINT64_MAX / 2));
    EXPECT_FALSE(typeTraits(TensorType::U8).ggml);
}

} // namespace matryx
