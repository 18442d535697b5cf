#include "format/metadata_json.h"

#include "format/hf_json.h"

#include <nlohmann/json.hpp>

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>
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

// Length of the valid UTF-8 sequence at text[i], or 0. Overlong forms, surrogates and code
// points past U+10FFFF are invalid, as in JSON parsers (nlohmann, Python).
size_t utf8SequenceLength(std::string_view text, size_t i) noexcept {
    const auto at = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char c = at(i);
    const size_t left = text.size() - i;
    const auto cont = [&](size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return k < left && at(i + k) >= lo && at(i + k) <= hi;
    };
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return cont(1) ? 2 : 0;
    if (c == 0xE0)
        return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
        return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED)
        return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0)
        return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3)
        return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4)
        return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}

std::string replaceInvalidUtf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        const size_t n = utf8SequenceLength(text, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(text.substr(i, n));
            i += n;
        }
    }
    return out;
}

constexpr std::string_view kBase64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64Encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (size_t i = 0; i < bytes.size(); i += 3) {
        uint32_t chunk = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size())
            chunk |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        if (i + 2 < bytes.size())
            chunk |= static_cast<unsigned char>(bytes[i + 2]);
        out += kBase64Alphabet[(chunk >> 18) & 63];
        out += kBase64Alphabet[(chunk >> 12) & 63];
        out += i + 1 < bytes.size() ? kBase64Alphabet[(chunk >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? kBase64Alphabet[chunk & 63] : '=';
    }
    return out;
}

std::optional<std::string> base64Decode(std::string_view text) {
    if (text.size() % 4 != 0)
        return std::nullopt;
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
                if (padding > 0)
                    return std::nullopt;
                const size_t pos = kBase64Alphabet.find(c);
                if (pos == std::string_view::npos)
                    return std::nullopt;
                v = static_cast<uint32_t>(pos);
            }
            chunk = (chunk << 6) | v;
        }
        out += static_cast<char>((chunk >> 16) & 0xFF);
        if (padding < 2)
            out += static_cast<char>((chunk >> 8) & 0xFF);
        if (padding < 1)
            out += static_cast<char>(chunk & 0xFF);
    }
    return out;
}

void appendJsonString(std::string& out, std::string_view s) {
    out += '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += ch;
            }
        }
    }
    out += '"';
}

// Shortest decimal text that reads back to exactly `v`, always with a '.' or exponent so that
// JSON readers keep it a float (this also keeps the sign of -0.0).
template <class F>
std::string shortestFloatText(F v) {
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    std::string text(buf, res.ptr);
    if (text.find_first_of(".e") == std::string::npos)
        text += ".0";
    return text;
}

std::string hexBits(uint64_t bits, int digits) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%0*llx", digits, static_cast<unsigned long long>(bits));
    return buf;
}

bool isUnsignedType(MetaType t) {
    return t == MetaType::U8 || t == MetaType::U16 || t == MetaType::U32 || t == MetaType::U64;
}
bool isSignedType(MetaType t) {
    return t == MetaType::I8 || t == MetaType::I16 || t == MetaType::I32 || t == MetaType::I64;
}

void appendTyped(std::string& out, const MetaValue& value);

void appendElement(std::string& out, const MetaValue& v) {
    switch (v.type()) {
    case MetaType::F32: {
        const float f = static_cast<float>(v.toDouble().value_or(0.0));
        if (std::isfinite(f))
            out += shortestFloatText(f);
        else
            out += "{\"bits\":\"" + hexBits(std::bit_cast<uint32_t>(f), 8) + "\"}";
        return;
    }
    case MetaType::F64: {
        const double d = v.toDouble().value_or(0.0);
        if (std::isfinite(d))
            out += shortestFloatText(d);
        else
            out += "{\"bits\":\"" + hexBits(std::bit_cast<uint64_t>(d), 16) + "\"}";
        return;
    }
    case MetaType::Bool:
        out += v.toBool().value_or(false) ? "true" : "false";
        return;
    case MetaType::String: {
        const std::string& s = *v.toString();
        if (isValidUtf8(s))
            appendJsonString(out, s);
        else
            out += "{\"base64\":\"" + base64Encode(s) + "\"}";
        return;
    }
    case MetaType::Array:
        appendTyped(out, v);
        return;
    default:
        if (isUnsignedType(v.type()) && v.toUnsigned())
            out += std::to_string(*v.toUnsigned());
        else
            out += std::to_string(v.toSigned().value_or(0));
        return;
    }
}

void appendTyped(std::string& out, const MetaValue& value) {
    out += "{\"type\":\"";
    out += metaTypeName(value.type());
    out += '"';
    if (value.isArray()) {
        out += ",\"element\":\"";
        out += metaTypeName(value.arrayType());
        out += "\",\"value\":[";
        bool first = true;
        for (const auto& item : value.items()) {
            if (!first)
                out += ',';
            first = false;
            appendElement(out, item);
        }
        out += "]}";
        return;
    }
    out += ",\"value\":";
    appendElement(out, value);
    out += '}';
}

std::optional<MetaType> metaTypeFromName(std::string_view name) {
    for (uint32_t id = 0; isValidMetaType(id); ++id)
        if (metaTypeName(static_cast<MetaType>(id)) == name)
            return static_cast<MetaType>(id);
    return std::nullopt;
}

struct IntRange {
    int64_t min;
    uint64_t max;
};

