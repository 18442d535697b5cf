#include "format/safetensors_reader.h"

#include "format/metadata_json.h"
#include "format/safetensors_format.h"
#include "format/safetensors_header.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <numeric>

namespace matryx {

namespace {

constexpr uint64_t kHeaderStart = 8;

Result<TensorInfo> checkEntry(const SafetensorsHeaderEntry& entry, uint64_t dataStart, uint64_t dataSize,
                              const std::string& file) {
    const std::string field = safetensorsTensorField(entry.name);
    const auto fail = [&](const char* sub, std::string message) {
        return makeError(file, field + sub, kHeaderStart, std::move(message));
    };

    const auto type = tensorTypeFromSafetensorsDtype(entry.dtype);
    if (!type) return fail(".dtype", "dtype \"" + entry.dtype + "\" is not supported");

    TensorInfo info;
    info.name = entry.name;
    info.type = *type;
    uint64_t elements = 1;
    for (auto it = entry.shape.rbegin(); it != entry.shape.rend(); ++it) {
        const uint64_t dim = *it;
        if (dim > uint64_t(std::numeric_limits<int64_t>::max()))
            return fail(".shape", "dimension " + std::to_string(dim) + " is too large");
        if (dim != 0 && elements > std::numeric_limits<uint64_t>::max() / dim)
            return fail(".shape", "element count overflows");
        elements *= dim;
        info.shape.push_back(static_cast<int64_t>(dim));
    }
    const auto bytes = bytesFor(*type, elements);
    if (!bytes) return fail(".shape", "byte size overflows");

    if (entry.begin > entry.end)
        return fail(".data_offsets",
                    "begin " + std::to_string(entry.begin) + " is after end " + std::to_string(entry.end));
    if (entry.end > dataSize)
        return fail(".data_offsets", "end " + std::to_string(entry.end) + " is past the data section of " +
                                         std::to_string(dataSize) + " bytes");
    if (entry.end - entry.begin != *bytes)
        return fail(".data_offsets", "holds " + std::to_string(entry.end - entry.begin) + " bytes but " +
                                         std::string(typeName(*type)) + " shape needs " +
                                         std::to_string(*bytes));
    info.offset = dataStart + entry.begin;
    info.bytes = *bytes;
    return info;
}

Status importMetadata(const SafetensorsHeader& header, const std::string& file, Metadata& out) {
    bool anyTyped = false;
    for (const auto& [key, text] : header.metadata) {
        if (!key.starts_with(kSafetensorsTypedKeyPrefix)) continue;
        anyTyped = true;
        const std::string field = "__metadata__[\"" + key + "\"]";
        auto value = decodeTypedValue(text, field);
        if (!value) {
            Error e = std::move(value).error();
            e.file = file;
            e.offset = kHeaderStart;
            return e;
        }
        out.set(key.substr(kSafetensorsTypedKeyPrefix.size()), std::move(*value));
    }
    for (const auto& [key, text] : header.metadata) {
        if (key.starts_with(kSafetensorsTypedKeyPrefix) || out.contains(key)) continue;
        // Matryx's writer adds "format": "pt" for PyTorch loaders; it is no model metadata and
        // would otherwise appear after every GGUF -> safetensors -> GGUF trip.
        if (anyTyped && key == "format") continue;
        out.set(key, MetaValue::string(text));
    }
    return {};
}

class SafetensorsReader final : public ModelReader {
public:
    std::string_view name() const override { return "safetensors"; }
    bool canRead(const std::filesystem::path& path, std::span<const std::byte> head) const override {
        std::error_code ec;
        if (std::filesystem::is_directory(path, ec)) return false;
        std::string ext = path.extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
        // Without the extension, a header size that fits and JSON that opens with '{' will do.
        if (ext == ".safetensors") return true;
        if (head.size() < 9) return false;
        uint64_t n = 0;
        for (int i = 7; i >= 0; --i)
            n = (n << 8) | std::to_integer<uint8_t>(head[size_t(i)]);
        return n >= 2 && n <= kSafetensorsMaxHeaderSize && head[8] == std::byte{'{'};
    }
    Result<Model> read(const std::filesystem::path& path) const override { return readSafetensors(path); }
};

} // namespace

std::unique_ptr<ModelReader> makeSafetensorsReader() {
    return std::make_unique<SafetensorsReader>();
}

Result<Model> readSafetensors(const std::filesystem::path& path) {
    auto source = ByteSource::mapFile(path);
    if (!source) return std::move(source).error();
    auto model = readSafetensorsSource(std::move(*source));
    if (model) model->path = path;
    return model;
}

Result<Model> readSafetensorsSource(std::shared_ptr<const ByteSource> source) {
    const std::string& file = source->name();
    const uint64_t size = source->size();
    if (size < kHeaderStart)
        return makeError(file, "header_size", 0,
                         "file of " + std::to_string(size) +
                             " bytes is too short for the 8-byte header size");
    const auto sizeBytes = source->slice(0, kHeaderStart);
    uint64_t headerSize = 0;
    for (int i = 7; i >= 0; --i)
        headerSize = (headerSize << 8) | std::to_integer<uint8_t>(sizeBytes[size_t(i)]);
    if (headerSize > kSafetensorsMaxHeaderSize)
        return makeError(file, "header_size", 0,
                         "header of " + std::to_string(headerSize) + " bytes exceeds the limit of " +
                             std::to_string(kSafetensorsMaxHeaderSize) + " bytes");
    if (headerSize > size - kHeaderStart)
        return makeError(file, "header_size", 0,
                         "header of " + std::to_string(headerSize) +
                             " bytes runs past the end of the file (" + std::to_string(size) + " bytes)");

    const auto headerBytes = source->slice(kHeaderStart, headerSize);
    const std::string_view text(reinterpret_cast<const char*>(headerBytes.data()), headerBytes.size());
    auto header = parseSafetensorsHeader(text, file, kHeaderStart);
    if (!header) return std::move(header).error();

    Model model;
    model.format = ModelFormat::Safetensors;
    model.path = file;
    const uint64_t dataStart = kHeaderStart + headerSize;
    const uint64_t dataSize = size - dataStart;

    // Data-offset order is file order; empty tensors sort before others at the same offset.
    auto& entries = header->tensors;
    std::vector<size_t> order(entries.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return std::pair(entries[a].begin, entries[a].end) < std::pair(entries[b].begin, entries[b].end);
    });
    model.tensors.reserve(entries.size());
    uint64_t usedUntil = 0;
    const SafetensorsHeaderEntry* previous = nullptr;
    for (const size_t i : order) {
        auto info = checkEntry(entries[i], dataStart, dataSize, file);
        if (!info) return std::move(info).error();
        if (info->bytes > 0) {
            if (entries[i].begin < usedUntil)
                return makeError(file, safetensorsTensorField(entries[i].name) + ".data_offsets",
                                 kHeaderStart, "overlaps the data of tensor \"" + previous->name + "\"");
            usedUntil = entries[i].end;
            previous = &entries[i];
        }
        model.tensors.push_back(std::move(*info));
    }

    if (auto status = importMetadata(*header, file, model.metadata); !status)
        return std::move(status).error();
    model.sources.push_back(std::move(source));
    return model;
}

} // namespace matryx
