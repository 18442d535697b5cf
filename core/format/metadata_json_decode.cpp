#include "format/hf_json.h"
#include "format/metadata_json.h"

#include <nlohmann/json.hpp>

#include <bit>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

namespace matryx {

namespace {

using json = nlohmann::json;

// A typed value nests arrays at most this deep (GGUF files hold arrays of arrays, rarely more).
constexpr size_t kMaxArrayNesting = 16;
// Each array level is an object holding an array: two JSON levels, plus the outermost object.
constexpr size_t kMaxJsonDepth = 2 * kMaxArrayNesting + 2;
// Bounds the MetaValues one decoded value may create; real token lists hold about a million.
constexpr uint64_t kMaxDecodedItems = uint64_t{1} << 24;

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::optional<std::string> base64Decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (size_t i = 0; i < text.size(); i += 4) {
        uint32_t chunk = 0;
        int padding = 0;
        for (size_t k = 0; k < 4; ++k) {
            const char c = text[i + k];
            uint32_t v = 0;
            if (c == '=' && i + 4 == text.size() && k >= 2) {
                ++padding;
            } else {
                if (padding > 0) return std::nullopt;
                const size_t pos = kBase64Alphabet.find(c);
                if (pos == std::string_view::npos) return std::nullopt;
                v = static_cast<uint32_t>(pos);
            }
            chunk = (chunk << 6) | v;
        }
        out += static_cast<char>((chunk >> 16) & 0xFF);
        if (padding < 2) out += static_cast<char>((chunk >> 8) & 0xFF);
        if (padding < 1) out += static_cast<char>(chunk & 0xFF);
    }
    return out;
}

std::optional<MetaType> metaTypeFromName(std::string_view name) {
    for (uint32_t id = 0; isValidMetaType(id); ++id)
        if (metaTypeName(static_cast<MetaType>(id)) == name) return static_cast<MetaType>(id);
    return std::nullopt;
}

bool isSignedType(MetaType t) {
    return t == MetaType::I8 || t == MetaType::I16 || t == MetaType::I32 || t == MetaType::I64;
}

struct IntRange {
    int64_t min;
    uint64_t max;
};

IntRange rangeOf(MetaType t) {
    switch (t) {
    case MetaType::U8:
        return {0, 0xFF};
    case MetaType::I8:
        return {-128, 127};
    case MetaType::U16:
        return {0, 0xFFFF};
    case MetaType::I16:
        return {-32768, 32767};
    case MetaType::U32:
        return {0, 0xFFFFFFFFu};
    case MetaType::I32:
        return {std::numeric_limits<int32_t>::min(), 0x7FFFFFFFu};
    case MetaType::U64:
        return {0, std::numeric_limits<uint64_t>::max()};
    default:
        return {std::numeric_limits<int64_t>::min(), uint64_t(std::numeric_limits<int64_t>::max())};
    }
}

class Decoder {
public:
    explicit Decoder(std::string_view field) : field_(field) {}

    Result<MetaValue> typed(const json& j, const std::string& where, size_t nesting) {
        if (!j.is_object()) return fail(where, "must be an object with \"type\" and \"value\"");
        const auto type = j.find("type");
        if (type == j.end() || !type->is_string()) return fail(where + ".type", "missing or not a string");
        const auto t = metaTypeFromName(type->get_ref<const std::string&>());
        if (!t) return fail(where + ".type", "unknown type \"" + type->get<std::string>() + "\"");
        const auto value = j.find("value");
        if (value == j.end()) return fail(where + ".value", "missing");
        if (*t != MetaType::Array) return element(*value, *t, where + ".value", nesting);

        if (nesting >= kMaxArrayNesting)
            return fail(where, "arrays nested deeper than " + std::to_string(kMaxArrayNesting) + " levels");
        const auto elem = j.find("element");
        if (elem == j.end() || !elem->is_string()) return fail(where + ".element", "missing or not a string");
        const auto et = metaTypeFromName(elem->get_ref<const std::string&>());
        if (!et) return fail(where + ".element", "unknown type \"" + elem->get<std::string>() + "\"");
        if (!value->is_array()) return fail(where + ".value", "must be an array");
        if (value->size() > kMaxDecodedItems - items_) return fail(where + ".value", "too many array items");
        items_ += value->size();
        std::vector<MetaValue> items;
        items.reserve(value->size());
        for (size_t i = 0; i < value->size(); ++i) {
            auto item = element((*value)[i], *et, where + ".value[" + std::to_string(i) + "]", nesting + 1);
            if (!item) return std::move(item).error();
            items.push_back(std::move(*item));
        }
        return MetaValue::array(*et, std::move(items));
    }

private:
    Result<MetaValue> element(const json& v, MetaType t, const std::string& where, size_t nesting) {
        switch (t) {
        case MetaType::Array: {
            auto nested = typed(v, where, nesting);
            if (nested && nested->type() != MetaType::Array) return fail(where, "must be an ARRAY");
            return nested;
        }
        case MetaType::Bool:
            if (!v.is_boolean()) return fail(where, "must be true or false");
            return MetaValue::boolean(v.get<bool>());
        case MetaType::String:
            if (v.is_string()) return MetaValue::string(v.get<std::string>());
            if (v.is_object() && v.size() == 1 && v.contains("base64") && v["base64"].is_string())
                if (auto bytes = base64Decode(v["base64"].get_ref<const std::string&>()))
                    return MetaValue::string(std::move(*bytes));
            return fail(where, "must be a string or {\"base64\": ...}");
        case MetaType::F32:
        case MetaType::F64:
            return floating(v, t, where);
        default:
            return integer(v, t, where);
        }
    }

