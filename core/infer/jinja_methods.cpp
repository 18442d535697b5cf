#include "infer/jinja_methods.h"

#include "infer/jinja_format.h"
#include "infer/jinja_text.h"

#include <algorithm>
#include <array>

namespace matryx::jinja {

namespace {

constexpr std::array<std::string_view, 18> kMethods = {
    "strip",      "lstrip",  "rstrip", "split", "startswith", "endswith", "upper", "lower", "title",
    "capitalize", "replace", "join",   "find",  "count",      "get",      "items", "keys",  "values"};

// startswith/endswith take a string or a tuple of strings.
bool matchesAffix(const std::string& text, const Value& affix, bool atStart, const std::string& method) {
    if (affix.isList() && affix.isTuple()) {
        return std::any_of(affix.items().begin(), affix.items().end(),
                           [&](const Value& one) { return matchesAffix(text, one, atStart, method); });
    }
    if (!affix.isString()) fail(method + " first arg must be str or a tuple of str, not " + affix.typeName());
    const std::string& a = affix.string();
    if (a.size() > text.size()) return false;
    return atStart ? text.compare(0, a.size(), a) == 0
                   : text.compare(text.size() - a.size(), a.size(), a) == 0;
}

Value stringMethod(const std::string& text, const std::string& name, const CallArgs& args,
                   const Limits& limits) {
    const std::string qualified = "str." + name;
    if (name == "strip" || name == "lstrip" || name == "rstrip") {
        BoundArguments bound(args, {"chars"}, qualified);
        const bool hasChars = bound.has(0) && !bound[0].isNone();
        const std::string chars = hasChars ? bound.string(0, "") : std::string();
        const StripSide side = name == "strip"    ? StripSide::Both
                               : name == "lstrip" ? StripSide::Left
                                                  : StripSide::Right;
        return Value(stripText(text, hasChars ? &chars : nullptr, side));
    }
    if (name == "split") {
        BoundArguments bound(args, {"sep", "maxsplit"}, qualified);
        const bool hasSeparator = bound.has(0) && !bound[0].isNone();
        const std::string separator = hasSeparator ? bound.string(0, "") : std::string();
        if (hasSeparator && separator.empty()) fail("empty separator");
        ValueList parts;
        for (std::string& part : splitText(text, hasSeparator ? &separator : nullptr, bound.integer(1, -1)))
            parts.emplace_back(std::move(part));
        if (parts.size() > limits.maxItems)
            failLimit("split() result exceeds the limit of " + std::to_string(limits.maxItems) + " items");
        return Value::list(std::move(parts));
    }
    if (name == "startswith" || name == "endswith") {
        BoundArguments bound(args, {"affix"}, qualified);
        return Value(matchesAffix(text, bound.required(0), name == "startswith", qualified));
    }
    if (name == "upper" || name == "lower" || name == "title" || name == "capitalize") {
        BoundArguments bound(args, {}, qualified);
        return Value(name == "upper"   ? upperText(text)
                     : name == "lower" ? lowerText(text)
                     : name == "title" ? pythonTitle(text)
                                       : capitalizeText(text));
    }
    if (name == "replace") {
        BoundArguments bound(args, {"old", "new", "count"}, qualified);
        return Value(replaceText(text, bound.string(0, ""), bound.string(1, ""), bound.integer(2, -1),
                                 limits.maxBytes));
    }
    if (name == "join") {
        BoundArguments bound(args, {"iterable"}, qualified);
        std::string out;
        bool first = true;
        for (const Value& item : iterate(bound.required(0))) {
            if (!item.isString())
                fail(std::string("sequence item: expected str instance, ") + item.typeName() + " found");
            if (out.size() + text.size() + item.string().size() > limits.maxBytes)
                failLimit("join() result exceeds the output limit of " + std::to_string(limits.maxBytes) +
                          " bytes");
            if (!first) out += text;
            first = false;
            out += item.string();
        }
        return Value(std::move(out));
    }
    if (name == "find" || name == "count") {
        BoundArguments bound(args, {"sub"}, qualified);
        const std::string needle = bound.string(0, "");
        bound.required(0);
        return Value(static_cast<int64_t>(name == "find" ? findText(text, needle) : countText(text, needle)));
    }
    fail("'str' object has no method '" + name + "'");
}

Value dictMethod(const ValueDict& dict, const std::string& name, const CallArgs& args) {
    const std::string qualified = "dict." + name;
    if (name == "get") {
        BoundArguments bound(args, {"key", "default"}, qualified);
        const Value& key = bound.required(0);
        const Value* found = key.isString() ? dict.find(key.string()) : nullptr;
        return found ? *found : bound.get(1, Value(nullptr));
    }
    if (name != "items" && name != "keys" && name != "values")
        fail("'dict' object has no method '" + name + "'");
    BoundArguments bound(args, {}, qualified);
    ValueList out;
    for (const auto& [key, value] : dict.entries()) {
        if (name == "items")
            out.push_back(Value::list({Value(key), value}, true));
        else if (name == "keys")
            out.emplace_back(key);
        else
            out.push_back(value);
    }
    return Value::list(std::move(out));
}

} // namespace

bool isKnownMethod(std::string_view name) {
    return std::find(kMethods.begin(), kMethods.end(), name) != kMethods.end();
}

Value callMethod(const Value& object, const std::string& name, const CallArgs& args, const Limits& limits) {
    if (object.isUndefined()) fail(object.undefinedHint());
    if (object.isString()) return stringMethod(object.string(), name, args, limits);
    if (object.isDict()) return dictMethod(object.dictionary(), name, args);
    fail(std::string("'") + object.typeName() + "' object has no method '" + name + "'");
}

} // namespace matryx::jinja
