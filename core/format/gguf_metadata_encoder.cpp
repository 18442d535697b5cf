#include "format/gguf_metadata_encoder.h"

#include "format/gguf_format.h"

#include <limits>

namespace matryx {

namespace {

class ValueEncoder {
public:
    ValueEncoder(GgufByteWriter& out, std::string field, const std::string& file)
        : out_(out), field_(std::move(field)), file_(file) {}

    Status value(const MetaValue& v, int depth) {
        switch (v.type()) {
        case MetaType::U8:
            return unsignedValue<uint8_t>(v);
        case MetaType::U16:
            return unsignedValue<uint16_t>(v);
        case MetaType::U32:
            return unsignedValue<uint32_t>(v);
        case MetaType::U64:
            return unsignedValue<uint64_t>(v);
        case MetaType::I8:
            return signedValue<int8_t>(v);
        case MetaType::I16:
            return signedValue<int16_t>(v);
        case MetaType::I32:
            return signedValue<int32_t>(v);
        case MetaType::I64:
            return signedValue<int64_t>(v);
        case MetaType::F32: {
            const auto d = v.toDouble();
            if (!d) return fail("FLOAT32 value holds no number");
            out_.put(static_cast<float>(*d));
            return {};
        }
        case MetaType::F64: {
            const auto d = v.toDouble();
            if (!d) return fail("FLOAT64 value holds no number");
            out_.put(*d);
            return {};
        }
        case MetaType::Bool: {
            const auto b = v.toBool();
            if (!b) return fail("BOOL value holds no boolean");
            out_.put<uint8_t>(*b ? 1 : 0);
            return {};
        }
        case MetaType::String: {
            const std::string* s = v.toString();
            if (!s) return fail("STRING value holds no string");
            out_.putString(*s);
            return {};
        }
        case MetaType::Array:
            return array(v, depth + 1);
        }
        return fail("unknown value type");
    }

private:
    // The field text is only built on failure: path_ holds the indices of the items being written.
    Error fail(std::string message) const {
        std::string field = field_;
        for (const size_t i : path_)
            field += "[" + std::to_string(i) + "]";
        return makeError(file_, std::move(field), std::nullopt, std::move(message));
    }

    template <class T> Status unsignedValue(const MetaValue& v) {
        const auto u = v.toUnsigned();
        if (!u || *u > std::numeric_limits<T>::max())
            return fail("value " + v.display() + " does not fit " + std::string(metaTypeName(v.type())));
        out_.put(static_cast<T>(*u));
        return {};
    }

    template <class T> Status signedValue(const MetaValue& v) {
        const auto i = v.toSigned();
        if (!i || *i < std::numeric_limits<T>::min() || *i > std::numeric_limits<T>::max())
            return fail("value " + v.display() + " does not fit " + std::string(metaTypeName(v.type())));
        out_.put(static_cast<T>(*i));
        return {};
    }

    Status array(const MetaValue& v, int depth) {
        if (depth > gguf::kMaxArrayDepth)
            return fail("arrays nested more than " + std::to_string(gguf::kMaxArrayDepth) + " deep");
        const MetaType type = v.arrayType();
        const auto& items = v.items();
        out_.put(static_cast<uint32_t>(type));
        out_.put<uint64_t>(items.size());
        path_.push_back(0);
        for (size_t i = 0; i < items.size(); ++i) {
            path_.back() = i;
            if (items[i].type() != type)
                return fail("item of type " + std::string(metaTypeName(items[i].type())) +
                            " in an array of " + std::string(metaTypeName(type)));
            if (auto s = value(items[i], depth); !s) return s;
        }
        path_.pop_back();
        return {};
    }

    GgufByteWriter& out_;
    std::string field_;
    const std::string& file_;
    std::vector<size_t> path_;
};

} // namespace

Status encodeGgufKv(GgufByteWriter& out, std::string_view key, const MetaValue& value,
                    const std::string& file) {
    const std::string field = "metadata['" + std::string(key) + "']";
    if (key.empty()) return makeError(file, field, std::nullopt, "empty key");
    out.putString(key);
    out.put(static_cast<uint32_t>(value.type()));
    ValueEncoder encoder(out, field, file);
    return encoder.value(value, 0);
}

} // namespace matryx
