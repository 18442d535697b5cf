#include "format/gguf_tensor_info_parser.h"

#include "format/gguf_format.h"

#include <algorithm>
#include <limits>
#include <string_view>
#include <unordered_set>

namespace matryx {

namespace {

std::string shapeText(const std::vector<int64_t>& shape) {
    std::string out = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        out += (i ? ", " : "") + std::to_string(shape[i]);
    return out + "]";
}

std::string rangeText(uint64_t begin, uint64_t bytes) {
    return "[" + std::to_string(begin) + ", " + std::to_string(begin + bytes) + ")";
}

// Where each field of one tensor info starts, kept for the checks made after all are read.
struct InfoOffsets {
    uint64_t name = 0;
    uint64_t offset = 0;
};

class TensorInfoParser {
public:
    TensorInfoParser(ByteCursor& cursor, uint64_t alignment, const std::string& file)
        : c_(cursor), alignment_(alignment), file_(file) {}

    Status parse(uint64_t index, TensorInfo& out, InfoOffsets& at) {
        base_ = "tensor_infos[" + std::to_string(index) + "]";

        const uint64_t nameAt = c_.position();
        at.name = nameAt;
        uint64_t nameLength = 0;
        if (!c_.read(nameLength)) return fail(nameAt, ".name", "file ends inside the name's length");
        std::string_view name;
        if (!c_.readChars(nameLength, name))
            return fail(nameAt, ".name",
                        "name of " + std::to_string(nameLength) + " bytes runs past the end of the file (" +
                            std::to_string(c_.remaining()) + " bytes left)");
        // The views point into the mapped file, which outlives this parse.
        if (!names_.insert(name).second)
            return fail(nameAt, ".name", "duplicate tensor name '" + std::string(name) + "'");

        const uint64_t dimsCountAt = c_.position();
        uint32_t nDims = 0;
        if (!c_.read(nDims)) return fail(dimsCountAt, ".n_dims", "file ends inside n_dims");
        if (nDims > gguf::kMaxDims)
            return fail(dimsCountAt, ".n_dims",
                        std::to_string(nDims) + " dimensions; GGUF allows at most " +
                            std::to_string(gguf::kMaxDims));

        const uint64_t dimsAt = c_.position();
        out.shape.resize(nDims);
        for (uint32_t d = 0; d < nDims; ++d) {
            const uint64_t at = c_.position();
            const std::string field = ".shape[" + std::to_string(d) + "]";
            if (!c_.read(out.shape[d])) return fail(at, field, "file ends inside this dimension");
            if (out.shape[d] < 0)
                return fail(at, field, "negative dimension " + std::to_string(out.shape[d]));
        }
        // Same rule as ggml: the element count must fit in int64 (a zero dimension makes it 0).
        uint64_t elements = 1;
        for (const int64_t d : out.shape) {
            const auto dim = static_cast<uint64_t>(d);
            if (dim > 1 && elements > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) / dim)
                return fail(dimsAt, ".shape",
                            "shape " + shapeText(out.shape) + " has more than 2^63 elements");
            elements *= dim;
        }

        const uint64_t typeAt = c_.position();
        uint32_t typeId = 0;
        if (!c_.read(typeId)) return fail(typeAt, ".type", "file ends inside the type");
        const TypeTraits* traits = typeTraits(typeId);
        if (!traits)
            return fail(typeAt, ".type",
                        "tensor type id " + std::to_string(typeId) + " is " +
                            std::string(unknownTypeReason(typeId)));
        if (!traits->ggml)
            return fail(typeAt, ".type",
                        "tensor type id " + std::to_string(typeId) + " (" + std::string(traits->name) +
                            ") is not a ggml type");
        out.type = traits->type;

        // ggml addresses data by rows, so each row must be whole blocks (stricter than the
        // total count being a multiple of the block size).
        const auto rowLength = static_cast<uint64_t>(out.rowLength());
        if (rowLength % traits->blockSize != 0)
            return fail(nDims ? dimsAt : typeAt, nDims ? ".shape[0]" : ".type",
                        "row length " + std::to_string(rowLength) + " is not a multiple of the " +
                            std::string(traits->name) + " block size " + std::to_string(traits->blockSize));
        const auto bytes = bytesFor(out.type, elements);
        if (!bytes)
            return fail(dimsAt, ".shape", "size in bytes of shape " + shapeText(out.shape) + " overflows");
        out.bytes = *bytes;

