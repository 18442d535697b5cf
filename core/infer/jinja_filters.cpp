#include "infer/jinja_filters.h"

#include "infer/jinja_collection_filters.h"
#include "infer/jinja_format.h"
#include "infer/jinja_text.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

namespace matryx::jinja {

namespace {

using FilterFunction = Value (*)(const Value&, const CallArgs&, const Limits&);

std::string str(const Value& value, const Limits& limits) {
    return toStr(value, limits.maxBytes);
}

std::string pythonStrip(const std::string& text) {
    return stripText(text, nullptr, StripSide::Both);
}

// Python's int(text): optional sign, digits with single underscores between them, whitespace around.
std::optional<int64_t> parseInt(const std::string& text) {
    std::string t = pythonStrip(text);
    std::string digits;
    size_t i = (!t.empty() && (t[0] == '+' || t[0] == '-')) ? 1 : 0;
    for (; i < t.size(); ++i) {
        if (t[i] == '_' && i > 0 && std::isdigit(static_cast<unsigned char>(t[i - 1])) && i + 1 < t.size() &&
            std::isdigit(static_cast<unsigned char>(t[i + 1])))
            continue;
        if (!std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
        digits += t[i];
    }
    if (digits.empty()) return std::nullopt;
    if (t[0] == '-') digits.insert(0, "-");
    int64_t value = 0;
    const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (result.ec != std::errc()) fail("integer overflow (integers are limited to 64 bits)");
    return value;
}

// Python's float(text) for the forms templates meet: decimal and exponent notation, inf, nan.
std::optional<double> parseFloat(const std::string& text) {
    std::string t = pythonStrip(text);
    t.erase(std::remove(t.begin(), t.end(), '_'), t.end());
    const char* begin = t.data() + ((!t.empty() && t[0] == '+') ? 1 : 0);
    double value = 0.0;
    const auto result = std::from_chars(begin, t.data() + t.size(), value);
    if (t.empty() || result.ec != std::errc() || result.ptr != t.data() + t.size()) return std::nullopt;
    return value;
}

Value toIntValue(const Value& value, const Value& fallback) {
    if (value.isInteger()) return Value(value.integer());
    double d = 0.0;
    if (value.kind() == Value::Kind::Float) {
        d = value.number();
    } else if (value.isString()) {
        if (const auto parsed = parseInt(value.string())) return Value(*parsed);
        const auto parsed = parseFloat(value.string());
        if (!parsed) return fallback;
        d = *parsed;
    } else {
        return fallback;
    }
    if (!std::isfinite(d)) return fallback;
    if (std::fabs(d) >= 9.2e18) fail("integer overflow (integers are limited to 64 bits)");
    return Value(static_cast<int64_t>(d));
}

// Python's round(x, n) for floats: correctly rounded, ties to even on the exact binary value.
double roundFloat(double x, int64_t digits) {
    if (!std::isfinite(x)) return x;
    if (digits == 0) return std::nearbyint(x);
    if (digits > 0) {
        char buffer[512];
        std::snprintf(buffer, sizeof buffer, "%.*f", static_cast<int>(std::min<int64_t>(digits, 340)), x);
        return std::strtod(buffer, nullptr);
    }
    const double scale = std::pow(10.0, static_cast<double>(-digits));
    return std::nearbyint(x / scale) * scale;
}

Value filterRound(const Value& value, const CallArgs& args, const Limits&) {
    BoundArguments bound(args, {"precision", "method"}, "round");
    const int64_t precision = bound.integer(0, 0);
    const std::string method = bound.string(1, "common");
    if (method != "common" && method != "ceil" && method != "floor")
        fail("round(): method must be common, ceil or floor");
    if (!value.isNumber()) fail(std::string("type ") + value.typeName() + " doesn't define __round__ method");
    if (method == "common")
        return value.isInteger() && precision >= 0 ? Value(value.integer())
                                                   : Value(roundFloat(value.number(), precision));
    const double scale = std::pow(10.0, static_cast<double>(precision));
    const double scaled =
        method == "ceil" ? std::ceil(value.number() * scale) : std::floor(value.number() * scale);
    return Value(scaled / scale);
}

Value filterIndent(const Value& value, const CallArgs& args, const Limits& limits) {
    BoundArguments bound(args, {"width", "first", "blank"}, "indent");
    const Value& width = bound[0];
    const std::string indentation =
        width.isString()
            ? width.string()
            : std::string(
                  static_cast<size_t>(std::max<int64_t>(0, std::min<int64_t>(bound.integer(0, 4), 4096))),
                  ' ');
    const bool first = bound.flag(1, false);
    const bool blank = bound.flag(2, false);
    const std::vector<std::string> lines = splitLines(str(value, limits) + "\n");
    std::string out = first ? indentation : std::string();
    for (size_t i = 0; i < lines.size(); ++i) {
        if (i > 0) {
            out += '\n';
            if (blank || !lines[i].empty()) out += indentation;
        }
        out += lines[i];
        if (out.size() > limits.maxBytes)
            failLimit("indent() result exceeds the output limit of " + std::to_string(limits.maxBytes) +
                      " bytes");
    }
    return Value(std::move(out));
}

Value filterToJson(const Value& value, const CallArgs& args, const Limits& limits) {
    BoundArguments bound(args, {"ensure_ascii", "indent", "separators", "sort_keys"}, "tojson");
    JsonOptions options;
    options.ensureAscii = bound.flag(0, false);
    const Value& indent = bound[1];
    if (indent.isString())
        options.indent = indent.string();
    else if (indent.isInteger())
        options.indent =
            std::string(static_cast<size_t>(std::clamp<int64_t>(indent.integer(), 0, 4096)), ' ');
    else if (!indent.isUndefined() && !indent.isNone())
        fail("tojson(): indent must be an integer or a string");
    if (options.indent) options.itemSeparator = ",";
    const Value& separators = bound[2];
    if (separators.isList()) {
        if (separators.items().size() != 2 || !separators.items()[0].isString() ||
            !separators.items()[1].isString())
            fail("tojson(): separators must be a pair of strings");
        options.itemSeparator = separators.items()[0].string();
        options.keySeparator = separators.items()[1].string();
    } else if (!separators.isUndefined() && !separators.isNone()) {
        fail("tojson(): separators must be a pair of strings");
    }
    options.sortKeys = bound.flag(3, false);
    std::string out;
    appendJson(out, value, options, limits.maxBytes);
    return Value(std::move(out));
}

Value filterReplace(const Value& value, const CallArgs& args, const Limits& limits) {
    BoundArguments bound(args, {"old", "new", "count"}, "replace");
    return Value(replaceText(str(value, limits), str(bound.required(0), limits),
                             str(bound.required(1), limits), bound.integer(2, -1), limits.maxBytes));
}

Value filterDefault(const Value& value, const CallArgs& args, const Limits&) {
    BoundArguments bound(args, {"default_value", "boolean"}, "default");
    const bool useDefault = value.isUndefined() || (bound.flag(1, false) && !value.truthy());
    return useDefault ? bound.get(0, Value("")) : value;
}

Value filterEscape(const Value& value, const CallArgs& args, const Limits& limits) {
    BoundArguments bound(args, {}, "escape");
    std::string out;
    for (const char c : str(value, limits)) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&#34;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return Value(std::move(out));
}

void noArguments(const char* name, const CallArgs& args) {
    BoundArguments(args, {}, name);
}

const std::map<std::string_view, FilterFunction>& filters() {
    static const std::map<std::string_view, FilterFunction> table = {
        {"abs",
         [](const Value& v, const CallArgs& a, const Limits&) {
             noArguments("abs", a);
             if (v.isInteger()) return v.integer() < 0 ? negate(v) : Value(v.integer());
             if (!v.isNumber()) fail(std::string("bad operand type for abs(): '") + v.typeName() + "'");
             return Value(std::fabs(v.number()));
         }},
        {"capitalize",
         [](const Value& v, const CallArgs& a, const Limits& l) {
             noArguments("capitalize", a);
             return Value(capitalizeText(str(v, l)));
         }},
        {"count",
         [](const Value& v, const CallArgs& a, const Limits&) {
             noArguments("count", a);
             return Value(static_cast<int64_t>(lengthOf(v)));
         }},
        {"d", filterDefault},
        {"default", filterDefault},
        {"dictsort", filterDictsort},
        {"e", filterEscape},
        {"escape", filterEscape},
        {"first",
         [](const Value& v, const CallArgs& a, const Limits&) {
             noArguments("first", a);
             const ValueList items = iterate(v);
             return items.empty() ? Value::undefined("No first item, sequence was empty.") : items.front();
         }},
        {"float",
         [](const Value& v, const CallArgs& a, const Limits&) {
             BoundArguments bound(a, {"default"}, "float");
             if (v.isNumber()) return Value(v.number());
             const auto parsed = v.isString() ? parseFloat(v.string()) : std::nullopt;
             return parsed ? Value(*parsed) : bound.get(0, Value(0.0));
         }},
        {"indent", filterIndent},
        {"int",
         [](const Value& v, const CallArgs& a, const Limits&) {
             BoundArguments bound(a, {"default", "base"}, "int");
             if (bound.integer(1, 10) != 10)
                 throw TemplateError(ErrorKind::Unsupported, "int(): only base 10 is supported");
             return toIntValue(v, bound.get(0, Value(0)));
         }},
        {"items",
         [](const Value& v, const CallArgs& a, const Limits&) {
             noArguments("items", a);
             if (v.isUndefined()) return Value::list({});
             if (!v.isDict()) fail("Can only get item pairs from a mapping.");
             ValueList pairs;
             for (const auto& [key, item] : v.dictionary().entries())
                 pairs.push_back(Value::list({Value(key), item}, true));
             return Value::list(std::move(pairs));
         }},
        {"join", filterJoin},
        {"last",
         [](const Value& v, const CallArgs& a, const Limits&) {
             noArguments("last", a);
             const ValueList items = iterate(v);
             return items.empty() ? Value::undefined("No last item, sequence was empty.") : items.back();
         }},
        {"length",
         [](const Value& v, const CallArgs& a, const Limits&) {
             noArguments("length", a);
             return Value(static_cast<int64_t>(lengthOf(v)));
         }},
        {"list",
         [](const Value& v, const CallArgs& a, const Limits&) {
             noArguments("list", a);
             return Value::list(iterate(v));
         }},
        {"lower",
         [](const Value& v, const CallArgs& a, const Limits& l) {
             noArguments("lower", a);
             return Value(lowerText(str(v, l)));
         }},
        {"map", filterMap},
        {"max", [](const Value& v, const CallArgs& a, const Limits&) { return filterMinOrMax(v, a, true); }},
        {"min", [](const Value& v, const CallArgs& a, const Limits&) { return filterMinOrMax(v, a, false); }},
        {"reject", [](const Value& v, const CallArgs& a,
                      const Limits&) { return filterSelectOrReject(v, a, false, false); }},
        {"rejectattr", [](const Value& v, const CallArgs& a,
                          const Limits&) { return filterSelectOrReject(v, a, true, false); }},
        {"replace", filterReplace},
        {"reverse",
         [](const Value& v, const CallArgs& a, const Limits&) {
             noArguments("reverse", a);
             if (v.isString()) {
                 std::u32string text = decodeUtf8(v.string());
                 std::reverse(text.begin(), text.end());
                 return Value(encodeUtf8(text));
             }
             ValueList items = iterate(v);
             std::reverse(items.begin(), items.end());
             return Value::list(std::move(items));
         }},
        {"round", filterRound},
        {"safe",
         [](const Value& v, const CallArgs& a, const Limits& l) {
             noArguments("safe", a);
             return Value(str(v, l));
         }},
        {"select", [](const Value& v, const CallArgs& a,
                      const Limits&) { return filterSelectOrReject(v, a, false, true); }},
        {"selectattr", [](const Value& v, const CallArgs& a,
                          const Limits&) { return filterSelectOrReject(v, a, true, true); }},
        {"sort", filterSort},
        {"string",
         [](const Value& v, const CallArgs& a, const Limits& l) {
             noArguments("string", a);
             return Value(str(v, l));
         }},
        {"sum",
         [](const Value& v, const CallArgs& a, const Limits& l) {
             BoundArguments bound(a, {"attribute", "start"}, "sum");
             Value total = bound.get(1, Value(0));
             for (const Value& item : iterate(v))
                 total = binaryOperation(BinaryOp::Add, total,
                                         bound.has(0) ? lookupPath(item, str(bound[0], l)) : item, l);
             return total;
         }},
        {"title",
         [](const Value& v, const CallArgs& a, const Limits& l) {
             noArguments("title", a);
             return Value(jinjaTitle(str(v, l)));
         }},
        {"tojson", filterToJson},
        {"trim",
         [](const Value& v, const CallArgs& a, const Limits& l) {
             BoundArguments bound(a, {"chars"}, "trim");
             const std::string chars = bound.has(0) && !bound[0].isNone() ? str(bound[0], l) : std::string();
             return Value(stripText(str(v, l), bound.has(0) && !bound[0].isNone() ? &chars : nullptr,
                                    StripSide::Both));
         }},
        {"unique", filterUnique},
        {"upper",
         [](const Value& v, const CallArgs& a, const Limits& l) {
             noArguments("upper", a);
             return Value(upperText(str(v, l)));
         }},
    };
    return table;
}

} // namespace

bool isKnownFilter(std::string_view name) {
    return filters().count(name) != 0;
}

Value applyFilter(std::string_view name, const Value& input, const CallArgs& args, const Limits& limits) {
    const auto it = filters().find(name);
    if (it == filters().end()) fail("no filter named '" + std::string(name) + "'");
    return it->second(input, args, limits);
}

Value lookupPath(const Value& item, const std::string& path) {
    Value current = item;
    static const std::string kDot = ".";
    for (const std::string& part : splitText(path, &kDot, -1)) {
        const bool numeric = !part.empty() && std::all_of(part.begin(), part.end(),
                                                          [](char c) { return c >= '0' && c <= '9'; });
        current = numeric && part.size() < 18
                      ? getItem(current, Value(static_cast<int64_t>(std::stoll(part))))
                      : getItem(current, Value(part));
    }
    return current;
}

} // namespace matryx::jinja