IntRange rangeOf(MetaType t) {
    switch (t) {
    case MetaType::U8: return {0, 0xFF};
    case MetaType::I8: return {-128, 127};
    case MetaType::U16: return {0, 0xFFFF};
    case MetaType::I16: return {-32768, 32767};
    case MetaType::U32: return {0, 0xFFFFFFFFu};
    case MetaType::I32: return {std::numeric_limits<int32_t>::min(), 0x7FFFFFFFu};
    case MetaType::U64: return {0, std::numeric_limits<uint64_t>::max()};
    default: return {std::numeric_limits<int64_t>::min(), uint64_t(std::numeric_limits<int64_t>::max())};
    }
}

class Decoder {
public:
    explicit Decoder(std::string_view field) : field_(field) {}

    Result<MetaValue> typed(const json& j, const std::string& where, size_t nesting) {
        if (!j.is_object())
            return fail(where, "must be an object with \"type\" and \"value\"");
        const auto type = j.find("type");
        if (type == j.end() || !type->is_string())
            return fail(where + ".type", "missing or not a string");
        const auto t = metaTypeFromName(type->get_ref<const std::string&>());
        if (!t)
            return fail(where + ".type", "unknown type \"" + type->get<std::string>() + "\"");
        const auto value = j.find("value");
        if (value == j.end())
            return fail(where + ".value", "missing");
        if (*t != MetaType::Array)
            return element(*value, *t, where + ".value", nesting);

        if (nesting >= kMaxArrayNesting)
            return fail(where, "arrays nested deeper than " + std::to_string(kMaxArrayNesting) + " levels");
        const auto elem = j.find("element");
        if (elem == j.end() || !elem->is_string())
            return fail(where + ".element", "missing or not a string");
        const auto et = metaTypeFromName(elem->get_ref<const std::string&>());
        if (!et)
            return fail(where + ".element", "unknown type \"" + elem->get<std::string>() + "\"");
        if (!value->is_array())
            return fail(where + ".value", "must be an array");
        if (value->size() > kMaxDecodedItems - items_)
            return fail(where + ".value", "too many array items");
        items_ += value->size();
        std::vector<MetaValue> items;
        items.reserve(value->size());
        for (size_t i = 0; i < value->size(); ++i) {
            auto item = element((*value)[i], *et, where + ".value[" + std::to_string(i) + "]", nesting + 1);
            if (!item)
                return std::move(item).error();
            items.push_back(std::move(*item));
        }
        return MetaValue::array(*et, std::move(items));
    }

private:
    Result<MetaValue> element(const json& v, MetaType t, const std::string& where, size_t nesting) {
        switch (t) {
        case MetaType::Array: {
            auto nested = typed(v, where, nesting);
            if (nested && nested->type() != MetaType::Array)
                return fail(where, "must be an ARRAY");
            return nested;
        }
        case MetaType::Bool:
            if (!v.is_boolean())
                return fail(where, "must be true or false");
            return MetaValue::boolean(v.get<bool>());
        case MetaType::String:
            if (v.is_string())
                return MetaValue::string(v.get<std::string>());
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
                if (std::isinf(f) && std::isfinite(d))
                    return fail(where, "out of the range of FLOAT32");
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
            if (u > r.max)
                return fail(where, "value " + std::to_string(u) + " out of range" + range);
            if (isSignedType(t))
                return MetaValue::fromSigned(t, static_cast<int64_t>(u));
            return MetaValue::fromUnsigned(t, u);
        }
        if (v.is_number_integer()) {
            const int64_t s = v.get<int64_t>();
            if (s < r.min || (s >= 0 && uint64_t(s) > r.max))
                return fail(where, "value " + std::to_string(s) + " out of range" + range);
            if (isSignedType(t))
                return MetaValue::fromSigned(t, s);
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

bool isValidUtf8(std::string_view text) noexcept {
    for (size_t i = 0; i < text.size();) {
        const size_t n = utf8SequenceLength(text, i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

nlohmann::json toPlainJson(const MetaValue& value) {
    switch (value.type()) {
    case MetaType::Array: {
        json out = json::array();
        for (const auto& item : value.items())
            out.push_back(toPlainJson(item));
        return out;
    }
    case MetaType::String:
        return replaceInvalidUtf8(*value.toString());
    case MetaType::Bool:
        return value.toBool().value_or(false);
    case MetaType::F32: {
        // Show what the file means (1e-05), not the float's exact binary value (9.99999974e-06).
        const float f = static_cast<float>(value.toDouble().value_or(0.0));
        if (!std::isfinite(f))
            return static_cast<double>(f);
        double shown = 0;
        const std::string text = shortestFloatText(f);
        std::from_chars(text.data(), text.data() + text.size(), shown);
        return shown;
    }
    case MetaType::F64:
        return value.toDouble().value_or(0.0);
    default:
        if (isUnsignedType(value.type()) && value.toUnsigned())
            return *value.toUnsigned();
        return value.toSigned().value_or(0);
    }
}

nlohmann::json toPlainJson(const Metadata& metadata) {
    json out = json::object();
    for (const auto& [key, value] : metadata)
        out[replaceInvalidUtf8(key)] = toPlainJson(value);
    return out;
}

std::string encodeTypedValue(const MetaValue& value) {
    std::string out;
    appendTyped(out, value);
    return out;
}

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
