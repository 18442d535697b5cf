#include "infer/jinja_format.h"

#include "infer/jinja_error.h"
#include "infer/jinja_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace matryx::jinja {

namespace {

class Sink {
public:
    Sink(std::string& out, size_t maxBytes) : out_(out), maxBytes_(maxBytes) {}
    void append(std::string_view text) {
        if (out_.size() + text.size() > maxBytes_)
            failLimit("text exceeds the output limit of " + std::to_string(maxBytes_) + " bytes");
        out_.append(text);
    }

private:
    std::string& out_;
    size_t maxBytes_;
};

std::string hexEscape(const char* prefix, int width, char32_t c) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%s%0*x", prefix, width, static_cast<unsigned>(c));
    return buffer;
}

// Python's str.isprintable() for non-ASCII code points, without Unicode tables: the separators,
// format characters, private use and escaped bytes that repr() writes as escapes.
bool isPrintableNonAscii(char32_t c) {
    return !(c <= 0xA0 || c == 0xAD || c == 0x1680 || (c >= 0x2000 && c <= 0x200F) ||
             (c >= 0x2028 && c <= 0x202F) || (c >= 0x205F && c <= 0x206F) || c == 0x3000 ||
             (c >= 0xD800 && c <= 0xDFFF) || (c >= 0xE000 && c <= 0xF8FF) || c == 0xFEFF ||
             (c >= 0xFFF9 && c <= 0xFFFB) || c >= 0xF0000);
}

void appendStringRepr(Sink& sink, const std::string& text) {
    const bool hasSingle = text.find('\'') != std::string::npos;
    const bool hasDouble = text.find('"') != std::string::npos;
    const char quote = hasSingle && !hasDouble ? '"' : '\'';
    std::string out(1, quote);
    for (const char32_t c : decodeUtf8(text)) {
        if (c == static_cast<char32_t>(quote) || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c < 0x20 || c == 0x7F) {
            out += hexEscape("\\x", 2, c);
        } else if (c < 0x7F || isPrintableNonAscii(c)) {
            appendUtf8(out, c);
        } else {
            out += c <= 0xFF     ? hexEscape("\\x", 2, c)
                   : c <= 0xFFFF ? hexEscape("\\u", 4, c)
                                 : hexEscape("\\U", 8, c);
        }
    }
    out += quote;
    sink.append(out);
}

void appendJsonString(Sink& sink, const std::string& text, bool ensureAscii) {
    std::string out = "\"";
    for (const char32_t c : decodeUtf8(text)) {
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
                out += hexEscape("\\u", 4, c);
            } else if (ensureAscii && c >= 0x80) {
                if (c >= 0x10000) {
                    const char32_t v = c - 0x10000;
                    out += hexEscape("\\u", 4, 0xD800 + (v >> 10));
                    out += hexEscape("\\u", 4, 0xDC00 + (v & 0x3FF));
                } else {
                    out += hexEscape("\\u", 4, c);
                }
            } else {
                appendUtf8(out, c);
            }
        }
    }
    out += '"';
    sink.append(out);
}

void appendPython(Sink& sink, const Value& value, bool repr) {
    switch (value.kind()) {
    case Value::Kind::Undefined:
        sink.append(repr ? "Undefined" : "");
        return;
    case Value::Kind::None:
        sink.append("None");
        return;
    case Value::Kind::Bool:
        sink.append(value.boolean() ? "True" : "False");
        return;
    case Value::Kind::Int:
        sink.append(std::to_string(value.integer()));
        return;
    case Value::Kind::Float:
        sink.append(pythonFloatRepr(value.number()));
        return;
    case Value::Kind::String:
        if (repr)
            appendStringRepr(sink, value.string());
        else
            sink.append(value.string());
        return;
    case Value::Kind::List: {
        sink.append(value.isTuple() ? "(" : "[");
        const ValueList& items = value.items();
        for (size_t i = 0; i < items.size(); ++i) {
            if (i > 0) sink.append(", ");
            appendPython(sink, items[i], true);
        }
        sink.append(value.isTuple() ? (items.size() == 1 ? ",)" : ")") : "]");
        return;
    }
    case Value::Kind::Dict:
    case Value::Kind::Namespace: {
        const bool isNamespace = value.kind() == Value::Kind::Namespace;
        const ValueDict& dict = isNamespace ? value.namespaceObject().attributes : value.dictionary();
        sink.append(isNamespace ? "<Namespace {" : "{");
        bool first = true;
        for (const auto& [key, item] : dict.entries()) {
            if (!first) sink.append(", ");
            first = false;
            appendStringRepr(sink, key);
            sink.append(": ");
            appendPython(sink, item, true);
        }
        sink.append(isNamespace ? "}>" : "}");
        return;
    }
    case Value::Kind::Callable:
        sink.append("<function " + value.callableObject().name + ">");
        return;
    }
}

