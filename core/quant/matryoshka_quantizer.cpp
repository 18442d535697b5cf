#include "quant/matryoshka_quantizer.h"

#include "compute/opencl_matryoshka.h"
#include "quant/matryoshka_slice.h"
#include "quant/row_workers.h"
#include "tensor/float_convert.h"

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>

namespace matryx {

static_assert(kOpenClNestGroup == kMatryoshkaGroup, "the kernel nests the same groups");

namespace {

constexpr float kFp16Max = 65504.0f;
constexpr int kSearchedWidths[] = {8, 4, 2};
constexpr float kShrinks[] = {0.0f, 1.0f / 32, 1.0f / 16, 1.0f / 8};
constexpr float kSteps[] = {255.0f, 240.0f, 224.0f, 192.0f};

struct Candidate {
    uint16_t scale = 0;
    uint16_t min = 0;
    std::array<float, 3> sse{}; // per searched width
};

Candidate evaluate(const float* x, float scale, float min) noexcept {
    Candidate c;
    c.scale = f32ToFp16(std::clamp(scale, 0.0f, kMaxMatryoshkaScale));
    c.min = f32ToFp16(std::clamp(min, -kFp16Max, kFp16Max));
    const float s = fp16ToF32(c.scale), m = fp16ToF32(c.min);
    const float inv = s > 0.0f ? 1.0f / s : 0.0f;
    std::array<float, 3> steps{};
    for (size_t k = 0; k < steps.size(); ++k)
        steps[k] = sliceStep(c.scale, kSearchedWidths[k]);
    for (int j = 0; j < kMatryoshkaGroup; ++j) {
        const float v = std::fmin(std::fmax((x[j] - m) * inv, 0.0f), 255.0f);
        const auto q = static_cast<uint8_t>(v + 0.5f);
        for (size_t k = 0; k < steps.size(); ++k) {
            const float e = x[j] - (float(sliceCode(q, kSearchedWidths[k])) * steps[k] + m);
            c.sse[k] += e * e;
        }
    }
    return c;
}

void nestGroup(const float* src, int8_t* codes, uint16_t* scale, uint16_t* min) noexcept {
    std::array<float, kMatryoshkaGroup> x{};
    for (int j = 0; j < kMatryoshkaGroup; ++j)
        x[j] = std::isnan(src[j]) ? 0.0f : std::clamp(src[j], -kFp16Max, kFp16Max);
    const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
    const float range = *hi - *lo;

    Candidate best = evaluate(x.data(), range / 255.0f, *lo);
    std::array<float, 3> weight{};
    for (size_t k = 0; k < weight.size(); ++k)
        weight[k] = 1.0f / std::max(best.sse[k], FLT_MIN);
    float bestCost = float(weight.size());
    if (range > 0.0f) {
        for (float shrink : kShrinks) {
            for (float steps : kSteps) {
                if (shrink == 0.0f && steps == 255.0f) continue; // the baseline, already in
                const float from = *lo + shrink * range;
                const Candidate c = evaluate(x.data(), (range - 2.0f * shrink * range) / steps, from);
                float cost = 0.0f;
                for (size_t k = 0; k < weight.size(); ++k)
                    cost += c.sse[k] * weight[k];
                if (cost < bestCost) {
                    bestCost = cost;
                    best = c;
                }
            }
        }
    }
    *scale = best.scale;
    *min = best.min;
    const float s = fp16ToF32(best.scale), m = fp16ToF32(best.min);
    const float inv = s > 0.0f ? 1.0f / s : 0.0f;
    for (int j = 0; j < kMatryoshkaGroup; ++j) {
        const float v = std::fmin(std::fmax((x[j] - m) * inv, 0.0f), 255.0f);
        codes[j] = storedMatryoshkaCode(static_cast<uint8_t>(v + 0.5f));
    }
}

} // namespace

void nestValues(const float* src, int64_t values, int8_t* codes, uint16_t* scales, uint16_t* mins) noexcept {
    for (int64_t g = 0; g < values / kMatryoshkaGroup; ++g)
        nestGroup(src + g * kMatryoshkaGroup, codes + g * kMatryoshkaGroup, scales + g, mins + g);
}

Status nestRows(std::span<const float> src, int64_t rowLength, std::span<int8_t> codes,
                std::span<uint16_t> scales, std::span<uint16_t> mins, int threads) {
    if (rowLength <= 0 || rowLength % kMatryoshkaGroup != 0 || src.size() % static_cast<uint64_t>(rowLength) != 0)
        return makeError("<memory>", "rowLength", std::nullopt,
                         "rows of " + std::to_string(rowLength) + " values are not whole groups of 32 "
                         "or do not divide the " + std::to_string(src.size()) + " values");
    const size_t groups = src.size() / kMatryoshkaGroup;
    if (codes.size() != src.size() || scales.size() != groups || mins.size() != groups)
        return makeError("<memory>", "codes", std::nullopt, "output buffers do not fit the values");
    const uint64_t row = static_cast<uint64_t>(rowLength), groupsPerRow = row / kMatryoshkaGroup;
    return runOnRows(src.size() / row, row, threads, [&](uint64_t, uint64_t first, uint64_t count) -> Status {
        nestValues(src.data() + first * row, static_cast<int64_t>(count * row), codes.data() + first * row,
                   scales.data() + first * groupsPerRow, mins.data() + first * groupsPerRow);
        return {};
    });
}

Status nestValuesOn(ComputeDevice& device, std::span<const float> src, std::span<int8_t> codes,
                    std::span<uint16_t> scales, std::span<uint16_t> mins, int threads) {
    const auto cpu = [&] { return nestRows(src, kMatryoshkaGroup, codes, scales, mins, threads); };
    const size_t groups = src.size() / kMatryoshkaGroup;
    if (src.empty() || src.size() % kMatryoshkaGroup != 0 || codes.size() != src.size() || scales.size() != groups ||
        mins.size() != groups)
        return cpu(); // reports the caller's mistake as the CPU path words it
    return device.run(
        "Matryoshka nesting",
        [&](OpenClContext& context) { return nestMatryoshkaOpenCl(context, src, codes, scales, mins); }, cpu);
}

} // namespace matryx
