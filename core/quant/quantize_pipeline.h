#pragma once

// The streaming quantizer: a model and a resolved plan in, a new GGUF file out.
//
// Tensors are written one at a time, in the model's order, through the GGUF writer into a
// temporary file that is renamed into place only when every tensor is written: a failed or
// cancelled run leaves no file. A tensor that keeps its type is copied byte for byte; any other
// is read from its mapped source a chunk of rows at a time, dequantized to f32 and quantized to
// its target type on `threads` threads. Memory therefore holds one output tensor and one f32
// chunk, whatever the size of the model. The output carries the source's metadata (tokenizer
// included) as plan_layout.h describes it: general.file_type and matryx.plan record the plan.
//
// A source tensor that is already quantized and gets another type passes through dequantization:
// its error adds to the error it had. The report lists those tensors so that callers can say so.

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/progress.h"
#include "compute/compute_device.h"
#include "format/model.h"
#include "quant/plan.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace matryx {

// Importance per tensor name: one non-negative weight per column (the row length), or, for a
// tensor stacking several matrices (experts, shape[2] > 1), one row-length vector per matrix
// back to back. Tensors without an entry are quantized without importance.
using ImportanceMap = std::map<std::string, std::vector<float>>;

struct QuantizeOptions {
    Overwrite overwrite = Overwrite::No;
    int threads = 0;                           // 0: all cores
    const ImportanceMap* importance = nullptr; // not owned; read only during the call
    uint64_t chunkBytes = 16u << 20;           // f32 bytes dequantized at a time (at least one row)
    // Where quantization kernels run (compute/quantize_dispatch.h); null: the CPU. The bytes are
    // the same on every device; dequantization of the source stays on the CPU.
    std::shared_ptr<ComputeDevice> device = nullptr;
};

struct QuantizeReport {
    size_t tensors = 0;
    size_t converted = 0;                          // written in another type than the source's
    size_t copied = 0;                             // written unchanged
    std::vector<std::string> requantized;          // quantized sources written in another type
    std::map<std::string, size_t> requantizedFrom; // their source type names -> tensor count
    size_t withImportance = 0;                     // tensors quantized with an importance vector
    uint64_t fileBytes = 0;                        // size of the written file
    size_t onDevice = 0;                           // tensors quantized by OpenCL kernels
};

// Checks, before anything is written, that `plan` was resolved for `model` (same tensors and
// shapes), that every target type can be quantized here (quantize.h: canQuantize) and that each
// importance vector is finite and fits its tensor (one for token_embd that does not fit is
// ignored, as llama-quantize ignores it); then writes `out` as described above. Progress is reported
// per tensor by the share of output bytes written; a cancel returns an Error with
// cancelled = true and leaves nothing behind. Fails, leaving nothing behind, when `out` exists
// and options.overwrite is No, on any I/O error, and when a source tensor's bytes are not the
// size its type and shape need. The model must be a GGUF model or use GGUF tensor names.
Result<QuantizeReport> quantizeModel(const Model& model, const ResolvedPlan& plan,
                                     const std::filesystem::path& out, const QuantizeOptions& options,
                                     Progress& progress);

} // namespace matryx
