#pragma once

// Part of the GGUF writer, shared by writeGguf and writeGgufSplit: lays out one GGUF file
// (header bytes, aligned tensor offsets) and streams its tensors into an AtomicFile.
// Not a public API: use gguf_writer.h and gguf_split.h.

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/progress.h"
#include "format/metadata.h"
#include "format/model_writer.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace matryx {

struct GgufFilePlan {
    std::string file; // for error messages
    uint64_t alignment = 32;
    std::vector<std::byte> header; // everything before the data section, zero-padded to the alignment
    std::vector<uint64_t> offsets; // per tensor, relative to the data section
    std::vector<uint64_t> sizes;   // per tensor, bytes
    uint64_t largestTensor = 0;
};

// Checks and lays out a file: `alignment` is a power of two that fits U32; a general.alignment
// in `metadata` must be U32 and equal to it, and one is appended when absent and alignment is
// not 32. Tensors must have unique non-empty names of at most 63 bytes, a ggml type, 0..4
// non-negative dimensions and rows of whole blocks. Errors name `file` and the field.
Result<GgufFilePlan> planGgufFile(const std::string& file, const Metadata& metadata,
                                  std::span<const OutputTensor> tensors, uint64_t alignment);

// Sums bytes over several files so that one Progress covers a split export.
struct GgufWriteProgress {
    Progress& progress;
    uint64_t total = 0; // data bytes over all files
    uint64_t done = 0;
};

// Writes the header, then tensor i's bytes from produce(firstIndex + i, ...) at its offset, each
// padded with zeros to the alignment. `buffer` holds at least plan.largestTensor bytes. Reports
// before each tensor with its name; a cancel returns cancelledError(plan.file). A producer's
// error is returned as it is.
Status streamGgufFile(AtomicFile& out, const GgufFilePlan& plan, std::span<const OutputTensor> tensors,
                      size_t firstIndex, const TensorProducer& produce, std::span<std::byte> buffer,
                      GgufWriteProgress& progress);

} // namespace matryx
