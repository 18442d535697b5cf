#include "format/gguf_reader.h"

#include "format/gguf_format.h"
#include "format/gguf_parser.h"
#include "format/gguf_split.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace matryx {

namespace {

class GgufReader final : public ModelReader {
public:
    std::string_view name() const override { return "GGUF"; }

    // A file named .gguf is taken even with a wrong magic, so that it gets the GGUF error
    // (field and offset) rather than "not a model Matryx can open".
    bool canRead(const std::filesystem::path& path, std::span<const std::byte> head) const override {
        if (head.size() >= gguf::kMagic.size() &&
            std::equal(gguf::kMagic.begin(), gguf::kMagic.end(), head.begin()))
            return true;
        std::string ext = path.extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
        return ext == ".gguf";
    }

    Result<Model> read(const std::filesystem::path& path) const override { return readGguf(path); }
};

// A lone file that says it is one shard of several would open as a model with tensors
// missing; refusing it names the problem instead.
Status checkNotAShard(const GgufParsed& parsed) {
    const Metadata& metadata = parsed.model.metadata;
    for (size_t i = 0; i < metadata.size(); ++i) {
        const auto& [key, value] = metadata.entries()[i];
        if (key != gguf::kKeySplitCount || value.toUnsigned().value_or(0) <= 1) continue;
        const uint64_t shards = *value.toUnsigned();
        const uint64_t no = metadata.getUnsigned(gguf::kKeySplitNo).value_or(0);
        return makeError(parsed.model.sources.front()->name(), "kv[" + std::to_string(i) + "].value",
                         parsed.valueOffsets[i],
                         "this file is shard " + std::to_string(no + 1) + " of " + std::to_string(shards) +
                             " of a split model; its name must end like '" +
                             ggufShardPath("model", static_cast<uint32_t>(no), static_cast<uint32_t>(shards))
                                 .filename()
                                 .string() +
                             "' so that the other shards can be found");
    }
    return {};
}

} // namespace

std::unique_ptr<ModelReader> makeGgufReader() {
    return std::make_unique<GgufReader>();
}

Result<Model> readGgufSource(std::shared_ptr<const ByteSource> source) {
    auto parsed = parseGguf(std::move(source));
    if (!parsed) return std::move(parsed).error();
    return std::move(parsed->model);
}

Result<Model> readGguf(const std::filesystem::path& path) {
    if (const auto shard = parseGgufShardName(path); shard && shard->count > 1) return readGgufSplit(*shard);
    auto source = ByteSource::mapFile(path);
    if (!source) return std::move(source).error();
    auto parsed = parseGguf(std::move(source.value()));
    if (!parsed) return std::move(parsed).error();
    if (auto s = checkNotAShard(*parsed); !s) return std::move(s).error();
    return std::move(parsed->model);
}

} // namespace matryx
