#include "format/safetensors_writer.h"

#include "format/metadata_json.h"
#include "format/safetensors_format.h"
#include "format/safetensors_header.h"

#include <nlohmann/json.hpp>

#include <array>
#include <unordered_set>
#include <vector>

namespace matryx {

namespace {

// Only called on text checked to be valid UTF-8, so dump() cannot throw.
std::string jsonQuoted(std::string_view text) {
    return nlohmann::json(std::string(text)).dump();
}

Result<std::vector<uint64_t>> checkTensors(std::span<const OutputTensor> tensors, const std::string& file) {
    std::vector<uint64_t> sizes;
    sizes.reserve(tensors.size());
    std::unordered_set<std::string_view> names;
    for (const auto& t : tensors) {
        const std::string field = safetensorsTensorField(t.name);
        if (safetensorsDtypeName(t.type).empty())
            return makeError(file, field + ".type", std::nullopt,
                             "type " + std::string(typeName(t.type)) +
                                 " cannot be stored in safetensors; convert it to F32, F16 or BF16 first");
        if (!isValidUtf8(t.name) || t.name.empty() || t.name == "__metadata__")
            return makeError(file, field, std::nullopt, "not a usable tensor name");
        if (!names.insert(t.name).second)
            return makeError(file, field, std::nullopt, "tensor name given twice");
        if (t.shape.size() > kSafetensorsMaxDims)
            return makeError(file, field + ".shape", std::nullopt, "too many dimensions");
        uint64_t elements = 1;
        for (const int64_t d : t.shape) {
            if (d < 0 || (d != 0 && elements > UINT64_MAX / uint64_t(d)))
                return makeError(file, field + ".shape", std::nullopt,
                                 "invalid dimension " + std::to_string(d));
            elements *= uint64_t(d);
        }
        const auto bytes = bytesFor(t.type, elements);
        if (!bytes) return makeError(file, field + ".shape", std::nullopt, "byte size overflows");
        sizes.push_back(*bytes);
    }
    return sizes;
}

Result<std::string> buildHeader(const Metadata& metadata, std::span<const OutputTensor> tensors,
                                std::span<const uint64_t> sizes, const std::string& file) {
    std::string h = "{\"__metadata__\":{\"format\":\"pt\"";
    for (const auto& [key, value] : metadata) {
        if (!isValidUtf8(key))
            return makeError(file, "metadata", std::nullopt, "a metadata key is not valid UTF-8");
        h += ',';
        h += jsonQuoted(std::string(kSafetensorsTypedKeyPrefix) + key);
        h += ':';
        h += jsonQuoted(encodeTypedValue(value));
    }
    h += '}';
    uint64_t offset = 0;
    for (size_t i = 0; i < tensors.size(); ++i) {
        const auto& t = tensors[i];
        h += ',';
        h += jsonQuoted(t.name);
        h += ":{\"dtype\":\"";
        h += safetensorsDtypeName(t.type);
        h += "\",\"shape\":[";
        for (size_t d = t.shape.size(); d-- > 0;) { // outermost first: the reverse of ggml order
            h += std::to_string(t.shape[d]);
            if (d > 0) h += ',';
        }
        // Tensors are packed without gaps: the Python library refuses files with holes.
        h += "],\"data_offsets\":[" + std::to_string(offset) + ',' + std::to_string(offset + sizes[i]) + "]}";
        offset += sizes[i];
    }
    h += '}';
    if (h.size() > kSafetensorsMaxHeaderSize)
        return makeError(file, "header", std::nullopt,
                         "the header would take " + std::to_string(h.size()) +
                             " bytes, more than readers accept");
    // Spaces after the JSON keep the data section 8-byte aligned, as the format allows.
    h.append((kSafetensorsHeaderAlignment - h.size() % kSafetensorsHeaderAlignment) %
                 kSafetensorsHeaderAlignment,
             ' ');
    return h;
}

} // namespace

Status writeSafetensors(const std::filesystem::path& path, const Metadata& metadata,
                        std::span<const OutputTensor> tensors, const TensorProducer& produce,
                        const WriteOptions& options, Progress& progress) {
    const std::string file = path.string();
    auto sizes = checkTensors(tensors, file);
    if (!sizes) return std::move(sizes).error();
    auto header = buildHeader(metadata, tensors, *sizes, file);
    if (!header) return std::move(header).error();

    auto out = AtomicFile::create(path, options.overwrite);
    if (!out) return std::move(out).error();
    AtomicFile& f = **out;

    std::array<std::byte, 8> headerSize{};
    for (size_t i = 0; i < 8; ++i)
        headerSize[i] = std::byte((header->size() >> (8 * i)) & 0xFF);
    if (auto s = f.write(headerSize); !s) return s;
    if (auto s = f.write(std::as_bytes(std::span(header->data(), header->size()))); !s) return s;

    uint64_t total = 0;
    for (const uint64_t n : *sizes)
        total += n;
    uint64_t done = 0;
    std::vector<std::byte> buffer;
    for (size_t i = 0; i < tensors.size(); ++i) {
        const double fraction = total ? double(done) / double(total) : double(i) / double(tensors.size());
        if (!progress.report(fraction, "Writing " + tensors[i].name)) return cancelledError(file);
        buffer.resize((*sizes)[i]);
        if (auto s = produce(i, buffer); !s) return s;
        if (auto s = f.write(buffer); !s) return s;
        done += (*sizes)[i];
    }
    if (!progress.report(1.0, "Finishing")) return cancelledError(file);
    return f.commit();
}

} // namespace matryx
