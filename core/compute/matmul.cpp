#include "compute/matmul.h"

#include "compute/dot_kernels.h"
#include "tensor/dequantize.h"

#include <algorithm>
#include <omp.h>
#include <string>

namespace matryx {

size_t MatrixView::rowBytes() const noexcept {
    const auto bytes = rowLength > 0 ? bytesFor(type, uint64_t(rowLength)) : std::nullopt;
    return bytes ? size_t(*bytes) : 0;
}

Status checkMatrixView(const MatrixView& view) {
    auto fail = [](std::string message) {
        return makeError("<matrix>", "", std::nullopt, std::move(message));
    };
    if (!canMultiply(view.type))
        return fail("no matrix product for weights of type " + std::string(typeName(view.type)));
    if (view.rows <= 0 || view.rowLength <= 0)
        return fail("empty matrix (" + std::to_string(view.rows) + " rows of " +
                    std::to_string(view.rowLength) + ")");
    if (view.rowBytes() == 0 || !bytesFor(activationTypeFor(view.type), uint64_t(view.rowLength)))
        return fail("rows of " + std::to_string(view.rowLength) + " values are not whole blocks of " +
                    std::string(typeName(view.type)) + " and " +
                    std::string(typeName(activationTypeFor(view.type))));
    if (!view.data) return fail("matrix without data");
    return {};
}

namespace {

// Rows per work item when one activation row is multiplied (decoding): large enough that
// scheduling costs nothing, small enough to balance two busy cores.
int64_t decodeChunkRows(int64_t totalRows, int threads) {
    return std::max<int64_t>(16, (totalRows + int64_t(threads) * 4 - 1) / (int64_t(threads) * 4));
}
// With many activation rows, a work item's weight rows stay in L1 while every column passes.
constexpr int64_t kBatchChunkRows = 16;
// Activation rows per pass over a chunk: about 64 KiB of converted activations, in fours.
int64_t columnTile(size_t activationRowBytes) {
    const int64_t tile = int64_t(65536 / std::max<size_t>(activationRowBytes, 1));
    return std::clamp<int64_t>(tile - tile % 4, 4, 64);
}

struct TargetPlan {
    dot::RowDotFn dot;             // the kernel (F32's for the fallback)
    DequantizeBlocksFn dequantize; // non-null for the fallback
    int64_t blocksPerRow;          // of the weight type, for the fallback
    size_t weightRowBytes;
    int converted; // index into the workspace's converted activations
};

} // namespace

void multiply(std::span<const MatmulTarget> targets, const float* x, int64_t k, int64_t count,
              int64_t xStride, MatmulWorkspace& ws, const MatmulOptions& options) {
    if (targets.empty() || count <= 0) return;
    const CpuKernelLevel level = cpuSupports(options.level) ? options.level : CpuKernelLevel::Scalar;
    const int threads = std::max(1, options.threads);

    // Plans and the distinct activation types; a handful of targets, so linear searches.
    constexpr int kMaxTargets = 8;
    TargetPlan plans[kMaxTargets];
    if (targets.size() > kMaxTargets) {
        for (size_t i = 0; i < targets.size(); i += kMaxTargets)
            multiply(targets.subspan(i, std::min<size_t>(kMaxTargets, targets.size() - i)), x, k, count,
                     xStride, ws, options);
        return;
    }
    int convertedCount = 0;
    uint64_t weightBytes = 0;
    int64_t totalRows = 0;
    for (size_t t = 0; t < targets.size(); ++t) {
        const MatrixView& w = targets[t].weights;
        TargetPlan& plan = plans[t];
        plan.dot = dot::rowDot(level, w.type);
        plan.dequantize = nullptr;
        plan.blocksPerRow = 0;
        const TensorType activation = activationTypeFor(w.type);
        if (!plan.dot) {
            plan.dot = dot::rowDot(level, TensorType::F32);
            plan.dequantize = dequantizeBlocksFunction(w.type);
            plan.blocksPerRow = k / int64_t(typeTraits(w.type).blockSize);
        }
        plan.weightRowBytes = w.rowBytes();
        int index = 0;
        while (index < convertedCount && ws.converted_[size_t(index)].type != activation)
            ++index;
        if (index == convertedCount) {
            if (ws.converted_.size() <= size_t(index)) ws.converted_.resize(size_t(index) + 1);
            auto& c = ws.converted_[size_t(index)];
            c.type = activation;
            c.rowBytes = size_t(*bytesFor(activation, uint64_t(k)));
            if (c.bytes.size() < c.rowBytes * size_t(count)) c.bytes.resize(c.rowBytes * size_t(count));
            ++convertedCount;
        }
        plan.converted = index;
        weightBytes += plan.weightRowBytes * uint64_t(w.rows);
        totalRows += w.rows;
    }

    const int64_t chunkRows = count == 1 ? decodeChunkRows(totalRows, threads) : kBatchChunkRows;
    ws.chunks_.clear();
    for (size_t t = 0; t < targets.size(); ++t)
        for (int64_t r = 0; r < targets[t].weights.rows; r += chunkRows)
            ws.chunks_.push_back({int(t), r, std::min(r + chunkRows, targets[t].weights.rows)});
    bool fallback = false;
    for (size_t t = 0; t < targets.size(); ++t)
        fallback = fallback || plans[t].dequantize;
    if (fallback && ws.rows_.size() < size_t(threads) * size_t(k))
        ws.rows_.resize(size_t(threads) * size_t(k));

    dot::QuantizeRowFn quantize[kMaxTargets];
    for (int c = 0; c < convertedCount; ++c)
        quantize[c] = dot::quantizeRow(level, ws.converted_[size_t(c)].type);

    auto& converted = ws.converted_;
    const auto& chunks = ws.chunks_;
    float* const rowScratch = ws.rows_.data();
    const int64_t conversions = int64_t(convertedCount) * count;
    const int64_t chunkCount = int64_t(chunks.size());
    // Below ~64 KiB of weights the thread start-up costs more than it saves.
    const bool parallel = threads > 1 && weightBytes * uint64_t(count) >= 65536;

#pragma omp parallel num_threads(threads) if (parallel)
    {
#pragma omp for schedule(static)
        for (int64_t i = 0; i < conversions; ++i) {
            const int c = int(i / count);
            const int64_t t = i % count;
            auto& conv = converted[size_t(c)];
            quantize[c](x + t * xStride, conv.bytes.data() + size_t(t) * conv.rowBytes, k);
        }
        float* scratch = rowScratch ? rowScratch + size_t(omp_get_thread_num()) * size_t(k) : nullptr;
#pragma omp for schedule(dynamic, 1)
        for (int64_t i = 0; i < chunkCount; ++i) {
            const auto& chunk = chunks[size_t(i)];
            const MatmulTarget& target = targets[size_t(chunk.target)];
            const TargetPlan& plan = plans[chunk.target];
            const auto& conv = converted[size_t(plan.converted)];
            const int64_t tile = count == 1 ? 1 : columnTile(conv.rowBytes);
            for (int64_t col = 0; col < count; col += tile) {
                const int cols = int(std::min(tile, count - col));
                const std::byte* act = conv.bytes.data() + size_t(col) * conv.rowBytes;
                for (int64_t r = chunk.begin; r < chunk.end; ++r) {
                    const std::byte* row = target.weights.data + size_t(r) * plan.weightRowBytes;
                    if (plan.dequantize) {
                        plan.dequantize(row, scratch, plan.blocksPerRow);
                        row = reinterpret_cast<const std::byte*>(scratch);
                    }
                    plan.dot(row, act, conv.rowBytes, cols, target.out + col * target.outStride + r,
                             size_t(target.outStride), k);
                }
            }
        }
    }
}

} // namespace matryx
