#include "quant/quantize_pipeline.h"

#include "compute/quantize_dispatch.h"
#include "format/gguf_writer.h"
#include "quant/source_pages.h"
#include "tensor/dequantize.h"
#include "tensor/quantize.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>
#include <thread>

namespace matryx {

namespace {

// Forwards the writer's per-tensor reports under a clearer stage name, and a cancel both ways.
class StageProgress : public Progress {
public:
    StageProgress(Progress& outer, const ResolvedPlan& plan) : outer_(outer), plan_(plan) {}

    void setTensor(size_t index) { index_ = index; }

protected:
    void onReport(double fraction, std::string_view stage) override {
        std::string text(stage);
        if (index_ < plan_.tensors.size() && stage == plan_.tensors[index_].name) {
            const ResolvedTensor& t = plan_.tensors[index_];
            text = t.target == t.source ? "copying " + t.name
                                        : "quantizing " + t.name + " to " + std::string(typeName(t.target));
        }
        if (!outer_.report(fraction, text)) cancel();
    }

private:
    Progress& outer_;
    const ResolvedPlan& plan_;
    size_t index_ = 0;
};

// Below this many floats per worker, starting a thread costs more than it saves.
constexpr uint64_t kMinFloatsPerWorker = 1u << 16;

// Rows of one matrix in the tensor: shape[1] when it stacks matrices, else every row.
uint64_t rowsPerMatrix(const std::vector<int64_t>& shape, uint64_t rows) {
    return shape.size() > 1 && shape[1] > 0 ? std::min<uint64_t>(static_cast<uint64_t>(shape[1]), rows)
                                            : rows;
}

class TensorQuantizer {
public:
    TensorQuantizer(const Model& model, const ResolvedPlan& plan, const QuantizeOptions& options,
                    const std::string& file, Progress& progress)
        : model_(model), plan_(plan), options_(options), file_(file), progress_(progress) {
        threads_ = options.threads > 0 ? options.threads
                                       : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    }

    // Everything that can be known before writing: a failure here leaves the disk untouched.
    Status check(QuantizeReport& report) {
        if (plan_.tensors.size() != model_.tensors.size())
            return makeError(file_, "plan", std::nullopt,
                             "the plan has " + std::to_string(plan_.tensors.size()) + " tensors, the model " +
                                 std::to_string(model_.tensors.size()) + "; resolve it for this model");
        for (size_t i = 0; i < plan_.tensors.size(); ++i) {
            const ResolvedTensor& r = plan_.tensors[i];
            const TensorInfo& t = model_.tensors[i];
            const std::string field = "tensors['" + t.name + "']";
            if (r.name != t.name || r.shape != t.shape || r.source != t.type)
                return makeError(file_, field, std::nullopt, "the plan was resolved for another model");
            if (bytesFor(t.type, t.elements()) != t.bytes || model_.data(t).size() != t.bytes)
                return makeError(model_.path.string(), field, t.offset,
                                 "holds " + std::to_string(t.bytes) +
                                     " bytes, not the size of its type and shape");
            if (r.target == r.source) continue;
            if (!canQuantize(r.target))
                return makeError(file_, field, std::nullopt,
                                 std::string(typeName(r.target)) + " cannot be written by this quantizer");
            if (t.rowLength() <= 0 ||
                t.rowLength() % static_cast<int64_t>(typeTraits(r.target).blockSize) != 0)
                return makeError(file_, field, std::nullopt,
                                 "rows of " + std::to_string(t.rowLength()) + " are not whole " +
                                     std::string(typeName(r.target)) + " blocks");
            if (const std::vector<float>* w = importanceFor(t.name)) {
                const uint64_t matrices = t.rows() / rowsPerMatrix(t.shape, t.rows());
                const uint64_t row = static_cast<uint64_t>(t.rowLength());
                const std::string wField = "importance['" + t.name + "']";
                if (w->size() != row && w->size() != row * matrices) {
                    // llama-quantize quantizes token_embd without a vector that does not fit, and
                    // refuses the file for any other tensor.
                    if (t.name == "token_embd.weight") {
                        ignored_.insert(t.name);
                    } else {
                        return makeError(
                            file_, wField, std::nullopt,
                            std::to_string(w->size()) + " weights; the tensor needs " + std::to_string(row) +
                                (matrices > 1 ? " or " + std::to_string(row * matrices) : std::string()));
                    }
                } else {
                    for (size_t k = 0; k < w->size(); ++k)
                        if (!std::isfinite((*w)[k]))
                            return makeError(file_, wField, std::nullopt,
                                             "weight " + std::to_string(k) + " is not finite");
                    if (usesImportance(r.target)) ++report.withImportance;
                }
            }
            ++report.converted;
            if (r.requantizes()) {
                report.requantized.push_back(r.name);
                ++report.requantizedFrom[std::string(typeName(r.source))];
            }
        }
        report.tensors = plan_.tensors.size();
        report.copied = report.tensors - report.converted;
        return {};
    }

    size_t tensorsOnDevice() const { return onDevice_; }

