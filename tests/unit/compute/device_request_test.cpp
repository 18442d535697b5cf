#include "compute/device_request.h"

#include <gtest/gtest.h>

namespace matryx {

TEST(DeviceRequest, ParsesEveryForm) {
    EXPECT_EQ(parseDeviceRequest("auto")->kind, DeviceRequest::Kind::Auto);
    EXPECT_EQ(parseDeviceRequest("cpu")->kind, DeviceRequest::Kind::Cpu);
    const auto any = parseDeviceRequest("opencl");
    ASSERT_TRUE(any);
    EXPECT_EQ(any->kind, DeviceRequest::Kind::OpenCl);
    EXPECT_FALSE(any->index);
    const auto second = parseDeviceRequest("opencl:1");
    ASSERT_TRUE(second);
    EXPECT_EQ(second->index, 1u);
    EXPECT_EQ(toString(*second), "opencl:1");
}

TEST(DeviceRequest, RejectsMalformed) {
    for (const char* bad : {"gpu", "opencl:", "opencl:x", "opencl:1x", "opencl1", "CPU", "opencl:-1"}) {
        const auto r = parseDeviceRequest(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_NE(r.error().message.find(bad), std::string::npos);
    }
}

} // namespace matryx