void appendJsonValue(Sink& sink, const Value& value, const JsonOptions& options, int level) {
    auto newline = [&](int depth) {
        if (!options.indent) return;
        sink.append("\n");
        for (int i = 0; i < depth; ++i)
            sink.append(*options.indent);
    };
    switch (value.kind()) {
    case Value::Kind::None:
        sink.append("null");
        return;
    case Value::Kind::Bool:
        sink.append(value.boolean() ? "true" : "false");
        return;
    case Value::Kind::Int:
        sink.append(std::to_string(value.integer()));
        return;
    case Value::Kind::Float: {
        const double d = value.number();
        sink.append(std::isnan(d)   ? "NaN"
                    : std::isinf(d) ? (d > 0 ? "Infinity" : "-Infinity")
                                    : pythonFloatRepr(d));
        return;
    }
    case Value::Kind::String:
        appendJsonString(sink, value.string(), options.ensureAscii);
        return;
    case Value::Kind::List: {
        const ValueList& items = value.items();
        if (items.empty()) {
            sink.append("[]");
            return;
        }
        sink.append("[");
        for (size_t i = 0; i < items.size(); ++i) {
            if (i > 0) sink.append(options.itemSeparator);
            newline(level + 1);
            appendJsonValue(sink, items[i], options, level + 1);
        }
        newline(level);
        sink.append("]");
        return;
    }
    case Value::Kind::Dict: {
        std::vector<const std::pair<std::string, Value>*> entries;
        for (const auto& entry : value.dictionary().entries())
            entries.push_back(&entry);
        if (entries.empty()) {
            sink.append("{}");
            return;
        }
        if (options.sortKeys)
            std::stable_sort(entries.begin(), entries.end(),
                             [](auto* a, auto* b) { return a->first < b->first; });
        sink.append("{");
        for (size_t i = 0; i < entries.size(); ++i) {
            if (i > 0) sink.append(options.itemSeparator);
            newline(level + 1);
            appendJsonString(sink, entries[i]->first, options.ensureAscii);
            sink.append(options.keySeparator);
            appendJsonValue(sink, entries[i]->second, options, level + 1);
        }
        newline(level);
        sink.append("}");
        return;
    }
    default:
        fail(std::string("Object of type ") + value.typeName() + " is not JSON serializable");
    }
}

} // namespace

std::string pythonFloatRepr(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    std::string_view text(buffer, static_cast<size_t>(result.ptr - buffer));
    std::string out;
    if (text.front() == '-') {
        out = "-";
        text.remove_prefix(1);
    }
    const size_t e = text.find('e');
    std::string digits;
    for (const char c : text.substr(0, e))
        if (c != '.') digits += c;
    int exponent = 0;
    std::from_chars(text.data() + e + 1 + (text[e + 1] == '+' ? 1 : 0), text.data() + text.size(), exponent);
    const int decimalPoint = exponent + 1;
    const int n = static_cast<int>(digits.size());
    if (decimalPoint > -4 && decimalPoint <= 16) {
        if (decimalPoint <= 0)
            return out + "0." + std::string(static_cast<size_t>(-decimalPoint), '0') + digits;
        if (decimalPoint >= n)
            return out + digits + std::string(static_cast<size_t>(decimalPoint - n), '0') + ".0";
        return out + digits.substr(0, static_cast<size_t>(decimalPoint)) + "." +
               digits.substr(static_cast<size_t>(decimalPoint));
    }
    out += digits.substr(0, 1);
    if (n > 1) out += "." + digits.substr(1);
    out += exponent < 0 ? "e-" : "e+";
    const std::string magnitude = std::to_string(std::abs(exponent));
    return out + (magnitude.size() < 2 ? "0" : "") + magnitude;
}

void appendStr(std::string& out, const Value& value, size_t maxBytes) {
    Sink sink(out, maxBytes);
    appendPython(sink, value, false);
}

void appendRepr(std::string& out, const Value& value, size_t maxBytes) {
    Sink sink(out, maxBytes);
    appendPython(sink, value, true);
}

std::string toStr(const Value& value, size_t maxBytes) {
    if (value.isString()) return value.string();
    std::string out;
    appendStr(out, value, maxBytes);
    return out;
}

void appendJson(std::string& out, const Value& value, const JsonOptions& options, size_t maxBytes) {
    Sink sink(out, maxBytes);
    appendJsonValue(sink, value, options, 0);
}

} // namespace matryx::jinja