    Status produce(size_t index, std::span<std::byte> out) {
        Status s = convert(index, out);
        releasePages(model_.data(model_.tensors[index]));
        return s;
    }

private:
    Status convert(size_t index, std::span<std::byte> out) {
        const TensorInfo& t = model_.tensors[index];
        const ResolvedTensor& r = plan_.tensors[index];
        const std::span<const std::byte> src = model_.data(t);
        if (r.target == r.source) {
            if (out.size() != src.size()) return internalError(t.name);
            std::memcpy(out.data(), src.data(), src.size());
            return {};
        }
        const uint64_t rowLength = static_cast<uint64_t>(t.rowLength());
        const uint64_t rows = t.rows();
        const uint64_t srcRowBytes = bytesFor(t.type, rowLength).value_or(0);
        const uint64_t dstRowBytes = bytesFor(r.target, rowLength).value_or(0);
        if (srcRowBytes * rows != src.size() || dstRowBytes * rows != out.size())
            return internalError(t.name);

        const std::vector<float>* weights = importanceFor(t.name);
        ComputeDevice* device = options_.device.get();
        bool usedDevice = false;
        const uint64_t matrixRows = rowsPerMatrix(t.shape, rows);
        const uint64_t chunkRows =
            std::clamp<uint64_t>(options_.chunkBytes / (rowLength * sizeof(float)), 1, matrixRows);
        floats_.resize(static_cast<size_t>(chunkRows * rowLength));
        // Chunks never cross a matrix boundary, so that each has one importance vector.
        for (uint64_t row = 0; row < rows;) {
            if (progress_.cancelled()) return cancelledError(file_);
            const uint64_t matrix = row / matrixRows;
            const uint64_t n = std::min({chunkRows, rows - row, (matrix + 1) * matrixRows - row});
            const float* importance = nullptr;
            if (weights)
                importance = weights->data() + (weights->size() == rowLength ? 0 : matrix * rowLength);
            // Each worker takes whole rows through both steps while they are in its cache. The
            // quantizers work row by row, so the bytes do not depend on the split.
            // On a device the workers only dequantize; the chunk is then quantized in one call.
            const bool onDevice = device && quantizesOnOpenCl(*device, r.target, importance != nullptr);
            const uint64_t workers =
                std::clamp<uint64_t>(n * rowLength / kMinFloatsPerWorker, 1, static_cast<uint64_t>(threads_));
            const uint64_t share = (n + workers - 1) / workers;
            std::vector<Status> results(static_cast<size_t>(workers));
            const auto work = [&](uint64_t w) {
                const uint64_t first = std::min(n, w * share), count = std::min(n, first + share) - first;
                if (count == 0) return;
                const uint64_t at = row + first;
                const std::span<float> f32(floats_.data() + first * rowLength,
                                           static_cast<size_t>(count * rowLength));
                results[w] = dequantize(t.type, src.subspan(at * srcRowBytes, count * srcRowBytes), f32);
                if (results[w] && !onDevice)
                    results[w] = quantize(r.target, f32, static_cast<int64_t>(rowLength),
                                          out.subspan(at * dstRowBytes, count * dstRowBytes), importance);
            };
            std::vector<std::thread> pool;
            for (uint64_t w = 1; w < workers; ++w)
                pool.emplace_back(work, w);
            work(0);
            for (auto& thread : pool)
                thread.join();
            for (auto& s : results)
                if (!s) return std::move(s).error();
            if (onDevice) {
                const std::span<const float> f32(floats_.data(), static_cast<size_t>(n * rowLength));
                if (Status s = quantizeOn(*device, r.target, f32, static_cast<int64_t>(rowLength),
                                          out.subspan(row * dstRowBytes, n * dstRowBytes), importance, threads_);
                    !s)
                    return s;
                usedDevice = true;
            }
            row += n;
        }
        if (usedDevice) ++onDevice_;
        return {};
    }

    const std::vector<float>* importanceFor(const std::string& name) const {
        if (!options_.importance || ignored_.contains(name)) return nullptr;
        const auto it = options_.importance->find(name);
        return it == options_.importance->end() ? nullptr : &it->second;
    }

    Error internalError(const std::string& name) const {
        return makeError(file_, "tensors['" + name + "']", std::nullopt,
                         "internal error: sizes do not match");
    }

    const Model& model_;
    const ResolvedPlan& plan_;
    const QuantizeOptions& options_;
    const std::string& file_;
    Progress& progress_;
    int threads_ = 1;
    std::vector<float> floats_;
    std::set<std::string> ignored_; // importance vectors that do not fit their tensor
    size_t onDevice_ = 0;
};

} // namespace

Result<QuantizeReport> quantizeModel(const Model& model, const ResolvedPlan& plan,
                                     const std::filesystem::path& out, const QuantizeOptions& options,
                                     Progress& progress) {
    const std::string file = out.string();
    StageProgress stages(progress, plan);
    TensorQuantizer quantizer(model, plan, options, file, progress);
    QuantizeReport report;
    if (auto s = quantizer.check(report); !s) return std::move(s).error();

    std::vector<OutputTensor> outputs;
    outputs.reserve(plan.tensors.size());
    for (const auto& t : plan.tensors)
        outputs.push_back({t.name, t.target, t.shape});
    const TensorProducer produce = [&](size_t index, std::span<std::byte> bytes) {
        stages.setTensor(index + 1);
        return quantizer.produce(index, bytes);
    };
    WriteOptions writeOptions;
    writeOptions.overwrite = options.overwrite;
    writeOptions.alignment = plan.alignment;
    if (auto s = writeGguf(out, plan.metadata, outputs, produce, writeOptions, stages); !s) {
        Error e = std::move(s).error();
        e.cancelled = e.cancelled || progress.cancelled();
        return e;
    }
    std::error_code ec;
    report.fileBytes = std::filesystem::file_size(out, ec);
    report.onDevice = quantizer.tensorsOnDevice();
    return report;
}

} // namespace matryx
