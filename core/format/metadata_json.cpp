#include "format/metadata_json.h"

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

// Length of the valid UTF-8 sequence at text[i], or 0. Overlong forms, surrogates and code
// points past U+10FFFF are invalid, as in JSON parsers (nlohmann, Python).
size_t utf8SequenceLength(std::string_view text, size_t i) noexcept {
    const auto at = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char c = at(i);
    const size_t left = text.size() - i;
    const auto cont = [&](size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return k < left && at(i + k) >= lo && at(i + k) <= hi;
    };
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
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

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64Encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (size_t i = 0; i < bytes.size(); i += 3) {
        uint32_t chunk = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) chunk |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        if (i + 2 < bytes.size()) chunk |= static_cast<unsigned char>(bytes[i + 2]);
        out += kBase64Alphabet[(chunk >> 18) & 63];
        out += kBase64Alphabet[(chunk >> 12) & 63];
        out += i + 1 < bytes.size() ? kBase64Alphabet[(chunk >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? kBase64Alphabet[chunk & 63] : '=';
    }
    return out;
}

void appendJsonString(std::string& out, std::string_view s) {
    out += '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
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
template <class F> std::string shortestFloatText(F v) {
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    std::string text(buf, res.ptr);
    if (text.find_first_of(".e") == std::string::npos) text += ".0";
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
            if (!first) out += ',';
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

} // namespace

bool isValidUtf8(std::string_view text) noexcept {
    for (size_t i = 0; i < text.size();) {
        const size_t n = utf8SequenceLength(text, i);
        if (n == 0) return false;
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
        if (!std::isfinite(f)) return static_cast<double>(f);
        double shown = 0;
        const std::string text = shortestFloatText(f);
        std::from_chars(text.data(), text.data() + text.size(), shown);
        return shown;
    }
    case MetaType::F64:
        return value.toDouble().value_or(0.0);
    default:
        if (isUnsignedType(value.type()) && value.toUnsigned()) return *value.toUnsigned();
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

} // namespace matryx
