#include "format/gguf_metadata_parser.h"

#include "format/gguf_format.h"

#include <string_view>
#include <type_traits>
#include <utility>

namespace matryx {

namespace {

// Smallest encoding of one array element of this type; an array's count is checked against
// it before anything is reserved.
uint64_t minEncodedBytes(MetaType type) noexcept {
    switch (type) {
    case MetaType::U8:
    case MetaType::I8:
    case MetaType::Bool:
        return 1;
    case MetaType::U16:
    case MetaType::I16:
        return 2;
    case MetaType::U32:
    case MetaType::I32:
    case MetaType::F32:
        return 4;
    case MetaType::U64:
    case MetaType::I64:
    case MetaType::F64:
        return 8;
    case MetaType::String:
        return 8;
    case MetaType::Array:
        return gguf::kArrayHeaderBytes;
    }
    return 1;
}

std::string typeIdName(uint32_t id) {
    return isValidMetaType(id) ? std::string(metaTypeName(static_cast<MetaType>(id))) : std::to_string(id);
}

// Reads one value; `path_` holds the item indices of the arrays being read so that an error
// deep inside the token list names "kv[14].value[30211]". The field text is only built when
// something fails, which keeps the 100k-item vocabularies of real models fast to read.
class ValueParser {
public:
    ValueParser(ByteCursor& cursor, const std::string& file, uint64_t valuesLeft)
        : c_(cursor), file_(file), valuesLeft_(valuesLeft) {}

    Status parse(MetaType type, std::string base, MetaValue& out) {
        base_ = std::move(base);
        path_.clear();
        return value(type, 0, out);
    }

private:
    Error fail(uint64_t at, std::string_view suffix, std::string message) const {
        std::string field = base_;
        for (const uint64_t i : path_)
            field += "[" + std::to_string(i) + "]";
        field += suffix;
        return makeError(file_, std::move(field), at, std::move(message));
    }

    template <class T> Status scalar(MetaType type, MetaValue& out) {
        const uint64_t at = c_.position();
        T v{};
        if (!c_.read(v))
            return fail(at, {}, "file ends inside this " + std::string(metaTypeName(type)) + " value");
        if constexpr (std::is_floating_point_v<T>)
            out = MetaValue::fromFloat(type, static_cast<double>(v));
        else if constexpr (std::is_signed_v<T>)
            out = MetaValue::fromSigned(type, static_cast<int64_t>(v));
        else
            out = MetaValue::fromUnsigned(type, static_cast<uint64_t>(v));
        return {};
    }

    Status text(std::string_view& out) {
        const uint64_t at = c_.position();
        uint64_t length = 0;
        if (!c_.read(length)) return fail(at, {}, "file ends inside this string's length");
        if (!c_.readChars(length, out))
            return fail(at, {},
                        "string of " + std::to_string(length) + " bytes runs past the end of the file (" +
                            std::to_string(c_.remaining()) + " bytes left)");
        return {};
    }

    Status string(MetaValue& out) {
        std::string_view view;
        if (auto s = text(view); !s) return s;
        out = MetaValue::string(std::string(view));
        return {};
    }

    Status value(MetaType type, int depth, MetaValue& out) {
        switch (type) {
        case MetaType::U8:
            return scalar<uint8_t>(type, out);
        case MetaType::I8:
            return scalar<int8_t>(type, out);
        case MetaType::U16:
            return scalar<uint16_t>(type, out);
        case MetaType::I16:
            return scalar<int16_t>(type, out);
        case MetaType::U32:
            return scalar<uint32_t>(type, out);
        case MetaType::I32:
            return scalar<int32_t>(type, out);
        case MetaType::U64:
            return scalar<uint64_t>(type, out);
        case MetaType::I64:
            return scalar<int64_t>(type, out);
        case MetaType::F32:
            return scalar<float>(type, out);
        case MetaType::F64:
            return scalar<double>(type, out);
        case MetaType::Bool: {
            const uint64_t at = c_.position();
            uint8_t v = 0;
            if (!c_.read(v)) return fail(at, {}, "file ends inside this BOOL value");
            out = MetaValue::boolean(v != 0);
            return {};
        }
        case MetaType::String:
            return string(out);
        case MetaType::Array:
            return array(depth + 1, out);
        }
        return fail(c_.position(), {}, "unknown value type");
    }