    Result<MetaValue> floating(const json& v, MetaType t, const std::string& where) {
        if (v.is_number()) {
            const double d = v.get<double>();
            if (t == MetaType::F32) {
                const float f = static_cast<float>(d);
                if (std::isinf(f) && std::isfinite(d)) return fail(where, "out of the range of FLOAT32");
                return MetaValue::f32(f);
            }
            return MetaValue::fromFloat(MetaType::F64, d);
        }
        const int digits = t == MetaType::F32 ? 8 : 16;
        if (v.is_object() && v.size() == 1 && v.contains("bits") && v["bits"].is_string()) {
            const auto& hex = v["bits"].get_ref<const std::string&>();
            uint64_t bits = 0;
            const auto res = std::from_chars(hex.data(), hex.data() + hex.size(), bits, 16);
            if (hex.size() == size_t(digits) && res.ec == std::errc() && res.ptr == hex.data() + hex.size()) {
                if (t == MetaType::F32)
                    return MetaValue::f32(std::bit_cast<float>(static_cast<uint32_t>(bits)));
                return MetaValue::fromFloat(MetaType::F64, std::bit_cast<double>(bits));
            }
        }
        return fail(where, "must be a number or {\"bits\": \"<" + std::to_string(digits) + " hex digits>\"}");
    }

    Result<MetaValue> integer(const json& v, MetaType t, const std::string& where) {
        const IntRange r = rangeOf(t);
        const std::string range = std::string(" (") + std::string(metaTypeName(t)) + ")";
        if (v.is_number_unsigned()) {
            const uint64_t u = v.get<uint64_t>();
            if (u > r.max) return fail(where, "value " + std::to_string(u) + " out of range" + range);
            if (isSignedType(t)) return MetaValue::fromSigned(t, static_cast<int64_t>(u));
            return MetaValue::fromUnsigned(t, u);
        }
        if (v.is_number_integer()) {
            const int64_t s = v.get<int64_t>();
            if (s < r.min || (s >= 0 && uint64_t(s) > r.max))
                return fail(where, "value " + std::to_string(s) + " out of range" + range);
            if (isSignedType(t)) return MetaValue::fromSigned(t, s);
            return MetaValue::fromUnsigned(t, static_cast<uint64_t>(s));
        }
        return fail(where, "must be an integer" + range);
    }

    Error fail(const std::string& where, const std::string& what) const {
        return makeError({}, std::string(field_), std::nullopt, "typed value " + where + ": " + what);
    }

    std::string_view field_;
    uint64_t items_ = 0;
};

} // namespace

Result<MetaValue> decodeTypedValue(std::string_view text, std::string_view field) {
    auto doc = parseJsonText(text, {}, field, 0, kMaxJsonDepth);
    if (!doc) {
        Error e = std::move(doc).error();
        e.offset.reset(); // an offset inside the value's text would mislead; the caller places it
        e.message = "typed value: " + e.message;
        return e;
    }
    try {
        return Decoder(field).typed(*doc, "$", 0);
    } catch (const std::exception& e) {
        return makeError({}, std::string(field), std::nullopt, std::string("typed value: ") + e.what());
    }
}

} // namespace matryx
