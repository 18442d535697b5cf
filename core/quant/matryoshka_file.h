#pragma once

// The nested GGUF file: how Matryoshka tensors (matryoshka_slice.h) are stored in standard GGUF.
//
// A nested tensor NAME of shape [cols, rows...] (ggml order) is three GGUF tensors:
//   NAME                    I8   [cols, rows...]       the codes, stored as q - 128
//   NAME.matryoshka_scale   F16  [cols/32, rows...]    one scale per group of 32 values of a row
//   NAME.matryoshka_min     F16  [cols/32, rows...]    one minimum per group
// Every other tensor is stored as in a plain GGUF file. The metadata carries the source's keys
// (tokenizer included) and
//   matryx.matryoshka.version     U32  1
//   matryx.matryoshka.group_size  U32  32
//   matryx.matryoshka.bits        U32  8
// llama.cpp cannot run such a file; matryoshka_slicer.h turns it into one it can.

#include "base/error.h"
#include "format/metadata.h"
#include "format/model.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace matryx {

inline constexpr std::string_view kMatryoshkaVersionKey = "matryx.matryoshka.version";
inline constexpr std::string_view kMatryoshkaGroupSizeKey = "matryx.matryoshka.group_size";
inline constexpr std::string_view kMatryoshkaBitsKey = "matryx.matryoshka.bits";
inline constexpr uint32_t kMatryoshkaVersion = 1;
inline constexpr std::string_view kMatryoshkaScaleSuffix = ".matryoshka_scale";
inline constexpr std::string_view kMatryoshkaMinSuffix = ".matryoshka_min";

// The metadata of a nested file made from a model with `source` metadata: the source's keys in
// their order without general.file_type (no llama.cpp file type describes the file), the
// split.* keys and matryx.plan, with general.quantization_version and the three keys above.
Metadata nestedMetadata(const Metadata& source);

// The shape of a nested tensor's scales and minimums: shape[0] / 32, the rest unchanged.
std::vector<int64_t> matryoshkaGroupShape(const std::vector<int64_t>& shape);

// One tensor of a nested file as a plain file would hold it: `index` into Model::tensors, and
// for a nested tensor (the codes) the indexes of its scales and minimums.
struct NestedFileTensor {
    size_t index = 0;
    std::optional<size_t> scales;
    std::optional<size_t> mins;

    bool nested() const noexcept { return scales.has_value(); }
};

// Reads the layout of a nested file: every tensor except the scales and minimums, in the file's
// order. Fails, naming the file and the key or tensor, when the model is not a nested file (no
// matryx.matryoshka.version), has another version, group size or code width, when a scale or
// minimum tensor has no I8 codes or the wrong type or shape, when codes lack one of the two, or
// when a tensor's bytes are not the size of its type and shape.
Result<std::vector<NestedFileTensor>> readNestedLayout(const Model& model);

} // namespace matryx
