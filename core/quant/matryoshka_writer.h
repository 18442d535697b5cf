#pragma once

// Writes a nested GGUF file (matryoshka_file.h) from a model, streaming tensor by tensor.
//
// The tensors nested are those the Q8_0 preset quantizes (plan.h: everything but 1-D tensors,
// norms and llama.cpp's other exceptions) whose rows are whole groups of 32 and whose names leave
// room for the companions' suffixes within GGUF's 63 bytes; every other tensor is copied in its
// stored type (or F32 when GGUF cannot hold that type). A nested tensor is read from its mapped
// source a chunk of rows at a time, dequantized to f32 and nested (matryoshka_quantizer.h) on
// `threads` threads; its scales and minimums wait in memory for the two tensors that follow its
// codes. Memory therefore holds one output tensor, its scales and minimums and one f32 chunk,
// whatever the size of the model. The file is written to a temporary file renamed into place at
// the end (AtomicFile): a failed or cancelled run leaves nothing behind.

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/progress.h"
#include "compute/compute_device.h"
#include "format/model.h"
#include "quant/matryoshka_error.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace matryx {

struct MatryoshkaOptions {
    Overwrite overwrite = Overwrite::No;
    int threads = 0;                 // 0: all cores
    bool errors = true;              // compute the error report (costs about as much as nesting)
    uint64_t chunkBytes = 16u << 20; // f32 bytes dequantized at a time (at least one row)
    // Where the nesting runs (quant/matryoshka_quantizer.h: nestValuesOn); null: the CPU. The
    // file is the same either way; dequantization and the error report stay on the CPU.
    std::shared_ptr<ComputeDevice> device = nullptr;
};

struct MatryoshkaTensorReport {
    std::string name;
    std::vector<int64_t> shape;
    TensorType source = TensorType::F32;
    MatryoshkaErrors errors; // empty (values == 0) unless MatryoshkaOptions::errors
};

struct MatryoshkaReport {
    std::vector<MatryoshkaTensorReport> nested; // in the model's order
    size_t carried = 0;                         // tensors written as they were
    size_t requantized = 0;                     // nested tensors whose source was already quantized
    size_t onDevice = 0;                        // nested tensors whose nesting ran on OpenCL
    uint64_t fileBytes = 0;

    MatryoshkaErrors total() const; // the nested tensors' errors together
};

// Writes the nested file for `model` to `out` as described above. Progress is reported per
// output tensor; a cancel returns an Error with cancelled = true. Fails, leaving nothing behind,
// when `model` is itself a nested file, when `out` exists and options.overwrite is No, on any I/O
// error, and when a source tensor's bytes are not the size of its type and shape.
Result<MatryoshkaReport> writeMatryoshkaModel(const Model& model, const std::filesystem::path& out,
                                              const MatryoshkaOptions& options, Progress& progress);

} // namespace matryx
