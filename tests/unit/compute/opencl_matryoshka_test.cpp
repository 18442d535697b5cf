// The OpenCL Matryoshka nesting kernel against nestValues on the CPU, bit for bit: Gaussian groups
// and groups built to hit the search's edges (constant, zeros of both signs, one outlier, values
// beyond fp16's range, subnormals, NaN and infinities); across chunk seams; and through
// nestValuesOn on an OpenCL ComputeDevice.

#include "compute/compute_device.h"
#include "compute/opencl_matryoshka.h"
#include "opencl_test_support.h"
#include "quant/matryoshka_quantizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <vector>

namespace matryx {
namespace {

using test::OpenClTest;

struct Nesting {
    std::vector<int8_t> codes;
    std::vector<uint16_t> scales, mins;
    explicit Nesting(size_t values) : codes(values), scales(values / 32), mins(values / 32) {}
};

std::vector<float> groupsToNest(size_t groups, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal(0.0f, 0.05f);
    std::vector<float> x(groups * 32);
    for (auto& v : x)
        v = normal(rng);
    const float inf = std::numeric_limits<float>::infinity();
    for (size_t g = 0; g < groups; ++g) {
        float* p = x.data() + g * 32;
        switch (rng() % 12) {
        case 0:
            std::fill(p, p + 32, 0.0f);
            break;
        case 1:
            for (int j = 0; j < 32; ++j)
                p[j] = j % 2 ? -0.0f : 0.0f;
            break;
        case 2:
            std::fill(p, p + 32, -1.25f);
            break;
        case 3:
            p[rng() % 32] = 40.0f;
            break; // an outlier channel
        case 4:
            p[rng() % 32] = 1e6f;
            p[rng() % 32] = -1e6f;
            break; // beyond fp16's range
        case 5:
            for (int j = 0; j < 32; ++j)
                p[j] *= 1e-41f;
            break; // subnormal values
        case 6:
            p[rng() % 32] = std::nanf("");
            break;
        case 7:
            p[rng() % 32] = inf;
            p[rng() % 32] = -inf;
            break;
        case 8:
            for (int j = 0; j < 32; ++j)
                p[j] = float(rng() % 4) * 0.125f;
            break; // few levels, ties
        case 9:
            for (int j = 0; j < 32; ++j)
                p[j] = std::fabs(p[j]) + 3.0f;
            break; // one-signed
        default:
            break; // Gaussian
        }
    }
    return x;
}

::testing::AssertionResult sameNesting(const Nesting& want, const Nesting& got) {
    for (size_t g = 0; g < want.scales.size(); ++g) {
        char text[160];
        if (want.scales[g] != got.scales[g] || want.mins[g] != got.mins[g]) {
            std::snprintf(text, sizeof text, "group %zu: CPU scale 0x%04x min 0x%04x, OpenCL 0x%04x 0x%04x",
                          g, want.scales[g], want.mins[g], got.scales[g], got.mins[g]);
            return ::testing::AssertionFailure() << text;
        }
        for (size_t j = g * 32; j < g * 32 + 32; ++j)
            if (want.codes[j] != got.codes[j]) {
                std::snprintf(text, sizeof text, "group %zu, value %zu: CPU code %d, OpenCL %d", g, j % 32,
                              want.codes[j], got.codes[j]);
                return ::testing::AssertionFailure() << text;
            }
    }
    return ::testing::AssertionSuccess();
}

Nesting onCpu(const std::vector<float>& x) {
    Nesting n(x.size());
    nestValues(x.data(), int64_t(x.size()), n.codes.data(), n.scales.data(), n.mins.data());
    return n;
}

class OpenClMatryoshka : public OpenClTest {};

TEST_F(OpenClMatryoshka, KernelNestsAsTheCpuDoes) {
    for (size_t groups : {size_t(1), size_t(7), size_t(3001)}) {
        SCOPED_TRACE(std::to_string(groups) + " groups");
        const auto x = groupsToNest(groups, groups);
        Nesting got(x.size());
        const Status s = nestMatryoshkaOpenCl(context(), x, got.codes, got.scales, got.mins);
        ASSERT_TRUE(s) << s.error().toString();
        EXPECT_TRUE(sameNesting(onCpu(x), got));
    }
}

TEST_F(OpenClMatryoshka, ChunkSeamsDoNotChangeTheResult) {
    test::TempDir cache;
    std::string why;
    auto small = test::newOpenClContext(OpenClOptions{cache.path(), 1024}, &why);
    ASSERT_TRUE(small) << why;
    const auto x = groupsToNest(517, 99); // 517 groups in chunks of 8
    Nesting got(x.size());
    const Status s = nestMatryoshkaOpenCl(*small, x, got.codes, got.scales, got.mins);
    ASSERT_TRUE(s) << s.error().toString();
    EXPECT_TRUE(sameNesting(onCpu(x), got));
}

TEST_F(OpenClMatryoshka, RejectsBuffersThatDoNotFit) {
    std::vector<float> x(40);
    Nesting n(32);
    EXPECT_FALSE(nestMatryoshkaOpenCl(context(), x, n.codes, n.scales, n.mins));
}

TEST_F(OpenClMatryoshka, NestValuesOnAnOpenClDevice) {
    auto device = ComputeDevice::open(DeviceRequest{DeviceRequest::Kind::OpenCl, std::nullopt});
    ASSERT_TRUE(device) << device.error().toString();
    ASSERT_TRUE((*device)->openCl());
    const auto x = groupsToNest(640, 5);
    Nesting got(x.size());
    ASSERT_TRUE(nestValuesOn(**device, x, got.codes, got.scales, got.mins, 2));
    EXPECT_TRUE(sameNesting(onCpu(x), got));
    EXPECT_TRUE((*device)->openCl()); // no fallback happened
    // The CPU device takes the CPU path and gives the same.
    Nesting cpu(x.size());
    ASSERT_TRUE(nestValuesOn(*ComputeDevice::cpu(), x, cpu.codes, cpu.scales, cpu.mins, 2));
    EXPECT_TRUE(sameNesting(onCpu(x), cpu));
}

} // namespace
} // namespace matryx
