#include "compute/value_stats.h"

#include "tensor/dequantize.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>

namespace matryx {

namespace {

// Values dequantized per step of the typed path: fits in L2 with room to spare.
constexpr uint64_t kChunkValues = 1 << 14;

Error edgeError(std::string message) { return makeError("<histogram>", "edges", std::nullopt, std::move(message)); }

// Orders floats by value with -0 below +0 (what the OpenCL kernel does with integer keys).
inline int32_t totalKey(float v) noexcept {
    const auto b = std::bit_cast<int32_t>(v);
    return b >= 0 ? b : b ^ 0x7fffffff;
}

} // namespace

Status checkHistogramEdges(std::span<const double> edges) {
    if (edges.empty())
        return {};
    if (edges.size() < 2)
        return edgeError("a histogram needs at least 2 edges, got " + std::to_string(edges.size()));
    if (edges.size() - 1 > kMaxValueStatsBins)
        return edgeError(std::to_string(edges.size() - 1) + " bins are more than " +
                         std::to_string(kMaxValueStatsBins));
    for (size_t i = 0; i < edges.size(); ++i) {
        if (!std::isfinite(edges[i]))
            return edgeError("edge " + std::to_string(i) + " is not finite");
        if (i > 0 && edges[i] < edges[i - 1])
            return edgeError("edge " + std::to_string(i) + " is below edge " + std::to_string(i - 1));
    }
    if (!(edges.front() < edges.back()))
        return edgeError("the first edge must be below the last");
    return {};
}

ValueStatsAccumulator::ValueStatsAccumulator(std::span<const double> edges) : edges_(edges.begin(), edges.end()) {
    if (!edges_.empty())
        stats_.counts.assign(edges_.size() - 1, 0);
}

void ValueStatsAccumulator::add(std::span<const float> values) noexcept {
    ValueStats& s = stats_;
    const bool histogram = !edges_.empty();
    const double lo = histogram ? edges_.front() : 0;
    const double hi = histogram ? edges_.back() : 0;
    const auto inner = edges_.begin() + (histogram ? 1 : 0);
    const auto innerEnd = histogram ? edges_.end() - 1 : edges_.end();
    int32_t minKey = s.finite ? totalKey(s.min) : INT32_MAX;
    int32_t maxKey = s.finite ? totalKey(s.max) : INT32_MIN;
    for (float v : values) {
        if (std::isnan(v)) {
            ++s.nan;
            continue;
        }
        if (std::isinf(v)) {
            ++s.infinite;
            continue;
        }
        ++s.finite;
        const double d = v;
        s.sum += d;
        s.sumSquares += d * d;
        const int32_t key = totalKey(v);
        if (key < minKey) {
            minKey = key;
            s.min = v;
        }
        if (key > maxKey) {
            maxKey = key;
            s.max = v;
        }
        if (!histogram)
            continue;
        if (d < lo)
            ++s.below;
        else if (d > hi)
            ++s.above;
        else
            ++s.counts[size_t(std::upper_bound(inner, innerEnd, d) - inner)];
    }
    s.count += values.size();
}

Result<ValueStats> valueStatsCpu(std::span<const float> values, std::span<const double> edges) {
    if (Status s = checkHistogramEdges(edges); !s)
        return std::move(s).error();
    ValueStatsAccumulator acc(edges);
    acc.add(values);
    return acc.result();
}

Result<ValueStats> valueStatsCpu(TensorType type, std::span<const std::byte> data, uint64_t elements,
                                 std::span<const double> edges) {
    if (Status s = checkHistogramEdges(edges); !s)
        return std::move(s).error();
    const TypeTraits* traits = typeTraits(uint32_t(type));
    if (!traits || !canDequantize(type))
        return makeError("<memory>", "tensor data", std::nullopt,
                         "cannot dequantize type id " + std::to_string(uint32_t(type)));
    const auto expected = bytesFor(type, elements);
    if (elements % traits->blockSize != 0 || !expected || *expected != data.size())
        return makeError("<memory>", "tensor data", std::nullopt,
                         std::string(traits->name) + ": " + std::to_string(data.size()) + " bytes of data do not hold " +
                             std::to_string(elements) + " elements");

    ValueStatsAccumulator acc(edges);
    const uint64_t chunkBlocks = std::max<uint64_t>(1, kChunkValues / traits->blockSize);
    std::vector<float> buffer(chunkBlocks * traits->blockSize);
    const uint64_t blocks = elements / traits->blockSize;
    for (uint64_t first = 0; first < blocks; first += chunkBlocks) {
        const uint64_t count = std::min(chunkBlocks, blocks - first);
        const auto out = std::span<float>(buffer).first(count * traits->blockSize);
        if (Status s = dequantize(type, data.subspan(first * traits->blockBytes, count * traits->blockBytes), out); !s)
            return std::move(s).error();
        acc.add(out);
    }
    return acc.result();
}

} // namespace matryx
