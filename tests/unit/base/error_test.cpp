#include "base/error.h"

#include <gtest/gtest.h>

namespace matryx {

TEST(Error, NamesFileFieldAndOffset) {
    const Error e = makeError("m.gguf", "tensor_infos[3].offset", 1234, "past end of file");
    EXPECT_EQ(e.toString(), "m.gguf: tensor_infos[3].offset at byte 1234: past end of file");
}

TEST(Error, WithoutFieldOrOffset) {
    EXPECT_EQ(makeError("a", "", std::nullopt, "cannot open").toString(), "a: cannot open");
    EXPECT_EQ(makeError("a", "", 7, "x").toString(), "a: at byte 7: x");
}

TEST(Result, HoldsValueOrError) {
    Result<int> good = 5;
    ASSERT_TRUE(good.ok());
    EXPECT_EQ(*good, 5);
    Result<int> bad = makeError("f", "k", 1, "bad");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "k");
}

TEST(Status, CancelledIsMarked) {
    Status s = cancelledError("out.gguf");
    ASSERT_FALSE(s);
    EXPECT_TRUE(s.error().cancelled);
    EXPECT_TRUE(Status().ok());
}

} // namespace matryx
