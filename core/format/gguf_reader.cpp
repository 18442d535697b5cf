#include "format/gguf_reader.h"

#include "format/gguf_format.h"
#include "format/gguf_parser.h"

#include <algorithm>
#include <string_view>

namespace matryx {

namespace {

class GgufReader final : public ModelReader {
public:
    std::string_view name() const override { return "GGUF"; }

    bool canRead(const std::filesystem::path& path, std::span<const std::byte> head) const override {
        if (head.size() >= gguf::kMagic.size())
            return std::equal(gguf::kMagic.begin(), gguf::kMagic.end(), head.begin());
        return path.extension() == ".gguf";
    }

    Result<Model> read(const std::filesystem::path& path) const override { return readGguf(path); }
};

} // namespace

std::unique_ptr<ModelReader> makeGgufReader() { return std::make_unique<GgufReader>(); }

Result<Model> readGgufSource(std::shared_ptr<const ByteSource> source) {
    auto parsed = parseGguf(std::move(source));
    if (!parsed)
        return std::move(parsed).error();
    return std::move(parsed->model);
}

Result<Model> readGguf(const std::filesystem::path& path) {
    auto source = ByteSource::mapFile(path);
    if (!source)
        return std::move(source).error();
    auto parsed = parseGguf(std::move(source.value()));
    if (!parsed)
        return std::move(parsed).error();
    return std::move(parsed->model);
}

} // namespace matryx
