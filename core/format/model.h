#pragma once

// The hub every part of Matryx reads through: metadata plus lazily mapped tensor views of
// one model, whatever file format it came from. A Model is an immutable value after loading
// and cheap to copy; tensor bytes stay in the mapped files it shares.

#include "base/byte_source.h"
#include "format/metadata.h"
#include "tensor/tensor_type.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace matryx {

enum class ModelFormat { Gguf, Safetensors, HuggingFaceFolder };

std::string_view modelFormatName(ModelFormat format) noexcept; // "GGUF", "safetensors", ...

struct TensorInfo {
    std::string name;
    TensorType type = TensorType::F32;
    // ggml order: shape[0] is the contiguous row length (safetensors' last dimension).
    std::vector<int64_t> shape;
    uint32_t source = 0;   // index into Model::sources
    uint64_t offset = 0;   // absolute byte offset of the data within its source
    uint64_t bytes = 0;    // size of the data

    uint64_t elements() const noexcept;  // product of shape (1 for a scalar)
    int64_t rowLength() const noexcept { return shape.empty() ? 1 : shape[0]; }
    uint64_t rows() const noexcept;      // elements() / rowLength()
};

struct Model {
    ModelFormat format = ModelFormat::Gguf;
    std::filesystem::path path;        // the file or folder that was opened
    uint32_t ggufVersion = 0;          // 2 or 3 when read from GGUF
    uint64_t alignment = 32;           // GGUF data alignment (general.alignment)
    Metadata metadata;
    std::vector<TensorInfo> tensors;
    std::vector<std::shared_ptr<const ByteSource>> sources; // one per file (shards)

    // The tensor's bytes in its mapped file; readers have checked they lie inside it.
    std::span<const std::byte> data(const TensorInfo& tensor) const;
    const TensorInfo* findTensor(std::string_view name) const;

    std::string architecture() const;   // general.architecture, or "" if absent
    uint64_t parameterCount() const;    // elements over all tensors
    uint64_t tensorBytes() const;       // bytes over all tensors
    uint64_t fileSize() const;          // bytes over all source files
    double bitsPerWeight() const;       // 8 * tensorBytes / parameterCount
};

} // namespace matryx
