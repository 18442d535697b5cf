// The statistics primitive: the CPU path against a plain reference written here (long double
// sums, a linear scan of the edges), and the OpenCL path against the CPU path.

#include "compute/value_stats.h"

#include "compute/compute_device.h"
#include "compute/opencl_value_stats.h"
#include "compute/value_stats_dispatch.h"
#include "opencl_test_support.h"
#include "tensor/dequantize.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace matryx {
namespace {

using test::OpenClTest;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// numpy.linspace's edges: i * step + lo, the last one exactly hi.
std::vector<double> linspace(double lo, double hi, size_t bins) {
    std::vector<double> edges(bins + 1);
    const double step = (hi - lo) / double(bins);
    for (size_t i = 0; i < bins; ++i)
        edges[i] = double(i) * step + lo;
    edges[bins] = hi;
    return edges;
}

// The definition, one value at a time.
struct Reference {
    uint64_t finite = 0, nan = 0, inf = 0, below = 0, above = 0;
    long double sum = 0, squares = 0;
    std::vector<uint64_t> counts;
};

Reference reference(const std::vector<float>& values, const std::vector<double>& edges) {
    Reference r;
    r.counts.assign(edges.empty() ? 0 : edges.size() - 1, 0);
    for (float v : values) {
        if (std::isnan(v)) {
            ++r.nan;
            continue;
        }
        if (std::isinf(v)) {
            ++r.inf;
            continue;
        }
        ++r.finite;
        r.sum += v;
        r.squares += (long double)v * v;
        if (edges.empty())
            continue;
        const double d = v;
        if (d < edges.front()) {
            ++r.below;
        } else if (d > edges.back()) {
            ++r.above;
        } else {
            size_t bin = 0;
            while (bin + 1 < r.counts.size() && d >= edges[bin + 1])
                ++bin;
            ++r.counts[bin];
        }
    }
    return r;
}

// |a - b| <= rel * scale, with scale the sum of magnitudes (a sum of mixed signs may cancel).
void expectClose(double got, long double want, long double scale, double rel, const char* what) {
    EXPECT_LE(std::fabs((long double)got - want), rel * scale + 1e-300L) << what << ": got " << got << ", want "
                                                                           << double(want);
}

void expectMatchesReference(const ValueStats& s, const std::vector<float>& values, const std::vector<double>& edges) {
    const Reference r = reference(values, edges);
    EXPECT_EQ(s.count, values.size());
    EXPECT_EQ(s.finite, r.finite);
    EXPECT_EQ(s.nan, r.nan);
    EXPECT_EQ(s.infinite, r.inf);
    EXPECT_EQ(s.below, r.below);
    EXPECT_EQ(s.above, r.above);
    EXPECT_EQ(s.counts, r.counts);
    long double magnitude = 0;
    for (float v : values)
        if (std::isfinite(v))
            magnitude += std::fabs((long double)v);
    expectClose(s.sum, r.sum, magnitude, 1e-12, "sum");
    expectClose(s.sumSquares, r.squares, r.squares, 1e-12, "sum of squares");
}

// Everything but the two sums bit for bit; the sums within 1e-9 relative.
void expectSameStats(const ValueStats& cpu, const ValueStats& cl) {
    EXPECT_EQ(cl.count, cpu.count);
    EXPECT_EQ(cl.finite, cpu.finite);
    EXPECT_EQ(cl.nan, cpu.nan);
    EXPECT_EQ(cl.infinite, cpu.infinite);
    EXPECT_EQ(std::bit_cast<uint32_t>(cl.min), std::bit_cast<uint32_t>(cpu.min)) << cl.min << " vs " << cpu.min;
    EXPECT_EQ(std::bit_cast<uint32_t>(cl.max), std::bit_cast<uint32_t>(cpu.max)) << cl.max << " vs " << cpu.max;
    EXPECT_EQ(cl.below, cpu.below);
    EXPECT_EQ(cl.above, cpu.above);
    EXPECT_EQ(cl.counts, cpu.counts);
    EXPECT_LE(std::fabs(cl.sumSquares - cpu.sumSquares), 1e-9 * cpu.sumSquares);
    // The sum of magnitudes bounds the rounding of a sum whose terms cancel.
    EXPECT_LE(std::fabs(cl.sum - cpu.sum), 1e-9 * std::max(std::sqrt(cpu.sumSquares * double(cpu.finite)), 1e-300));
}

std::vector<float> gaussian(size_t n, float scale, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> dist(0.0f, scale);
    std::vector<float> v(n);
    for (auto& x : v)
        x = dist(rng);
    return v;
}

// Values that sit on, just below and just above every edge (as floats), plus specials.
std::vector<float> edgeProbes(const std::vector<double>& edges) {
    std::vector<float> v;
    for (double e : edges) {
        const auto f = float(e);
        for (float x : {f, std::nextafter(f, -kInf), std::nextafter(f, kInf)})
            v.push_back(x);
    }
    for (float x : {0.0f, -0.0f, kNaN, -kNaN, kInf, -kInf, 1e-45f, -1e-45f, 1e-40f,
                    std::numeric_limits<float>::max(), -std::numeric_limits<float>::max()})
        v.push_back(x);
    return v;
}

TEST(ValueStatsCpu, MatchesThePlainDefinition) {
    auto values = gaussian(100000, 0.02f, 1);
    const auto edges = linspace(-0.05, 0.07, 97); // steps that are not floats
    const auto probes = edgeProbes(edges);
    values.insert(values.end(), probes.begin(), probes.end());
    auto s = valueStatsCpu(values, edges);
    ASSERT_TRUE(s) << s.error().toString();
    expectMatchesReference(*s, values, edges);
    EXPECT_EQ(s->min, -std::numeric_limits<float>::max());
    EXPECT_EQ(s->max, std::numeric_limits<float>::max());
}

TEST(ValueStatsCpu, MinAndMaxOrderNegativeZeroFirstAndAreNaNWithoutFiniteValues) {
    const std::vector<float> zeros = {0.0f, -0.0f, 0.0f};
    auto s = valueStatsCpu(zeros);
    ASSERT_TRUE(s);
    EXPECT_TRUE(std::signbit(s->min));
    EXPECT_FALSE(std::signbit(s->max));
    const std::vector<float> none = {kNaN, kInf, -kInf};
    s = valueStatsCpu(none);
    ASSERT_TRUE(s);
    EXPECT_TRUE(std::isnan(s->min) && std::isnan(s->max));
    EXPECT_EQ(s->nan, 1u);
    EXPECT_EQ(s->infinite, 2u);
    EXPECT_EQ(s->finite, 0u);
}

TEST(ValueStatsCpu, RejectsBadEdges) {
    const std::vector<float> v = {1.0f};
    for (const std::vector<double>& bad : std::vector<std::vector<double>>{
             {1.0}, {1.0, 1.0}, {2.0, 1.0}, {0.0, std::nan(""), 1.0}, {0.0, 2.0, 1.0, 3.0}, {0.0, HUGE_VAL}}) {
        auto s = valueStatsCpu(v, bad);
        EXPECT_FALSE(s);
    }
}

TEST(ValueStatsCpu, TypedPathEqualsDequantizedValues) {
    std::mt19937_64 rng(5);
    std::vector<std::byte> data(144 * 300);
    for (auto& b : data)
        b = std::byte(rng() & 0xbf); // bit 6 clear: finite scales
    std::vector<float> values(256 * 300);
    ASSERT_TRUE(dequantize(TensorType::Q4_K, data, values));
    const auto edges = linspace(-1.0, 1.0, 50);
    auto typed = valueStatsCpu(TensorType::Q4_K, data, values.size(), edges);
    auto plain = valueStatsCpu(values, edges);
    ASSERT_TRUE(typed && plain);
    EXPECT_EQ(typed->counts, plain->counts);
    EXPECT_EQ(typed->sum, plain->sum);
    EXPECT_EQ(typed->min, plain->min);
    EXPECT_FALSE(valueStatsCpu(TensorType::Q4_K, std::span(data).first(100), values.size(), edges));
}

class OpenClValueStats : public OpenClTest {};

TEST_F(OpenClValueStats, MatchesCpuOnRandomValuesWithEdgeProbes) {
    ASSERT_TRUE(openClCanComputeValueStats(context().device())) << "PoCL and NVIDIA both have cl_khr_fp64";
    for (size_t bins : {size_t(1), size_t(7), size_t(256), size_t(4096)}) {
        SCOPED_TRACE(std::to_string(bins) + " bins");
        auto values = gaussian(200000 + bins, 1.5f, bins);
        const auto edges = linspace(-3.3, 2.9, bins);
        const auto probes = edgeProbes(edges);
        values.insert(values.begin() + 1000, probes.begin(), probes.end());
        auto cpu = valueStatsCpu(values, edges);
        auto cl = valueStatsOpenCl(context(), values, edges);
        ASSERT_TRUE(cpu && cl) << (cl ? "" : cl.error().toString());
        expectSameStats(*cpu, *cl);
        expectMatchesReference(*cl, values, edges);
    }
}

TEST_F(OpenClValueStats, MatchesCpuWithoutHistogramAndOnSpecialInputs) {
    const std::vector<std::vector<float>> inputs = {
        {},
        {kNaN},
        {-0.0f, 0.0f},
        {0.0f, -0.0f},
        {1e-45f, -1e-45f, 1e-40f, 3e-39f}, // denormals only
        {std::numeric_limits<float>::max(), std::numeric_limits<float>::max(), -kInf},
        std::vector<float>(100003, 0.1f),
    };
    for (const auto& values : inputs) {
        SCOPED_TRACE(std::to_string(values.size()) + " values");
        auto cpu = valueStatsCpu(values);
        auto cl = valueStatsOpenCl(context(), values);
        ASSERT_TRUE(cpu && cl) << (cl ? "" : cl.error().toString());
        expectSameStats(*cpu, *cl);
        EXPECT_TRUE(cl->counts.empty());
    }
}

TEST_F(OpenClValueStats, ManyBinsUseGlobalCountersAndStayExact) {
    // More bins than fit in local memory on any device (4 MiB of counters).
    const size_t bins = size_t(1) << 20;
    const auto values = gaussian(300000, 1.0f, 77);
    const auto edges = linspace(-4.0, 4.0, bins);
    auto cpu = valueStatsCpu(values, edges);
    auto cl = valueStatsOpenCl(context(), values, edges);
    ASSERT_TRUE(cpu && cl) << (cl ? "" : cl.error().toString());
    expectSameStats(*cpu, *cl);
}

TEST_F(OpenClValueStats, DequantizesOnTheDeviceLikeTheCpu) {
    for (TensorType type : {TensorType::Q4_K, TensorType::Q8_0, TensorType::F16, TensorType::Q6_K, TensorType::F32}) {
        const TypeTraits& t = typeTraits(type);
        SCOPED_TRACE(std::string(t.name));
        const size_t elements = 256 * 1000;
        std::mt19937_64 rng(uint64_t(type) + 3);
        std::vector<std::byte> data(*bytesFor(type, elements));
        for (auto& b : data)
            b = std::byte(rng()); // random scales: NaNs and infinities included
        const auto edges = linspace(-100.0, 100.0, 33);
        auto cpu = valueStatsCpu(type, data, elements, edges);
        auto cl = valueStatsOpenCl(context(), type, data, elements, edges);
        ASSERT_TRUE(cpu && cl) << (cl ? "" : cl.error().toString());
        expectSameStats(*cpu, *cl);
    }
    std::vector<std::byte> data(100);
    EXPECT_FALSE(valueStatsOpenCl(context(), TensorType::IQ2_XXS, data, 256));
    EXPECT_FALSE(valueStatsOpenCl(context(), TensorType::Q4_K, data, 256));
}

TEST_F(OpenClValueStats, DispatcherGivesTheSameResultOnEveryDevice) {
    test::TempDir cache;
    auto device = ComputeDevice::open(DeviceRequest{DeviceRequest::Kind::OpenCl, std::nullopt}, {cache.path()});
    ASSERT_TRUE(device) << device.error().toString();
    const auto values = gaussian(50000, 3.0f, 8);
    const auto edges = linspace(-5.0, 5.0, 64);
    auto a = valueStatsOn(**device, values, edges);
    auto b = valueStatsOn(*ComputeDevice::cpu(), values, edges);
    ASSERT_TRUE(a && b);
    expectSameStats(*b, *a);
    const std::vector<double> bad = {1.0, 0.0};
    EXPECT_FALSE(valueStatsOn(**device, values, bad));
    EXPECT_TRUE((*device)->openCl()) << "bad edges are the caller's mistake, not the device's";
}

} // namespace
} // namespace matryx
