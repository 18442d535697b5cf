#include "format/metadata.h"

#include <gtest/gtest.h>

namespace matryx {

TEST(Metadata, KeepsOrderAndReplacesInPlace) {
    Metadata m;
    m.set("general.architecture", MetaValue::string("llama"));
    m.set("llama.block_count", MetaValue::u32(30));
    m.set("general.architecture", MetaValue::string("qwen2"));
    ASSERT_EQ(m.size(), 2u);
    EXPECT_EQ(m.entries()[0].first, "general.architecture");
    EXPECT_EQ(m.getString("general.architecture"), "qwen2");
    EXPECT_EQ(m.getUnsigned("llama.block_count"), 30u);
    EXPECT_TRUE(m.erase("general.architecture"));
    EXPECT_FALSE(m.contains("general.architecture"));
    EXPECT_EQ(m.getUnsigned("llama.block_count"), 30u);
}

TEST(MetaValue, ConversionsRespectKind) {
    EXPECT_EQ(MetaValue::i32(-1).toUnsigned(), std::nullopt);
    EXPECT_EQ(MetaValue::i32(-1).toSigned(), -1);
    EXPECT_EQ(MetaValue::u64(UINT64_MAX).toSigned(), std::nullopt);
    EXPECT_EQ(MetaValue::f32(0.5f).toDouble(), 0.5);
    EXPECT_EQ(MetaValue::string("x").toDouble(), std::nullopt);
    EXPECT_EQ(MetaValue::boolean(true).toBool(), true);
}

TEST(MetaValue, ArraysCompareDeepAndFoldInDisplay) {
    const auto a = MetaValue::stringArray({"a", "b", "c"});
    const auto b = MetaValue::stringArray({"a", "b", "c"});
    EXPECT_EQ(a, b);
    EXPECT_NE(a, MetaValue::stringArray({"a", "b"}));
    EXPECT_EQ(a.display(2), "[\"a\", \"b\", ... 3 items]");
    const auto nested = MetaValue::array(MetaType::Array, {a, b});
    EXPECT_EQ(nested.items().size(), 2u);
    EXPECT_EQ(nested.arrayType(), MetaType::Array);
}

TEST(MetaValue, TypeMattersForEquality) {
    EXPECT_NE(MetaValue::u32(1), MetaValue::u64(1));
    EXPECT_EQ(metaTypeName(MetaType::F32), "FLOAT32");
    EXPECT_FALSE(isValidMetaType(13));
}

} // namespace matryx
