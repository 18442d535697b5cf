#pragma once

// Turns a nested GGUF file (matryoshka_file.h) into a standard GGUF file that llama.cpp runs,
// without the original model: each nested tensor becomes one width's ggml export
// (matryoshka_export.h), every other tensor is copied as it is. Widths may differ per tensor
// (Mix'n'Match): rules pick a width by a regular expression on the tensor name.
//
// Streams tensor by tensor into a temporary file renamed into place at the end (AtomicFile):
// memory holds one output tensor, and a failed or cancelled run leaves nothing behind. The
// output's metadata is the nested file's without the matryx.matryoshka.* keys, with
// general.file_type the llama.cpp file type whose default type is the export type of `bits`
// (Q4_1 for 4, Q3_K_M for 3, ...), and matryx.matryoshka.slice naming the widths used.

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/progress.h"
#include "format/model.h"
#include "quant/llama_file_type.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace matryx {

inline constexpr std::string_view kMatryoshkaSliceKey = "matryx.matryoshka.slice"; // e.g. "4" or "4; blk\.0\..*=8"

struct SliceRule {
    std::string pattern; // ECMAScript regular expression searched in the tensor name
    int bits = 4;
};

struct SliceOptions {
    int bits = 4;                // the width of every nested tensor no rule matches
    std::vector<SliceRule> rules; // the last rule that matches a tensor decides its width
    Overwrite overwrite = Overwrite::No;
    int threads = 0; // 0: all cores
};

struct SliceReport {
    size_t sliced = 0;                        // nested tensors written as a slice
    size_t copied = 0;                        // other tensors
    std::map<int, size_t> tensorsPerBits;     // width -> nested tensors
    std::map<std::string, size_t> typeCounts; // ggml type name -> sliced tensors
    std::optional<LlamaFileType> fileType;
    uint64_t fileBytes = 0;
};

// Checks that every width (options.bits and the rules') has an export and that every pattern
// compiles (at most 1000 bytes); the Error names the field ("--bits", "rules[1].pattern").
Status validateSliceOptions(const SliceOptions& options);

// Writes the slice of `nested` to `out` as described above. Fails, leaving nothing behind, on
// invalid options, when `nested` is not a valid nested file (matryoshka_file.h: readNestedLayout),
// when `out` exists and options.overwrite is No, and on any I/O error; a cancel returns an Error
// with cancelled = true.
Result<SliceReport> sliceMatryoshkaModel(const Model& nested, const std::filesystem::path& out,
                                         const SliceOptions& options, Progress& progress);

} // namespace matryx
