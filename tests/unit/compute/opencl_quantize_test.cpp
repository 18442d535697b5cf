// The OpenCL quantization kernels against matryx::quantize (itself bit-exact with ggml), byte for
// byte, on random rows and on blocks built to hit the edges of each search: zeros, equal values,
// huge outliers, subnormals, one-signed blocks, infinities and NaNs; one block and many rows; with
// and without importance; across the shared context's chunk seams.

#include "compute/opencl_quantize.h"

#include "compute/compute_device.h"
#include "compute/opencl_devices.h"
#include "compute/quantize_dispatch.h"
#include "opencl_test_support.h"
#include "tensor/quantize.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace matryx {
namespace {

using test::OpenClTest;

constexpr TensorType kTypes[] = {TensorType::Q8_0, TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0,
                                 TensorType::Q5_1, TensorType::Q4_K, TensorType::Q6_K};

enum class Data { Gaussian, Awkward, NonFinite };

// Fills each 32-value group with one pattern; Awkward picks among the edge cases, NonFinite adds
// infinities and NaNs to them.
std::vector<float> makeRows(size_t values, Data data, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> x(values);
    for (auto& v : x)
        v = normal(rng);
    if (data == Data::Gaussian)
        return x;
    const float inf = std::numeric_limits<float>::infinity();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float subnormal = std::numeric_limits<float>::denorm_min();
    const int patterns = data == Data::NonFinite ? 14 : 11;
    for (size_t g = 0; g + 32 <= values; g += 32) {
        float* p = x.data() + g;
        switch (rng() % patterns) {
        case 0: std::fill(p, p + 32, 0.0f); break;
        case 1: std::fill(p, p + 32, -0.0f); p[rng() % 32] = 0.0f; break;
        case 2: std::fill(p, p + 32, 0.75f); break;
        case 3: std::fill(p, p + 32, -3.5f); break;
        case 4: p[rng() % 32] = 1e30f * (rng() % 2 ? 1 : -1); break;     // one huge outlier
        case 5: p[rng() % 32] = 3.0e38f; p[rng() % 32] = -3.3e38f; break; // near FLT_MAX
        case 6: for (int j = 0; j < 32; ++j) p[j] *= 1e-40f; break;        // subnormals
        case 7: for (int j = 0; j < 32; ++j) p[j] = float(int(rng() % 5) - 2) * subnormal; break;
        case 8: for (int j = 0; j < 32; ++j) p[j] = -std::fabs(p[j]) - 0.5f; break; // negative only
        case 9: for (int j = 0; j < 32; ++j) p[j] = std::fabs(p[j]) + 2.0f; break;   // positive only
        case 10: for (int j = 0; j < 32; ++j) p[j] = float(rng() % 3) * 1e-3f; break; // few levels, ties
        case 11: p[rng() % 32] = inf; break;
        case 12: p[rng() % 32] = -inf; p[rng() % 32] = inf; break;
        case 13: p[rng() % 32] = nan; break;
        }
    }
    return x;
}

// Column weights with zeros and a wide range, as calibration data gives them.
std::vector<float> makeImportance(size_t columns, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::exponential_distribution<float> spread(1.0f);
    std::vector<float> w(columns);
    for (auto& v : w)
        v = rng() % 7 == 0 ? 0.0f : spread(rng) * (rng() % 11 == 0 ? 1e4f : 1.0f);
    return w;
}

std::vector<std::byte> onCpu(TensorType type, const std::vector<float>& x, int64_t rowLength, const float* qw) {
    std::vector<std::byte> out(*bytesFor(type, x.size()));
    const Status s = quantize(type, x, rowLength, out, qw);
    EXPECT_TRUE(s) << s.error().toString();
    return out;
}

::testing::AssertionResult sameBytes(TensorType type, const std::vector<std::byte>& want,
                                     const std::vector<std::byte>& got) {
    const size_t blockBytes = typeTraits(type).blockBytes;
    for (size_t i = 0; i < want.size(); ++i) {
        if (want[i] == got[i])
            continue;
        char text[120];
        std::snprintf(text, sizeof text, "block %zu, byte %zu: CPU 0x%02x, OpenCL 0x%02x", i / blockBytes,
                      i % blockBytes, unsigned(want[i]), unsigned(got[i]));
        return ::testing::AssertionFailure() << text;
    }
    return ::testing::AssertionSuccess();
}

struct Shape {
    int64_t blocksPerRow;
    int64_t rows;
};

class OpenClQuantize : public OpenClTest, public ::testing::WithParamInterface<TensorType> {
protected:
    void check(Data data, bool withImportance) {
        const TensorType type = GetParam();
        const TypeTraits& t = typeTraits(type);
        uint64_t seed = uint64_t(type) * 1000 + uint64_t(data) * 10 + (withImportance ? 1 : 0);
        // One block, a row of several blocks, and many rows whose length is not a multiple of the
        // chunk, so that chunks start in the middle of rows.
        for (Shape shape : {Shape{1, 1}, Shape{7, 3}, Shape{3, 701}}) {
            const int64_t rowLength = shape.blocksPerRow * t.blockSize;
            SCOPED_TRACE(std::string(t.name) + ", rows of " + std::to_string(rowLength) + " x " +
                         std::to_string(shape.rows) + (withImportance ? ", importance" : ""));
            const auto x = makeRows(size_t(rowLength * shape.rows), data, seed++);
            const auto w = makeImportance(size_t(rowLength), seed++);
            const float* qw = withImportance ? w.data() : nullptr;
            const auto want = onCpu(type, x, rowLength, qw);
            std::vector<std::byte> got(want.size(), std::byte{0xcd});
            const Status s = quantizeOpenCl(context(), type, x, rowLength, got, qw);
            ASSERT_TRUE(s) << s.error().toString();
            EXPECT_TRUE(sameBytes(type, want, got));
        }
    }
};

TEST_P(OpenClQuantize, GaussianRowsGiveTheCpuBytes) { check(Data::Gaussian, false); }
TEST_P(OpenClQuantize, AwkwardBlocksGiveTheCpuBytes) { check(Data::Awkward, false); }
TEST_P(OpenClQuantize, InfinitiesAndNaNsGiveTheCpuBytes) { check(Data::NonFinite, false); }

TEST_P(OpenClQuantize, ImportanceGivesTheCpuBytesWhereAKernelTakesIt) {
    const TensorType type = GetParam();
    if (!openClCanQuantize(type, true)) {
        // Row-wide importance (Q4_0 .. Q5_1) stays on the CPU: the kernel refuses it.
        const std::vector<float> x(64, 1.0f), w(64, 1.0f);
        std::vector<std::byte> out(*bytesFor(type, 64));
        const Status s = quantizeOpenCl(context(), type, x, 64, out, w.data());
        ASSERT_FALSE(s);
        EXPECT_NE(s.error().message.find("with importance"), std::string::npos) << s.error().toString();
        return;
    }
    check(Data::Gaussian, true);
    check(Data::Awkward, true);
}

INSTANTIATE_TEST_SUITE_P(Types, OpenClQuantize, ::testing::ValuesIn(kTypes),
                         [](const auto& info) { return std::string(typeTraits(info.param).name); });

class OpenClQuantizeChecks : public OpenClTest {};

TEST_F(OpenClQuantizeChecks, CoversTheListedTypes) {
    for (TensorType type : kTypes)
        EXPECT_TRUE(openClCanQuantize(type)) << typeTraits(type).name;
    EXPECT_TRUE(openClCanQuantize(TensorType::Q8_0, true)); // importance changes nothing there
    EXPECT_TRUE(openClCanQuantize(TensorType::Q4_K, true));
    EXPECT_TRUE(openClCanQuantize(TensorType::Q6_K, true));
    EXPECT_FALSE(openClCanQuantize(TensorType::Q4_0, true));
    EXPECT_FALSE(openClCanQuantize(TensorType::Q5_K));
    EXPECT_FALSE(openClCanQuantize(TensorType::F16));
}

TEST_F(OpenClQuantizeChecks, RejectsWrongSizesLikeTheCpu) {
    const std::vector<float> x(512, 1.0f);
    std::vector<std::byte> out(144 * 2);
    const auto both = [&](TensorType type, std::span<const float> src, int64_t rowLength, std::span<std::byte> dst) {
        const Status gpu = quantizeOpenCl(context(), type, src, rowLength, dst);
        const Status cpu = quantize(type, src, rowLength, dst);
        ASSERT_FALSE(gpu);
        ASSERT_FALSE(cpu);
        EXPECT_EQ(gpu.error().toString(), cpu.error().toString());
    };
    both(TensorType::Q4_K, x, 100, out);                          // not whole blocks
    both(TensorType::Q4_K, std::span(x).first(256), 512, std::span(out).first(144)); // not whole rows
    both(TensorType::Q4_K, x, 256, std::span(out).first(200));    // output size
    const Status noKernel = quantizeOpenCl(context(), TensorType::Q5_K, x, 256, std::span(out).first(176));
    ASSERT_FALSE(noKernel);
    EXPECT_NE(noKernel.error().message.find("no OpenCL kernel"), std::string::npos);
}

TEST_F(OpenClQuantizeChecks, DispatcherOnAnOpenClDeviceMatchesTheCpuDevice) {
    test::TempDir cache;
    auto device = ComputeDevice::open(DeviceRequest{DeviceRequest::Kind::OpenCl, std::nullopt}, {cache.path()});
    ASSERT_TRUE(device) << device.error().toString();
    const auto cpu = ComputeDevice::cpu();
    const auto x = makeRows(512 * 40, Data::Awkward, 5);
    const auto w = makeImportance(512, 6);
    // Q4_K and Q6_K run on OpenCL with importance, Q4_0 with importance and Q5_K on the CPU.
    for (TensorType type : {TensorType::Q4_K, TensorType::Q6_K, TensorType::Q4_0, TensorType::Q5_K}) {
        EXPECT_EQ(quantizesOnOpenCl(**device, type, true), type == TensorType::Q4_K || type == TensorType::Q6_K);
        std::vector<std::byte> a(*bytesFor(type, x.size())), b(a.size());
        ASSERT_TRUE(quantizeOn(**device, type, x, 512, a, w.data(), 2));
        ASSERT_TRUE(quantizeOn(*cpu, type, x, 512, b, w.data()));
        EXPECT_TRUE(sameBytes(type, b, a)) << typeTraits(type).name;
    }
    EXPECT_TRUE((*device)->openCl()) << "a working device must not fall back";
    EXPECT_FALSE(quantizesOnOpenCl(*cpu, TensorType::Q4_K, false));
    // A caller's size mistake is reported as such, not taken for a device failure.
    std::vector<std::byte> small(10);
    EXPECT_FALSE(quantizeOn(**device, TensorType::Q8_0, x, 512, small));
    EXPECT_TRUE((*device)->openCl());
}

// For quantization, auto means OpenCL only on a GPU or accelerator (PoCL runs on the CPU cores).
TEST_F(OpenClQuantizeChecks, AutoUsesOpenClOnlyOffTheCpu) {
    auto devices = listOpenClDevices();
    ASSERT_TRUE(devices) << devices.error().toString();
    auto index = chooseOpenClDevice(DeviceRequest{}, *devices);
    ASSERT_TRUE(index) << index.error().toString();
    const OpenClDeviceType type = (*devices)[*index].type;
    test::TempDir cache;
    auto device = openQuantizeDevice(DeviceRequest{}, {cache.path()});
    ASSERT_TRUE(device) << device.error().toString();
    EXPECT_EQ(bool((*device)->openCl()), type == OpenClDeviceType::Gpu || type == OpenClDeviceType::Accelerator);
    auto forced = openQuantizeDevice(*parseDeviceRequest("opencl"), {cache.path()});
    ASSERT_TRUE(forced) << forced.error().toString();
    EXPECT_TRUE((*forced)->openCl());
}

} // namespace
} // namespace matryx
