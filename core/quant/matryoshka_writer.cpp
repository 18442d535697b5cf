#include "quant/matryoshka_writer.h"

#include "format/gguf_writer.h"
#include "quant/matryoshka_file.h"
#include "quant/matryoshka_quantizer.h"
#include "quant/matryoshka_slice.h"
#include "quant/plan.h"
#include "quant/row_workers.h"
#include "quant/source_pages.h"
#include "tensor/dequantize.h"

#include <algorithm>
#include <cstring>
#include <thread>

namespace matryx {

namespace {

constexpr size_t kMaxNameBytes = 63; // GGUF names, as llama.cpp limits them

enum class Role { Copy, ToF32, Codes, Scales, Mins };

struct Job {
    size_t tensor = 0;
    Role role = Role::Copy;
};

// Names the stage after the source tensor and what happens to it.
class NestingProgress : public Progress {
public:
    NestingProgress(Progress& outer, const Model& model, const std::vector<Job>& jobs)
        : outer_(outer), model_(model), jobs_(jobs) {}

    void setJob(size_t index) { index_ = index; }

protected:
    void onReport(double fraction, std::string_view stage) override {
        std::string text(stage);
        if (index_ < jobs_.size()) {
            const Job& job = jobs_[index_];
            const std::string& name = model_.tensors[job.tensor].name;
            if (job.role == Role::Codes) text = "nesting " + name;
            if (job.role == Role::Copy || job.role == Role::ToF32) text = "copying " + name;
        }
        if (!outer_.report(fraction, text)) cancel();
    }

private:
    Progress& outer_;
    const Model& model_;
    const std::vector<Job>& jobs_;
    size_t index_ = 0;
};

class TensorNester {
public:
    TensorNester(const Model& model, const MatryoshkaOptions& options, const std::string& file, Progress& progress)
        : model_(model), options_(options), file_(file), progress_(progress) {
        threads_ = options.threads > 0 ? options.threads
                                       : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    }

    size_t tensorsOnDevice() const { return onDevice_; }

    Status produce(const Job& job, std::span<std::byte> out, MatryoshkaReport& report) {
        const TensorInfo& t = model_.tensors[job.tensor];
        const std::span<const std::byte> src = model_.data(t);
        switch (job.role) {
        case Role::Copy:
            if (out.size() != src.size()) return internalError(t.name);
            std::memcpy(out.data(), src.data(), src.size());
            releasePages(src);
            return {};
        case Role::ToF32: {
            if (out.size() != t.elements() * sizeof(float)) return internalError(t.name);
            const std::span<float> f32(reinterpret_cast<float*>(out.data()), static_cast<size_t>(t.elements()));
            Status s = dequantize(t.type, src, f32, threads_);
            releasePages(src);
            return s;
        }
        case Role::Codes: {
            MatryoshkaTensorReport entry{t.name, t.shape, t.type, {}};
            Status s = nest(t, out, entry.errors);
            releasePages(src);
            if (s) report.nested.push_back(std::move(entry));
            return s;
        }
        case Role::Scales:
        case Role::Mins: {
            const std::vector<uint16_t>& values = job.role == Role::Scales ? scales_ : mins_;
            if (out.size() != values.size() * sizeof(uint16_t)) return internalError(t.name);
            std::memcpy(out.data(), values.data(), out.size());
            return {};
        }
        }
        return internalError(t.name);
    }

private:
    Status nest(const TensorInfo& t, std::span<std::byte> out, MatryoshkaErrors& errors) {
        const std::span<const std::byte> src = model_.data(t);
        const uint64_t rowLength = static_cast<uint64_t>(t.rowLength());
        const uint64_t rows = t.rows();
        const uint64_t groupsPerRow = rowLength / kMatryoshkaGroup;
        const uint64_t srcRowBytes = bytesFor(t.type, rowLength).value_or(0);
        if (srcRowBytes * rows != src.size() || rowLength * rows != out.size()) return internalError(t.name);
        scales_.assign(static_cast<size_t>(rows * groupsPerRow), 0);
        mins_.assign(scales_.size(), 0);
        const uint64_t chunkRows =
            std::clamp<uint64_t>(options_.chunkBytes / (rowLength * sizeof(float)), 1, rows);
        floats_.resize(static_cast<size_t>(chunkRows * rowLength));
        auto* codes = reinterpret_cast<int8_t*>(out.data());
        ComputeDevice* device = options_.device.get();
        bool usedDevice = false;
        for (uint64_t row = 0; row < rows;) {
            if (progress_.cancelled()) return cancelledError(file_);
            const uint64_t n = std::min(chunkRows, rows - row);
            // On a device the workers only dequantize; the chunk is then nested in one call.
            const bool onDevice = device && device->openCl();
            std::vector<MatryoshkaErrors> parts(static_cast<size_t>(rowWorkers(n, rowLength, threads_)));
            const auto errorsOf = [&](uint64_t worker, uint64_t first, uint64_t count) {
                const uint64_t at = row + first;
                return addMatryoshkaErrors(floats_.data() + first * rowLength, codes + at * rowLength,
                                           scales_.data() + at * groupsPerRow, mins_.data() + at * groupsPerRow,
                                           static_cast<int64_t>(count), static_cast<int64_t>(rowLength),
                                           parts[worker]);
            };
            Status s = runOnRows(n, rowLength, threads_, [&](uint64_t worker, uint64_t first, uint64_t count) {
                const uint64_t at = row + first;
                float* f32 = floats_.data() + first * rowLength;
                const uint64_t values = count * rowLength;
                if (auto st = dequantize(t.type, src.subspan(at * srcRowBytes, count * srcRowBytes),
                                         std::span<float>(f32, static_cast<size_t>(values)));
                    !st)
                    return st;
                if (onDevice) return Status{};
                nestValues(f32, static_cast<int64_t>(values), codes + at * rowLength, scales_.data() + at * groupsPerRow,
                           mins_.data() + at * groupsPerRow);
                return options_.errors ? errorsOf(worker, first, count) : Status{};
            });
            if (!s) return s;
            if (onDevice) {
                const size_t values = static_cast<size_t>(n * rowLength), groups = values / kMatryoshkaGroup;
                const size_t at = static_cast<size_t>(row * groupsPerRow);
                s = nestValuesOn(*device, std::span<const float>(floats_.data(), values),
                                 std::span<int8_t>(codes + row * rowLength, values),
                                 std::span<uint16_t>(scales_.data() + at, groups),
                                 std::span<uint16_t>(mins_.data() + at, groups), threads_);
                if (!s) return s;
                usedDevice = true;
                if (options_.errors) s = runOnRows(n, rowLength, threads_, errorsOf);
                if (!s) return s;
            }
            for (const auto& part : parts)
                errors.add(part);
            row += n;
        }
        if (usedDevice) ++onDevice_;
        return {};
    }

