#pragma once

// Split GGUF models, as llama.cpp's gguf-split writes them: shards named
// "<prefix>-00001-of-00003.gguf" (1-based, at least five digits), each a complete GGUF file
// with split.no (U16, 0-based), split.count (U16) and split.tensors.count (I32, tensors over
// all shards). The first shard holds the model's metadata; the others hold the split keys only.
// Opened, the shards become one Model whose TensorInfo::source is the shard index.

#include "base/error.h"
#include "base/progress.h"
#include "format/metadata.h"
#include "format/model.h"
#include "format/model_writer.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <vector>

namespace matryx {

struct GgufShardName {
    std::filesystem::path prefix; // folder and name before "-00001-of-00003.gguf"
    uint32_t index = 0;           // 0-based
    uint32_t count = 0;
};

// The shard that `path` names, or nullopt when the name does not follow the pattern.
std::optional<GgufShardName> parseGgufShardName(const std::filesystem::path& path);
// "<prefix>-<index + 1>-of-<count>.gguf", numbers zero-padded to five digits.
std::filesystem::path ggufShardPath(const std::filesystem::path& prefix, uint32_t index, uint32_t count);

// Opens every shard of the split model that `shard` names. Each shard must exist, parse, and
// carry split.no = its index, split.count = the shard count and the same split.tensors.count,
// which must equal the tensors found; a tensor name may appear in one shard only. The Model's
// path is the first shard, its metadata the first shard's without the split.* keys, its
// alignment and version the first shard's.
Result<Model> readGgufSplit(const GgufShardName& shard);

struct GgufSplitOptions {
    size_t maxTensorsPerShard = 0; // 0: no limit
    uint64_t maxShardBytes = 0;    // tensor data per shard; 0: no limit. A larger tensor gets its own shard.
};

// Writes the tensors into as many shards as the limits need (at least one), named
// ggufShardPath(prefix, k, n): metadata (without any split.* keys it holds) goes into the first
// shard, then the split keys into every shard. All shards are written to temporary files and
// renamed into place only when every one is complete, so a failure or cancel leaves none; each
// shard holds a file descriptor and AtomicFile's 1 MiB buffer until then.
// Returns the shard paths. Fails as writeGguf does.
Result<std::vector<std::filesystem::path>>
writeGgufSplit(const std::filesystem::path& prefix, const Metadata& metadata,
               std::span<const OutputTensor> tensors, const TensorProducer& produce,
               const WriteOptions& options, const GgufSplitOptions& split, Progress& progress);

} // namespace matryx
