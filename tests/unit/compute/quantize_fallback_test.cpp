// Quantization without any OpenCL platform (the process compute_fallback_test.cpp sets up): the
// dispatcher gives the CPU's bytes, auto chooses the CPU, and an explicit opencl request fails.

#include "compute/quantize_dispatch.h"

#include "base/log.h"
#include "tensor/quantize.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace matryx {
namespace {

TEST(NoOpenClQuantize, DispatcherGivesTheCpuBytes) {
    auto device = ComputeDevice::open(DeviceRequest{});
    ASSERT_TRUE(device) << device.error().toString();
    ASSERT_FALSE((*device)->openCl());
    std::mt19937 rng(11);
    std::normal_distribution<float> normal;
    std::vector<float> x(512 * 6), w(512, 0.5f);
    for (auto& v : x)
        v = normal(rng);
    for (TensorType type : {TensorType::Q8_0, TensorType::Q4_K, TensorType::Q6_K, TensorType::Q5_1}) {
        EXPECT_FALSE(quantizesOnOpenCl(**device, type, false));
        std::vector<std::byte> got(*bytesFor(type, x.size())), want(got.size());
        ASSERT_TRUE(quantizeOn(**device, type, x, 512, got, w.data(), 2));
        ASSERT_TRUE(quantize(type, x, 512, want, w.data()));
        EXPECT_EQ(got, want) << typeTraits(type).name;
    }
}

TEST(NoOpenClQuantize, AutoQuantizesOnTheCpuAndSaysWhy) {
    ScopedLogCapture log;
    auto device = openQuantizeDevice(DeviceRequest{});
    ASSERT_TRUE(device) << device.error().toString();
    EXPECT_FALSE((*device)->openCl());
    EXPECT_TRUE(log.contains("quantizing on the CPU", LogLevel::Info));
    EXPECT_FALSE(openQuantizeDevice(*parseDeviceRequest("opencl")));
    EXPECT_FALSE(openQuantizeDevice(*parseDeviceRequest("opencl:1")));
    auto cpu = openQuantizeDevice(*parseDeviceRequest("cpu"));
    ASSERT_TRUE(cpu);
    EXPECT_FALSE((*cpu)->openCl());
}

} // namespace
} // namespace matryx