    Error internalError(const std::string& name) const {
        return makeError(file_, "tensors['" + name + "']", std::nullopt, "internal error: sizes do not match");
    }

    const Model& model_;
    const MatryoshkaOptions& options_;
    const std::string& file_;
    Progress& progress_;
    int threads_ = 1;
    std::vector<float> floats_;
    std::vector<uint16_t> scales_; // of the tensor whose codes were written last
    std::vector<uint16_t> mins_;
    size_t onDevice_ = 0;
};

bool nestable(const TensorInfo& t, const ResolvedTensor& r) {
    return r.step != PlanStep::Kept && t.rowLength() > 0 && t.rowLength() % kMatryoshkaGroup == 0 &&
           canDequantize(t.type) &&
           t.name.size() + std::max(kMatryoshkaScaleSuffix.size(), kMatryoshkaMinSuffix.size()) <= kMaxNameBytes;
}

} // namespace

MatryoshkaErrors MatryoshkaReport::total() const {
    MatryoshkaErrors sum;
    for (const auto& t : nested)
        sum.add(t.errors);
    return sum;
}

Result<MatryoshkaReport> writeMatryoshkaModel(const Model& model, const std::filesystem::path& out,
                                              const MatryoshkaOptions& options, Progress& progress) {
    const std::string file = out.string();
    if (model.metadata.contains(kMatryoshkaVersionKey))
        return makeError(model.path.string(), "metadata['" + std::string(kMatryoshkaVersionKey) + "']",
                         std::nullopt, "the model is already a nested Matryoshka file");
    // The tensors the Q8_0 preset would quantize are the ones worth nesting.
    auto plan = Plan::fromPreset(LlamaFileType::Q8_0).resolve(model);
    if (!plan) return std::move(plan).error();

    MatryoshkaReport report;
    std::vector<OutputTensor> outputs;
    std::vector<Job> jobs;
    for (size_t i = 0; i < model.tensors.size(); ++i) {
        const TensorInfo& t = model.tensors[i];
        if (bytesFor(t.type, t.elements()) != t.bytes || model.data(t).size() != t.bytes)
            return makeError(model.path.string(), "tensors['" + t.name + "']", t.offset,
                             "holds " + std::to_string(t.bytes) + " bytes, not the size of its type and shape");
        if (nestable(t, plan->tensors[i])) {
            outputs.push_back({t.name, TensorType::I8, t.shape});
            outputs.push_back({t.name + std::string(kMatryoshkaScaleSuffix), TensorType::F16,
                               matryoshkaGroupShape(t.shape)});
            outputs.push_back({t.name + std::string(kMatryoshkaMinSuffix), TensorType::F16,
                               matryoshkaGroupShape(t.shape)});
            jobs.push_back({i, Role::Codes});
            jobs.push_back({i, Role::Scales});
            jobs.push_back({i, Role::Mins});
            if (typeTraits(t.type).quantized) ++report.requantized;
        } else {
            const bool plain = typeTraits(t.type).ggml || !canDequantize(t.type);
            outputs.push_back({t.name, plain ? t.type : TensorType::F32, t.shape});
            jobs.push_back({i, plain ? Role::Copy : Role::ToF32});
            ++report.carried;
        }
    }

    NestingProgress stages(progress, model, jobs);
    TensorNester nester(model, options, file, progress);
    const TensorProducer produce = [&](size_t index, std::span<std::byte> bytes) {
        stages.setJob(index + 1);
        return nester.produce(jobs[index], bytes, report);
    };
    WriteOptions writeOptions;
    writeOptions.overwrite = options.overwrite;
    writeOptions.alignment = model.alignment;
    if (auto s = writeGguf(out, nestedMetadata(model.metadata), outputs, produce, writeOptions, stages); !s) {
        Error e = std::move(s).error();
        e.cancelled = e.cancelled || progress.cancelled();
        return e;
    }
    std::error_code ec;
    report.fileBytes = std::filesystem::file_size(out, ec);
    report.onDevice = nester.tensorsOnDevice();
    return report;
}

} // namespace matryx
