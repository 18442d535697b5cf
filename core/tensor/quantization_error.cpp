#include "tensor/quantization_error.h"

#include "tensor/dequantize.h"
#include "tensor/quantize.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

namespace matryx {

namespace {

constexpr uint64_t kChunkFloats = uint64_t(1) << 20; // per pass step, at least one row

Error problem(const std::string& message) { return makeError("<tensor>", "quantization error", std::nullopt, message); }

// Runs `visit(x, q, n)` over the tensor, chunk by chunk: x the source values, q the same after a
// round trip through `target`.
template <class Visit>
Status roundTrips(TensorType source, std::span<const std::byte> data, uint64_t rows, uint64_t rowLength,
                  TensorType target, Progress& progress, double from, double to, int threads, Visit&& visit) {
    const uint64_t srcRowBytes = *bytesFor(source, rowLength), dstRowBytes = *bytesFor(target, rowLength);
    const uint64_t chunkRows = std::clamp<uint64_t>(kChunkFloats / rowLength, 1, rows);
    std::vector<float> x(size_t(chunkRows * rowLength)), q(x.size());
    std::vector<std::byte> packed(size_t(chunkRows * dstRowBytes));
    for (uint64_t row = 0; row < rows; row += chunkRows) {
        const uint64_t n = std::min(chunkRows, rows - row);
        const size_t values = size_t(n * rowLength);
        const std::span<float> xs(x.data(), values), qs(q.data(), values);
        const std::span<std::byte> bytes(packed.data(), size_t(n * dstRowBytes));
        if (Status s = dequantize(source, data.subspan(size_t(row * srcRowBytes), size_t(n * srcRowBytes)), xs, threads);
            !s)
            return s;
        if (Status s = quantize(target, xs, int64_t(rowLength), bytes, nullptr, threads); !s) return s;
        if (Status s = dequantize(target, bytes, qs, threads); !s) return s;
        visit(x.data(), q.data(), values);
        if (!progress.report(from + (to - from) * double(row + n) / double(rows), "quantization error"))
            return cancelledError("<tensor>");
    }
    return {};
}

} // namespace

Result<QuantizationError> measureQuantizationError(TensorType source, std::span<const std::byte> data,
                                                   const std::vector<int64_t>& shape, TensorType target,
                                                   const std::vector<double>& edges, int errorBins,
                                                   Progress& progress, int threads) {
    if (!canDequantize(source)) return problem("cannot read " + std::string(typeName(source)));
    if (!canQuantize(target)) return problem("cannot quantize to " + std::string(typeName(target)));
    if (shape.empty() || errorBins < 0) return problem("no values, or a negative number of error bins");
    uint64_t elements = 1;
    for (int64_t d : shape) {
        if (d <= 0) return problem("a dimension is not positive");
        elements *= uint64_t(d);
    }
    const uint64_t rowLength = uint64_t(shape[0]), rows = elements / rowLength;
    const TypeTraits& traits = typeTraits(target);
    if (rowLength % traits.blockSize != 0)
        return problem("rows of " + std::to_string(rowLength) + " are not whole blocks of " +
                       std::to_string(traits.blockSize) + " for " + std::string(traits.name));
    if (bytesFor(source, elements) != data.size()) return problem("the bytes do not match the shape");

    QuantizationError out;
    out.target = target;
    std::optional<HistogramBuilder> quantized;
    if (!edges.empty()) quantized.emplace(edges, elements);
    double sse = 0, squares = 0;
    std::vector<float> finiteQ;
    Status first = roundTrips(source, data, rows, rowLength, target, progress, 0.0, 0.5, threads,
                              [&](const float* x, const float* q, size_t n) {
                                  finiteQ.clear();
                                  for (size_t i = 0; i < n; ++i) {
                                      if (!std::isfinite(x[i])) continue;
                                      const double e = double(q[i]) - double(x[i]);
                                      sse += e * e;
                                      squares += double(x[i]) * double(x[i]);
                                      out.maxAbs = std::max(out.maxAbs, std::fabs(e));
                                      ++out.values;
                                      if (std::isfinite(q[i])) finiteQ.push_back(q[i]);
                                  }
                                  if (quantized) quantized->add(finiteQ.data(), finiteQ.size());
                              });
    if (!first) return std::move(first).error();
    if (out.values > 0) {
        out.rmse = std::sqrt(sse / double(out.values));
        out.relativeRmse = squares > 0 ? out.rmse / std::sqrt(squares / double(out.values)) : 0.0;
    }
    if (quantized) out.quantized = quantized->result();
    if (errorBins == 0 || !(out.maxAbs > 0) || !std::isfinite(out.maxAbs)) return out;

    HistogramBuilder errors(linearBinEdges(-out.maxAbs, out.maxAbs, size_t(errorBins)), out.values);
    std::vector<float> e;
    Status second = roundTrips(source, data, rows, rowLength, target, progress, 0.5, 1.0, threads,
                               [&](const float* x, const float* q, size_t n) {
                                   e.clear();
                                   for (size_t i = 0; i < n; ++i)
                                       if (std::isfinite(x[i]) && std::isfinite(q[i])) e.push_back(q[i] - x[i]);
                                   errors.add(e.data(), e.size());
                               });
    if (!second) return std::move(second).error();
    out.error = errors.result();
    return out;
}

} // namespace matryx