    Status array(int depth, MetaValue& out) {
        const uint64_t at = c_.position();
        if (depth > gguf::kMaxArrayDepth)
            return fail(at, {}, "arrays nested more than " + std::to_string(gguf::kMaxArrayDepth) + " deep");
        uint32_t typeId = 0;
        if (!c_.read(typeId)) return fail(at, ".type", "file ends inside this array's element type");
        if (!isValidMetaType(typeId))
            return fail(at, ".type", "unknown array element type " + std::to_string(typeId));
        const auto type = static_cast<MetaType>(typeId);
        uint64_t count = 0;
        if (!c_.read(count)) return fail(at + 4, ".count", "file ends inside this array's count");
        if (!c_.canHold(count, minEncodedBytes(type)))
            return fail(at + 4, ".count",
                        "array of " + std::to_string(count) + " " + std::string(metaTypeName(type)) +
                            " items cannot fit in the " + std::to_string(c_.remaining()) + " bytes left");
        if (count > valuesLeft_)
            return fail(at + 4, ".count",
                        "array of " + std::to_string(count) +
                            " items takes the metadata past the reader's limit of " +
                            std::to_string(gguf::kMaxMetadataValues) + " values");
        valuesLeft_ -= count;

        std::vector<MetaValue> items;
        items.reserve(static_cast<size_t>(count));
        path_.push_back(0);
        for (uint64_t i = 0; i < count; ++i) {
            path_.back() = i;
            // Vocabularies are string arrays of 100k+ items: those are built in place, without
            // the temporary value the general path moves from.
            if (type == MetaType::String) {
                std::string_view view;
                if (auto s = text(view); !s) return s;
                items.push_back(MetaValue::string(std::string(view)));
                continue;
            }
            MetaValue item;
            if (auto s = value(type, depth, item); !s) return s;
            items.push_back(std::move(item));
        }
        path_.pop_back();
        out = MetaValue::array(type, std::move(items));
        return {};
    }

    ByteCursor& c_;
    const std::string& file_;
    std::string base_;
    std::vector<uint64_t> path_;
    uint64_t valuesLeft_;
};

size_t entryIndex(const Metadata& metadata, std::string_view key) {
    for (size_t i = 0; i < metadata.size(); ++i)
        if (metadata.entries()[i].first == key) return i;
    return metadata.size();
}

} // namespace

Result<GgufMetadata> parseGgufMetadata(ByteCursor& cursor, uint64_t count, const std::string& file,
                                       uint64_t maxValues) {
    GgufMetadata result;
    result.alignment = gguf::kDefaultAlignment;
    if (!cursor.canHold(count, gguf::kMinKvBytes))
        return makeError(file, "header.n_kv", gguf::kOffsetKvCount,
                         std::to_string(count) + " key/value pairs cannot fit in the " +
                             std::to_string(cursor.remaining()) + " bytes after the header");
    if (count > maxValues)
        return makeError(file, "header.n_kv", gguf::kOffsetKvCount,
                         std::to_string(count) + " key/value pairs are more than the reader's limit of " +
                             std::to_string(gguf::kMaxMetadataValues) + " values");
    result.valueOffsets.reserve(static_cast<size_t>(count));

    ValueParser parser(cursor, file, maxValues - count);
    for (uint64_t i = 0; i < count; ++i) {
        const std::string base = "kv[" + std::to_string(i) + "]";
        const uint64_t keyAt = cursor.position();
        uint64_t keyLength = 0;
        if (!cursor.read(keyLength))
            return makeError(file, base + ".key", keyAt, "file ends inside the key's length");
        if (keyLength == 0) return makeError(file, base + ".key", keyAt, "empty key");
        std::string_view key;
        if (!cursor.readChars(keyLength, key))
            return makeError(file, base + ".key", keyAt,
                             "key of " + std::to_string(keyLength) +
                                 " bytes runs past the end of the file (" +
                                 std::to_string(cursor.remaining()) + " bytes left)");
        if (result.metadata.contains(key))
            return makeError(file, base + ".key", keyAt,
                             "duplicate key '" + std::string(key) + "' (first at kv[" +
                                 std::to_string(entryIndex(result.metadata, key)) + "])");

        const uint64_t typeAt = cursor.position();
        uint32_t typeId = 0;
        if (!cursor.read(typeId))
            return makeError(file, base + ".type", typeAt, "file ends inside the value type");
        if (!isValidMetaType(typeId))
            return makeError(file, base + ".type", typeAt,
                             "unknown value type " + std::to_string(typeId) + " for key '" +
                                 std::string(key) + "'");
        const auto type = static_cast<MetaType>(typeId);

        const uint64_t valueAt = cursor.position();
        MetaValue value;
        if (auto s = parser.parse(type, base + ".value", value); !s) return std::move(s).error();

        if (key == gguf::kKeyAlignment) {
            if (type != MetaType::U32)
                return makeError(file, base + ".type", typeAt,
                                 "general.alignment must be UINT32, not " + typeIdName(typeId));
            const uint64_t alignment = value.toUnsigned().value_or(0);
            if (!gguf::isPowerOfTwo(alignment))
                return makeError(file, base + ".value", valueAt,
                                 "general.alignment " + std::to_string(alignment) + " is not a power of two");
            result.alignment = alignment;
        }
        result.valueOffsets.push_back(valueAt);
        result.metadata.set(std::string(key), std::move(value));
    }
    return result;
}

} // namespace matryx
