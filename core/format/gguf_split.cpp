#include "format/gguf_split.h"

#include "base/atomic_file.h"
#include "base/byte_source.h"
#include "format/gguf_file_writer.h"
#include "format/gguf_format.h"
#include "format/gguf_parser.h"

#include <charconv>
#include <cstdio>
#include <limits>
#include <memory>
#include <string_view>
#include <unordered_map>

namespace matryx {

namespace {

constexpr std::string_view kSuffix = ".gguf";
constexpr std::string_view kOf = "-of-";

std::optional<uint32_t> parseNumber(std::string_view digits) {
    uint32_t v = 0;
    if (digits.size() < 5) return std::nullopt;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return v;
}

struct SplitKey {
    uint64_t value = 0;
    std::string field;
    uint64_t offset = 0;
};

// Reads split.no, split.count or split.tensors.count of one shard with where it sits.
Result<SplitKey> splitKey(const GgufParsed& shard, std::string_view key) {
    const Metadata& metadata = shard.model.metadata;
    const std::string& file = shard.model.sources.front()->name();
    for (size_t i = 0; i < metadata.size(); ++i) {
        if (metadata.entries()[i].first != key) continue;
        SplitKey k{0, "kv[" + std::to_string(i) + "].value", shard.valueOffsets[i]};
        const MetaValue& v = metadata.entries()[i].second;
        if (!v.isInteger() || !v.toUnsigned())
            return makeError(file, k.field, k.offset,
                             std::string(key) + " must be a non-negative integer, not " + v.display());
        k.value = *v.toUnsigned();
        return k;
    }
    return makeError(file, std::string(key), std::nullopt,
                     "key missing: every shard of a split model carries " + std::string(key));
}

Result<GgufParsed> openShard(const GgufShardName& name, uint32_t index) {
    const auto path = ggufShardPath(name.prefix, index, name.count);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return makeError(path.string(), {}, std::nullopt,
                         "shard " + std::to_string(index + 1) + " of " + std::to_string(name.count) +
                             " of the split model is missing");
    auto source = ByteSource::mapFile(path);
    if (!source) return std::move(source).error();
    return parseGguf(std::move(source.value()));
}

} // namespace

std::optional<GgufShardName> parseGgufShardName(const std::filesystem::path& path) {
    const std::string name = path.filename().string();
    if (name.size() <= kSuffix.size() || !std::string_view(name).ends_with(kSuffix)) return std::nullopt;
    const std::string_view stem = std::string_view(name).substr(0, name.size() - kSuffix.size());
    const size_t of = stem.rfind(kOf);
    if (of == std::string_view::npos) return std::nullopt;
    const size_t dash = stem.rfind('-', of == 0 ? 0 : of - 1);
    if (dash == std::string_view::npos || dash == 0 || dash >= of) return std::nullopt;
    const auto number = parseNumber(stem.substr(dash + 1, of - dash - 1));
    const auto count = parseNumber(stem.substr(of + kOf.size()));
    if (!number || !count || *number == 0 || *number > *count) return std::nullopt;
    GgufShardName shard{path.parent_path() / std::string(stem.substr(0, dash)), *number - 1, *count};
    // Only the spelling ggufShardPath gives is a shard name (no "-001-of-3" or extra zeros).
    if (ggufShardPath(shard.prefix, shard.index, shard.count).filename() != path.filename())
        return std::nullopt;
    return shard;
}

std::filesystem::path ggufShardPath(const std::filesystem::path& prefix, uint32_t index, uint32_t count) {
    char suffix[48];
    std::snprintf(suffix, sizeof suffix, "-%05u-of-%05u.gguf", index + 1, count);
    return prefix.parent_path() / (prefix.filename().string() + suffix);
}

Result<Model> readGgufSplit(const GgufShardName& shard) {
    Model model;
    uint64_t expectedTensors = 0;
    SplitKey tensorsKey;
    std::unordered_map<std::string, uint32_t> owner; // tensor name → shard
    for (uint32_t k = 0; k < shard.count; ++k) {
        auto parsed = openShard(shard, k);
        if (!parsed) return std::move(parsed).error();
        const std::string file = parsed->model.sources.front()->name();

        auto no = splitKey(*parsed, gguf::kKeySplitNo);
        if (!no) return std::move(no).error();
        if (no->value != k)
            return makeError(file, no->field, no->offset,
                             "split.no is " + std::to_string(no->value) + " but the file name says shard " +
                                 std::to_string(k) + " (0-based)");
        auto count = splitKey(*parsed, gguf::kKeySplitCount);
        if (!count) return std::move(count).error();
        if (count->value != shard.count)
            return makeError(file, count->field, count->offset,
                             "split.count is " + std::to_string(count->value) + " but the file name says " +
                                 std::to_string(shard.count) + " shards");
        auto tensors = splitKey(*parsed, gguf::kKeySplitTensorsCount);
        if (!tensors) return std::move(tensors).error();
        if (k == 0) {
            expectedTensors = tensors->value;
            tensorsKey = *tensors;
        } else if (tensors->value != expectedTensors) {
            return makeError(file, tensors->field, tensors->offset,
                             "split.tensors.count is " + std::to_string(tensors->value) +
                                 " but shard 1 says " + std::to_string(expectedTensors));
        }

        Model& part = parsed->model;
        for (size_t i = 0; i < part.tensors.size(); ++i) {
            TensorInfo& t = part.tensors[i];
            if (const auto [it, added] = owner.emplace(t.name, k); !added)
                return makeError(file, "tensor_infos[" + std::to_string(i) + "].name", parsed->nameOffsets[i],
                                 "tensor '" + t.name + "' is also in shard " +
                                     std::to_string(it->second + 1));
            t.source = k;
            model.tensors.push_back(std::move(t));
        }
        model.sources.push_back(part.sources.front());
        if (k == 0) {
            model.format = ModelFormat::Gguf;
            model.path = file;
            model.ggufVersion = part.ggufVersion;
            model.alignment = part.alignment;
            model.metadata = std::move(part.metadata);
        }
    }
    if (model.tensors.size() != expectedTensors)
        return makeError(model.sources.front()->name(), tensorsKey.field, tensorsKey.offset,
                         "split.tensors.count is " + std::to_string(expectedTensors) + " but the " +
                             std::to_string(shard.count) + " shards hold " +
                             std::to_string(model.tensors.size()) + " tensors");
    for (const std::string_view key : {gguf::kKeySplitNo, gguf::kKeySplitCount, gguf::kKeySplitTensorsCount})
        model.metadata.erase(key);
    return model;
}

namespace {

// Index ranges [begin, end) of the tensors each shard gets, in order.
std::vector<std::pair<size_t, size_t>> groupShards(std::span<const OutputTensor> tensors,
                                                   const GgufSplitOptions& split) {
    std::vector<std::pair<size_t, size_t>> shards;
    size_t begin = 0;
    uint64_t bytes = 0;
    for (size_t i = 0; i < tensors.size(); ++i) {
        uint64_t elements = 1;
        for (const int64_t d : tensors[i].shape)
            elements *= static_cast<uint64_t>(d); // checked by planGgufFile; a wrong size only moves a cut
        const uint64_t size = bytesFor(tensors[i].type, elements).value_or(0);
        const bool full = (split.maxTensorsPerShard && i - begin >= split.maxTensorsPerShard) ||
                          (split.maxShardBytes && bytes + size > split.maxShardBytes);
        if (i > begin && full) {
            shards.emplace_back(begin, i);
            begin = i;
            bytes = 0;
        }
        bytes += size;
    }
    shards.emplace_back(begin, tensors.size());
    return shards;
}

} // namespace

Result<std::vector<std::filesystem::path>>
writeGgufSplit(const std::filesystem::path& prefix, const Metadata& metadata,
               std::span<const OutputTensor> tensors, const TensorProducer& produce,
               const WriteOptions& options, const GgufSplitOptions& split, Progress& progress) {
    const auto groups = groupShards(tensors, split);
    const auto count = static_cast<uint32_t>(groups.size());
    if (groups.size() > std::numeric_limits<uint16_t>::max() || tensors.size() > INT32_MAX)
        return makeError(prefix.string(), {}, std::nullopt,
                         "too many shards or tensors for split.count (U16) and split.tensors.count (I32)");

    std::vector<GgufFilePlan> plans;
    std::vector<std::filesystem::path> paths;
    uint64_t largest = 0;
    GgufWriteProgress counter{progress, 0, 0};
    for (uint32_t k = 0; k < count; ++k) {
        Metadata shardMetadata;
        if (k == 0)
            for (const auto& [key, value] : metadata)
                if (key != gguf::kKeySplitNo && key != gguf::kKeySplitCount &&
                    key != gguf::kKeySplitTensorsCount)
                    shardMetadata.set(key, value);
        shardMetadata.set(std::string(gguf::kKeySplitNo), MetaValue::fromUnsigned(MetaType::U16, k));
        shardMetadata.set(std::string(gguf::kKeySplitCount), MetaValue::fromUnsigned(MetaType::U16, count));
        shardMetadata.set(std::string(gguf::kKeySplitTensorsCount),
                          MetaValue::i32(static_cast<int32_t>(tensors.size())));
        paths.push_back(ggufShardPath(prefix, k, count));
        const auto [begin, end] = groups[k];
        auto plan = planGgufFile(paths.back().string(), shardMetadata, tensors.subspan(begin, end - begin),
                                 options.alignment);
        if (!plan) return std::move(plan).error();
        largest = std::max(largest, plan->largestTensor);
        for (const uint64_t size : plan->sizes)
            counter.total += size;
        plans.push_back(std::move(plan.value()));
    }

    std::vector<std::unique_ptr<AtomicFile>> files;
    for (const auto& path : paths) {
        auto file = AtomicFile::create(path, options.overwrite);
        if (!file) return std::move(file).error();
        files.push_back(std::move(file.value()));
    }
    const auto buffer = std::make_unique_for_overwrite<std::byte[]>(static_cast<size_t>(largest));
    for (uint32_t k = 0; k < count; ++k) {
        const auto [begin, end] = groups[k];
        if (auto s = streamGgufFile(*files[k], plans[k], tensors.subspan(begin, end - begin), begin, produce,
                                    {buffer.get(), static_cast<size_t>(largest)}, counter);
            !s)
            return std::move(s).error();
    }
    if (!progress.report(1.0, prefix.filename().string())) return cancelledError(prefix.string());
    for (uint32_t k = 0; k < count; ++k) {
        if (auto s = files[k]->commit(); !s) {
            // Shards already in place would make a model that cannot load: take them back out.
            std::error_code ec;
            for (uint32_t j = 0; j < k; ++j)
                std::filesystem::remove(paths[j], ec);
            return std::move(s).error();
        }
    }
    return paths;
}

} // namespace matryx
