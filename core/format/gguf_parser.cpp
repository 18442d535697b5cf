#include "format/gguf_parser.h"

#include "format/byte_cursor.h"
#include "format/gguf_format.h"
#include "format/gguf_metadata_parser.h"
#include "format/gguf_tensor_info_parser.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <new>
#include <string>

namespace matryx {

namespace {

std::string describeMagic(std::span<const std::byte> head) {
    std::string text;
    bool printable = true;
    for (const std::byte b : head) {
        const auto c = static_cast<unsigned char>(b);
        printable = printable && std::isprint(c);
        text += static_cast<char>(c);
    }
    if (printable) return "'" + text + "'";
    std::string hex;
    for (const std::byte b : head) {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%02x", static_cast<unsigned>(b));
        hex += (hex.empty() ? "" : " ") + std::string(buf);
    }
    return "bytes " + hex;
}

Status checkVersion(uint32_t version, const std::string& file) {
    const auto fail = [&](std::string message) {
        return makeError(file, "header.version", gguf::kOffsetVersion, std::move(message));
    };
    if (version >= gguf::kMinVersion && version <= gguf::kMaxVersion) return {};
    if (version == 1)
        return fail("GGUF version 1 is no longer supported (ggml dropped it); convert the model again");
    if (version != 0 && (version & 0xFFFFu) == 0)
        return fail("version " + std::to_string(version) +
                    " looks byte-swapped: big-endian GGUF files are not supported");
    return fail("GGUF version " + std::to_string(version) + " is not supported (versions " +
                std::to_string(gguf::kMinVersion) + " and " + std::to_string(gguf::kMaxVersion) + " are)");
}

Result<GgufParsed> parseChecked(std::shared_ptr<const ByteSource> source) {
    const std::string& file = source->name();
    ByteCursor cursor(source->bytes());

    std::span<const std::byte> magic;
    if (!cursor.readBytes(gguf::kMagic.size(), magic))
        return makeError(file, "header.magic", gguf::kOffsetMagic,
                         "file is " + std::to_string(source->size()) + " bytes, too short for a GGUF header");
    if (!std::equal(magic.begin(), magic.end(), gguf::kMagic.begin()))
        return makeError(file, "header.magic", gguf::kOffsetMagic,
                         "not a GGUF file (starts with " + describeMagic(magic) + ", expected 'GGUF')");

    uint32_t version = 0;
    if (!cursor.read(version))
        return makeError(file, "header.version", gguf::kOffsetVersion, "file ends inside the header");
    if (auto s = checkVersion(version, file); !s) return std::move(s).error();

    uint64_t tensorCount = 0;
    if (!cursor.read(tensorCount))
        return makeError(file, "header.n_tensors", gguf::kOffsetTensorCount, "file ends inside the header");
    uint64_t kvCount = 0;
    if (!cursor.read(kvCount))
        return makeError(file, "header.n_kv", gguf::kOffsetKvCount, "file ends inside the header");
    // The tensor count is checked before the metadata is read (and the key/value count before
    // its first pair), so a count of 2^60 fails at once instead of after a long parse.
    if (tensorCount > gguf::kMaxTensors)
        return makeError(file, "header.n_tensors", gguf::kOffsetTensorCount,
                         std::to_string(tensorCount) + " tensors are more than the reader's limit of " +
                             std::to_string(gguf::kMaxTensors));
    if (!cursor.canHold(tensorCount, gguf::kMinTensorInfoBytes))
        return makeError(file, "header.n_tensors", gguf::kOffsetTensorCount,
                         std::to_string(tensorCount) + " tensor infos cannot fit in the " +
                             std::to_string(cursor.remaining()) + " bytes after the header");

    auto metadata = parseGgufMetadata(cursor, kvCount, file);
    if (!metadata) return std::move(metadata).error();
    auto tensors = parseGgufTensorInfos(cursor, tensorCount, metadata->alignment, file);
    if (!tensors) return std::move(tensors).error();

    GgufParsed parsed;
    Model& model = parsed.model;
    model.format = ModelFormat::Gguf;
    model.path = file;
    model.ggufVersion = version;
    model.alignment = metadata->alignment;
    model.metadata = std::move(metadata->metadata);
    model.tensors = std::move(tensors->tensors);
    model.sources.push_back(std::move(source));
    parsed.valueOffsets = std::move(metadata->valueOffsets);
    parsed.nameOffsets = std::move(tensors->nameOffsets);
    return parsed;
}

} // namespace

Result<GgufParsed> parseGguf(std::shared_ptr<const ByteSource> source) {
    const std::string file = source->name();
    // The counts are capped, so this only happens when memory is nearly gone; it must still
    // not escape as an exception.
    try {
        return parseChecked(std::move(source));
    } catch (const std::bad_alloc&) {
        return makeError(file, "header", 0, "out of memory while reading the metadata and tensor infos");
    }
}

} // namespace matryx