        at.offset = c_.position();
        if (!c_.read(out.offset)) return fail(at.offset, ".offset", "file ends inside the data offset");
        if (out.offset % alignment_ != 0)
            return fail(at.offset, ".offset",
                        "data offset " + std::to_string(out.offset) + " is not a multiple of the alignment " +
                            std::to_string(alignment_));
        out.name.assign(name);
        out.source = 0;
        return {};
    }

    Error fail(uint64_t at, std::string_view suffix, std::string message) const {
        return makeError(file_, base_ + std::string(suffix), at, std::move(message));
    }

private:
    ByteCursor& c_;
    uint64_t alignment_;
    const std::string& file_;
    std::string base_;
    std::unordered_set<std::string_view> names_;
};

Error layoutError(const std::string& file, size_t index, uint64_t at, std::string message) {
    return makeError(file, "tensor_infos[" + std::to_string(index) + "].offset", at, std::move(message));
}

// Makes offsets absolute and checks every tensor lies inside the file, apart from the others.
Status placeData(std::vector<TensorInfo>& tensors, const std::vector<InfoOffsets>& at, uint64_t dataStart,
                 uint64_t fileSize, const std::string& file) {
    for (size_t i = 0; i < tensors.size(); ++i) {
        TensorInfo& t = tensors[i];
        if (dataStart > fileSize || t.offset > fileSize - dataStart)
            return layoutError(file, i, at[i].offset,
                               "data offset " + std::to_string(t.offset) + " (byte " +
                                   std::to_string(dataStart) + " + offset) is past the end of the file (" +
                                   std::to_string(fileSize) + " bytes)");
        t.offset += dataStart;
        if (t.bytes > fileSize - t.offset)
            return layoutError(file, i, at[i].offset,
                               "data " + rangeText(t.offset, t.bytes) + " of '" + t.name +
                                   "' runs past the end of the file (" + std::to_string(fileSize) +
                                   " bytes)");
    }

    std::vector<size_t> order;
    order.reserve(tensors.size());
    for (size_t i = 0; i < tensors.size(); ++i)
        if (tensors[i].bytes > 0) // an empty tensor overlaps nothing
            order.push_back(i);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return tensors[a].offset != tensors[b].offset ? tensors[a].offset < tensors[b].offset : a < b;
    });
    for (size_t k = 1; k < order.size(); ++k) {
        const TensorInfo& prev = tensors[order[k - 1]];
        const TensorInfo& cur = tensors[order[k]];
        if (prev.offset + prev.bytes > cur.offset)
            return layoutError(file, order[k], at[order[k]].offset,
                               "data " + rangeText(cur.offset, cur.bytes) + " of '" + cur.name +
                                   "' overlaps '" + prev.name + "' at " + rangeText(prev.offset, prev.bytes));
    }
    return {};
}

} // namespace

Result<GgufTensorInfos> parseGgufTensorInfos(ByteCursor& cursor, uint64_t count, uint64_t alignment,
                                             const std::string& file) {
    if (count > gguf::kMaxTensors)
        return makeError(file, "header.n_tensors", gguf::kOffsetTensorCount,
                         std::to_string(count) + " tensors are more than the reader's limit of " +
                             std::to_string(gguf::kMaxTensors));
    if (!cursor.canHold(count, gguf::kMinTensorInfoBytes))
        return makeError(file, "header.n_tensors", gguf::kOffsetTensorCount,
                         std::to_string(count) + " tensor infos cannot fit in the " +
                             std::to_string(cursor.remaining()) + " bytes after the metadata");

    std::vector<TensorInfo> tensors(static_cast<size_t>(count));
    std::vector<InfoOffsets> at(static_cast<size_t>(count));
    TensorInfoParser parser(cursor, alignment, file);
    for (size_t i = 0; i < tensors.size(); ++i)
        if (auto s = parser.parse(i, tensors[i], at[i]); !s) return std::move(s).error();

    // The data section starts at the next multiple of the alignment counted from byte 0;
    // the position is at most the file size, so rounding up cannot overflow.
    const uint64_t dataStart = gguf::alignUp(cursor.position(), alignment);
    if (auto s = placeData(tensors, at, dataStart, cursor.size(), file); !s) return std::move(s).error();
    GgufTensorInfos result;
    result.tensors = std::move(tensors);
    result.nameOffsets.reserve(at.size());
    for (const InfoOffsets& a : at)
        result.nameOffsets.push_back(a.name);
    return result;
}

} // namespace matryx
