// The OpenCL dequantization kernels against matryx::dequantize, bit for bit, on random blocks,
// blocks with extreme, infinite and NaN scales, and every fp16 and bf16 bit pattern.

#include "compute/opencl_dequantize.h"

#include "compute/compute_device.h"
#include "compute/dequantize_dispatch.h"
#include "opencl_test_support.h"
#include "tensor/dequantize.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace matryx {
namespace {

using test::OpenClTest;

// Byte offsets of the fp16 scales (d, and dmin or m) inside one block, from ggml-common.h.
std::vector<size_t> scaleOffsets(TensorType type) {
    using T = TensorType;
    switch (type) {
    case T::Q4_1:
    case T::Q5_1:
    case T::Q4_K:
    case T::Q5_K: return {0, 2};
    case T::Q2_K: return {80, 82};
    case T::Q3_K: return {108};
    case T::Q6_K: return {208};
    default: return {0};
    }
}

constexpr TensorType kBlockTypes[] = {TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1,
                                      TensorType::Q8_0, TensorType::Q2_K, TensorType::Q3_K, TensorType::Q4_K,
                                      TensorType::Q5_K, TensorType::Q6_K, TensorType::IQ4_NL, TensorType::IQ4_XS};

// fp16 scales at the edges of the format: subnormals, the largest finite, signed zeros,
// infinities and NaNs (quiet and signalling).
constexpr uint16_t kExtremeScales[] = {0x0001, 0x03ff, 0x0400, 0x3c00, 0x7bff, 0x8001, 0x83ff, 0xfbff,
                                       0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x7d01, 0xfe01, 0x1234};

enum class Scales { Random, Finite, Extreme };

std::vector<std::byte> randomBlocks(TensorType type, size_t blocks, Scales scales, uint64_t seed) {
    const TypeTraits& t = typeTraits(type);
    std::mt19937_64 rng(seed);
    std::vector<std::byte> bytes(blocks * t.blockBytes);
    for (auto& b : bytes)
        b = std::byte(rng());
    if (scales == Scales::Random)
        return bytes;
    std::uniform_int_distribution<size_t> pick(0, std::size(kExtremeScales) - 1);
    for (size_t b = 0; b < blocks; ++b)
        for (size_t offset : scaleOffsets(type)) {
            // Finite: a random sign, exponent below 31 and mantissa.
            uint16_t h = uint16_t(rng());
            if (scales == Scales::Finite)
                h = uint16_t((h & 0x83ff) | (uint16_t(rng() % 31) << 10));
            else
                h = kExtremeScales[pick(rng)];
            std::memcpy(bytes.data() + b * t.blockBytes + offset, &h, 2);
        }
    return bytes;
}

// Equal bits, or both NaN (whose sign and payload IEEE 754 leaves to the arithmetic).
::testing::AssertionResult sameFloats(const std::vector<float>& want, const std::vector<float>& got,
                                      bool nanBitsToo) {
    for (size_t i = 0; i < want.size(); ++i) {
        const auto a = std::bit_cast<uint32_t>(want[i]);
        const auto b = std::bit_cast<uint32_t>(got[i]);
        if (a == b || (!nanBitsToo && std::isnan(want[i]) && std::isnan(got[i])))
            continue;
        char text[160];
        std::snprintf(text, sizeof text, "element %zu: CPU %a (0x%08x), OpenCL %a (0x%08x)", i, double(want[i]), a,
                      double(got[i]), b);
        return ::testing::AssertionFailure() << text;
    }
    return ::testing::AssertionSuccess();
}

std::vector<float> onCpu(TensorType type, const std::vector<std::byte>& src, size_t elements) {
    std::vector<float> out(elements);
    const Status s = dequantize(type, src, out);
    EXPECT_TRUE(s) << s.error().toString();
    return out;
}

class OpenClDequantize : public OpenClTest, public ::testing::WithParamInterface<TensorType> {};

TEST_P(OpenClDequantize, MatchesCpuBitForBit) {
    const TensorType type = GetParam();
    const TypeTraits& t = typeTraits(type);
    ASSERT_TRUE(openClCanDequantize(type));
    uint64_t seed = 1;
    for (Scales scales : {Scales::Random, Scales::Finite, Scales::Extreme}) {
        for (size_t blocks : {size_t(1), size_t(3), size_t(517), size_t(4099)}) {
            SCOPED_TRACE(std::string(t.name) + ", " + std::to_string(blocks) + " blocks, scales " +
                         std::to_string(int(scales)));
            const auto src = randomBlocks(type, blocks, scales, seed++);
            const size_t elements = blocks * t.blockSize;
            const auto want = onCpu(type, src, elements);
            std::vector<float> got(elements, -1.0f);
            const Status s = dequantizeOpenCl(context(), type, src, got);
            ASSERT_TRUE(s) << s.error().toString();
            EXPECT_TRUE(sameFloats(want, got, false));
        }
    }
}

INSTANTIATE_TEST_SUITE_P(BlockTypes, OpenClDequantize, ::testing::ValuesIn(kBlockTypes),
                         [](const auto& info) { return std::string(typeTraits(info.param).name); });

// Every 16-bit pattern, NaNs included: these conversions are defined bit for bit.
class OpenClDequantizeFloats : public OpenClTest {};

TEST_F(OpenClDequantizeFloats, EveryFp16AndBf16PatternKeepsItsBits) {
    std::vector<std::byte> src(2 * 65536);
    for (uint32_t i = 0; i < 65536; ++i) {
        src[2 * i] = std::byte(i & 0xff);
        src[2 * i + 1] = std::byte(i >> 8);
    }
    for (TensorType type : {TensorType::F16, TensorType::BF16}) {
        SCOPED_TRACE(std::string(typeTraits(type).name));
        const auto want = onCpu(type, src, 65536);
        std::vector<float> got(65536);
        const Status s = dequantizeOpenCl(context(), type, src, got);
        ASSERT_TRUE(s) << s.error().toString();
        EXPECT_TRUE(sameFloats(want, got, false));
    }
}

TEST_F(OpenClDequantizeFloats, RejectsWrongSizesLikeTheCpu) {
    std::vector<std::byte> src(144 * 2);
    std::vector<float> dst(256 * 2);
    const Status shortInput = dequantizeOpenCl(context(), TensorType::Q4_K, std::span(src).first(200), dst);
    ASSERT_FALSE(shortInput);
    EXPECT_EQ(shortInput.error().toString(), dequantize(TensorType::Q4_K, std::span(src).first(200), dst).error().toString());
    const Status partialBlock = dequantizeOpenCl(context(), TensorType::Q4_K, src, std::span(dst).first(300));
    ASSERT_FALSE(partialBlock);
    EXPECT_EQ(partialBlock.error().toString(),
              dequantize(TensorType::Q4_K, src, std::span(dst).first(300)).error().toString());
    const Status noKernel = dequantizeOpenCl(context(), TensorType::IQ2_XXS, src, dst);
    ASSERT_FALSE(noKernel);
    EXPECT_NE(noKernel.error().message.find("no OpenCL kernel"), std::string::npos);
    EXPECT_FALSE(openClCanDequantize(TensorType::IQ2_XXS));
    EXPECT_FALSE(openClCanDequantize(TensorType::F32));
}

TEST_F(OpenClDequantizeFloats, DispatcherOnAnOpenClDeviceMatchesTheCpuDevice) {
    test::TempDir cache;
    auto device = ComputeDevice::open(DeviceRequest{DeviceRequest::Kind::OpenCl, std::nullopt}, {cache.path()});
    ASSERT_TRUE(device) << device.error().toString();
    ASSERT_TRUE((*device)->openCl());
    const auto cpu = ComputeDevice::cpu();
    EXPECT_FALSE(cpu->openCl());
    EXPECT_EQ(cpu->description(), "CPU");
    // Q4_K runs on OpenCL, IQ2_XXS (no kernel) on the CPU; both give the CPU's bits.
    for (TensorType type : {TensorType::Q4_K, TensorType::IQ2_XXS, TensorType::Q6_K}) {
        const auto src = randomBlocks(type, 40, Scales::Finite, 99);
        const size_t elements = 40 * typeTraits(type).blockSize;
        std::vector<float> a(elements), b(elements);
        ASSERT_TRUE(dequantizeOn(**device, type, src, a, 2));
        ASSERT_TRUE(dequantizeOn(*cpu, type, src, b));
        EXPECT_TRUE(sameFloats(b, a, false)) << typeTraits(type).name;
    }
    EXPECT_TRUE((*device)->openCl()) << "a working device must not fall back";
    // A caller's size mistake is reported as such, not taken for a device failure.
    std::vector<std::byte> src(10);
    std::vector<float> dst(32);
    EXPECT_FALSE(dequantizeOn(**device, TensorType::Q4_0, src, dst));
    EXPECT_TRUE((*device)->openCl());
}

} // namespace
} // namespace matryx
