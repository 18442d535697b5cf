#include "base/units.h"

#include <gtest/gtest.h>

namespace matryx {

TEST(Units, Bytes) {
    EXPECT_EQ(formatBytes(0), "0 B");
    EXPECT_EQ(formatBytes(999), "999 B");
    EXPECT_EQ(formatBytes(98362432), "98.4 MB");
    EXPECT_EQ(formatBytes(4ull << 30), "4.3 GB");
}

TEST(Units, Counts) {
    EXPECT_EQ(formatCount(272), "272");
    EXPECT_EQ(formatCount(134515008), "134.5 M");
    EXPECT_EQ(formatCount(7000000000ull), "7.0 B");
}

} // namespace matryx
