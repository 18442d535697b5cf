// Without any OpenCL platform (OCL_ICD_VENDORS names an empty folder, set before the ICD loader
// first runs): discovery fails cleanly, auto falls back to the CPU and logs why, an explicit
// opencl request fails, and every operation still gives the CPU's result. Its own executable,
// because the loader reads OCL_ICD_VENDORS once per process.

#include "compute/compute_device.h"

#include "base/log.h"
#include "compute/dequantize_dispatch.h"
#include "compute/opencl_devices.h"
#include "compute/value_stats_dispatch.h"
#include "opencl_test_support.h"
#include "tensor/dequantize.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

namespace matryx {
namespace {

const test::TempDir& emptyVendorDir() {
    static test::TempDir dir;
    return dir;
}

// Runs before main(), so before any OpenCL call in this process.
const bool kNoPlatforms = [] {
    setenv("OCL_ICD_VENDORS", emptyVendorDir().path().c_str(), 1);
    return true;
}();

TEST(NoOpenCl, DiscoveryReportsTheMissingPlatform) {
    ASSERT_TRUE(kNoPlatforms);
    auto devices = listOpenClDevices();
    ASSERT_FALSE(devices);
    EXPECT_NE(devices.error().toString().find("CL_PLATFORM_NOT_FOUND_KHR"), std::string::npos)
        << devices.error().toString();
    EXPECT_NE(devices.error().message.find("no OpenCL platform"), std::string::npos);
}

TEST(NoOpenCl, AutoFallsBackToTheCpuAndLogsWhy) {
    ScopedLogCapture log;
    auto device = ComputeDevice::open(DeviceRequest{});
    ASSERT_TRUE(device) << device.error().toString();
    EXPECT_FALSE((*device)->openCl());
    EXPECT_EQ((*device)->description(), "CPU");
    EXPECT_NE((*device)->cpuReason().find("CL_PLATFORM_NOT_FOUND_KHR"), std::string::npos);
    EXPECT_TRUE(log.contains("OpenCL is not used", LogLevel::Info));

    // Work still runs, on the CPU, with the CPU's result.
    std::mt19937_64 rng(3);
    std::vector<std::byte> src(144 * 8);
    for (auto& b : src)
        b = std::byte(rng() & 0xbf);
    std::vector<float> got(256 * 8), want(256 * 8);
    ASSERT_TRUE(dequantizeOn(**device, TensorType::Q4_K, src, got));
    ASSERT_TRUE(dequantize(TensorType::Q4_K, src, want));
    EXPECT_EQ(0, std::memcmp(got.data(), want.data(), got.size() * sizeof(float)));
    auto stats = valueStatsOn(**device, got);
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->count, got.size());
}

TEST(NoOpenCl, ExplicitOpenClRequestFails) {
    for (const char* text : {"opencl", "opencl:0"}) {
        auto device = ComputeDevice::open(*parseDeviceRequest(text));
        ASSERT_FALSE(device) << text;
        EXPECT_NE(device.error().toString().find("CL_PLATFORM_NOT_FOUND_KHR"), std::string::npos);
    }
    auto cpu = ComputeDevice::open(*parseDeviceRequest("cpu"));
    ASSERT_TRUE(cpu);
    EXPECT_TRUE((*cpu)->cpuReason().empty());
}

} // namespace
} // namespace matryx
