// Choosing a device from a request, and what ComputeDevice::run does when an OpenCL operation
// fails: auto falls back to the CPU for good and logs the CL error; an explicit opencl request
// returns the error.

#include "compute/compute_device.h"

#include "base/log.h"
#include "compute/opencl_devices.h"
#include "compute/opencl_error.h"
#include "opencl_test_support.h"

#include <gtest/gtest.h>

#include <vector>

namespace matryx {
namespace {

OpenClDeviceInfo fakeDevice(unsigned index, OpenClDeviceType type, bool available = true) {
    OpenClDeviceInfo d;
    d.index = index;
    d.type = type;
    d.available = available;
    d.name = "device" + std::to_string(index);
    return d;
}

TEST(ChooseOpenClDevice, FollowsTheRequest) {
    using K = DeviceRequest::Kind;
    const std::vector<OpenClDeviceInfo> devices = {fakeDevice(0, OpenClDeviceType::Cpu),
                                                   fakeDevice(1, OpenClDeviceType::Gpu, false),
                                                   fakeDevice(2, OpenClDeviceType::Gpu),
                                                   fakeDevice(3, OpenClDeviceType::Accelerator)};
    EXPECT_EQ(*chooseOpenClDevice(DeviceRequest{K::Auto, std::nullopt}, devices), 2u) << "first available GPU";
    EXPECT_EQ(*chooseOpenClDevice(DeviceRequest{K::OpenCl, std::nullopt}, devices), 0u) << "first available device";
    EXPECT_EQ(*chooseOpenClDevice(DeviceRequest{K::OpenCl, 3u}, devices), 3u);
    auto busy = chooseOpenClDevice(DeviceRequest{K::OpenCl, 1u}, devices);
    ASSERT_FALSE(busy);
    EXPECT_NE(busy.error().message.find("not available"), std::string::npos);
    auto missing = chooseOpenClDevice(DeviceRequest{K::OpenCl, 4u}, devices);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("numbered 0 to 3"), std::string::npos);
    EXPECT_FALSE(chooseOpenClDevice(DeviceRequest{K::Cpu, std::nullopt}, devices));
    EXPECT_FALSE(chooseOpenClDevice(DeviceRequest{}, {}));
    const std::vector<OpenClDeviceInfo> cpuOnly = {fakeDevice(0, OpenClDeviceType::Cpu)};
    EXPECT_EQ(*chooseOpenClDevice(DeviceRequest{}, cpuOnly), 0u);
}

TEST(ComputeDeviceCpu, RunsTheCpuOperationOnly) {
    const auto cpu = ComputeDevice::cpu();
    int openClCalls = 0;
    int cpuCalls = 0;
    const Status s = cpu->run(
        "test",
        [&](OpenClContext&) -> Status {
            ++openClCalls;
            return {};
        },
        [&]() -> Status {
            ++cpuCalls;
            return {};
        });
    EXPECT_TRUE(s);
    EXPECT_EQ(openClCalls, 0);
    EXPECT_EQ(cpuCalls, 1);
}

class ComputeDeviceOpenCl : public test::OpenClTest {};

TEST_F(ComputeDeviceOpenCl, AutoFallsBackForGoodAfterAFailureAndLogsTheClError) {
    test::TempDir cache;
    auto device = ComputeDevice::open(DeviceRequest{}, {cache.path()});
    ASSERT_TRUE(device);
    ASSERT_TRUE((*device)->openCl()) << "auto picks the OpenCL device";
    EXPECT_NE((*device)->description().find("OpenCL 0"), std::string::npos) << (*device)->description();

    ScopedLogCapture log;
    int openClCalls = 0;
    const auto failing = [&](OpenClContext&) -> Result<int> {
        ++openClCalls;
        return openClError("clEnqueueNDRangeKernel (test)", CL_OUT_OF_RESOURCES);
    };
    const auto cpu = []() -> Result<int> { return 42; };
    auto result = (*device)->run("test operation", failing, cpu);
    ASSERT_TRUE(result);
    EXPECT_EQ(*result, 42);
    EXPECT_FALSE((*device)->openCl());
    EXPECT_EQ((*device)->description(), "CPU");
    EXPECT_NE((*device)->cpuReason().find("CL_OUT_OF_RESOURCES"), std::string::npos);
    EXPECT_TRUE(log.contains("falling back to the CPU", LogLevel::Warning));
    EXPECT_TRUE(log.contains("CL_OUT_OF_RESOURCES", LogLevel::Warning));

    auto again = (*device)->run("test operation", failing, cpu);
    ASSERT_TRUE(again);
    EXPECT_EQ(openClCalls, 1) << "no second try after a fallback";
}

TEST_F(ComputeDeviceOpenCl, ExplicitRequestReturnsTheError) {
    test::TempDir cache;
    auto device = ComputeDevice::open(*parseDeviceRequest("opencl:0"), {cache.path()});
    ASSERT_TRUE(device) << device.error().toString();
    const auto failing = [](OpenClContext&) -> Status { return openClError("clFinish", CL_INVALID_COMMAND_QUEUE); };
    const Status s = (*device)->run("test operation", failing, []() -> Status { return {}; });
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().toString().find("CL_INVALID_COMMAND_QUEUE (-36)"), std::string::npos) << s.error().toString();
    EXPECT_TRUE((*device)->openCl()) << "an explicit request never falls back";
}

TEST_F(ComputeDeviceOpenCl, ListsDevicesWithTheirProperties) {
    auto devices = listOpenClDevices();
    ASSERT_TRUE(devices);
    ASSERT_FALSE(devices->empty());
    for (size_t i = 0; i < devices->size(); ++i) {
        const auto& d = (*devices)[i];
        EXPECT_EQ(d.index, i);
        EXPECT_FALSE(d.name.empty());
        EXPECT_FALSE(d.version.empty());
        EXPECT_GT(d.computeUnits, 0u);
        EXPECT_GT(d.globalMemBytes, 0u);
        EXPECT_GT(d.maxWorkGroupSize, 0u);
    }
    EXPECT_EQ(openClErrorName(CL_BUILD_PROGRAM_FAILURE), "CL_BUILD_PROGRAM_FAILURE");
    EXPECT_EQ(openClErrorName(-1001), "CL_PLATFORM_NOT_FOUND_KHR");
    EXPECT_EQ(openClErrorName(12345), "unknown OpenCL error");
}

} // namespace
} // namespace matryx
