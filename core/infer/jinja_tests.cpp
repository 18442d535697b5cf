// Jinja's tests (the "is" operator), see jinja_filters.h.

#include "infer/jinja_filters.h"

#include <algorithm>
#include <array>

namespace matryx::jinja {

namespace {

constexpr std::array<std::string_view, 38> kTests = {
    "boolean",  "callable", "defined",  "divisibleby", "eq",    "equalto", "==",  "escaped",
    "even",     "false",    "float",    "ge",          ">=",    "gt",      ">",   "greaterthan",
    "in",       "integer",  "iterable", "le",          "<=",    "lower",   "lt",  "<",
    "lessthan", "mapping",  "ne",       "!=",          "none",  "number",  "odd", "sameas",
    "sequence", "string",   "true",     "undefined",   "upper", "filter"};

int64_t remainder(const Value& value, const Value& divisor) {
    const Value r = binaryOperation(BinaryOp::Modulo, value, divisor, Limits{});
    return r.isInteger() ? r.integer() : (r.number() == 0.0 ? 0 : r.number() == 1.0 ? 1 : 2);
}

// str.islower()/isupper(): at least one cased character, and none of the other case.
bool hasOnlyCase(const Value& value, bool lower) {
    if (!value.isString()) return false;
    bool cased = false;
    for (const char c : value.string()) {
        const bool isLower = c >= 'a' && c <= 'z';
        const bool isUpper = c >= 'A' && c <= 'Z';
        if ((lower && isUpper) || (!lower && isLower)) return false;
        cased = cased || isLower || isUpper;
    }
    return cased;
}

bool isSameObject(const Value& a, const Value& b) {
    if (a.kind() != b.kind()) return false;
    switch (a.kind()) {
    case Value::Kind::None:
    case Value::Kind::Bool:
        return a.equals(b);
    case Value::Kind::Namespace:
    case Value::Kind::Callable:
        return a.equals(b);
    default:
        return false;
    }
}

} // namespace

bool isKnownTest(std::string_view name) {
    return name != "filter" && std::find(kTests.begin(), kTests.end(), name) != kTests.end();
}

bool applyTest(std::string_view name, const Value& value, const CallArgs& args) {
    const std::string function(name);
    using Kind = Value::Kind;
    if (name == "defined" || name == "undefined") {
        BoundArguments bound(args, {}, function);
        return value.isUndefined() == (name == "undefined");
    }
    if (name == "none" || name == "boolean" || name == "false" || name == "true" || name == "integer" ||
        name == "float" || name == "number" || name == "string" || name == "mapping" || name == "iterable" ||
        name == "sequence" || name == "callable" || name == "escaped" || name == "lower" || name == "upper" ||
        name == "odd" || name == "even") {
        BoundArguments bound(args, {}, function);
        if (name == "none") return value.isNone();
        if (name == "boolean") return value.kind() == Kind::Bool;
        if (name == "false") return value.kind() == Kind::Bool && !value.boolean();
        if (name == "true") return value.kind() == Kind::Bool && value.boolean();
        if (name == "integer") return value.kind() == Kind::Int;
        if (name == "float") return value.kind() == Kind::Float;
        if (name == "number") return value.isNumber();
        if (name == "string") return value.isString();
        if (name == "mapping") return value.isDict();
        if (name == "iterable" || name == "sequence")
            return value.isString() || value.isList() || value.isDict() || value.isUndefined();
        if (name == "callable") return value.kind() == Kind::Callable;
        if (name == "escaped") return false;
        if (name == "lower" || name == "upper") return hasOnlyCase(value, name == "lower");
        return remainder(value, Value(2)) == (name == "odd" ? 1 : 0);
    }
    BoundArguments bound(args, {"other"}, function);
    const Value& other = bound.required(0);
    if (name == "divisibleby") return remainder(value, other) == 0;
    if (name == "sameas") return isSameObject(value, other);
    if (name == "in") return contains(other, value);
    if (name == "eq" || name == "equalto" || name == "==")
        return compareValues(CompareOp::Equal, value, other);
    if (name == "ne" || name == "!=") return compareValues(CompareOp::NotEqual, value, other);
    if (name == "lt" || name == "<" || name == "lessthan")
        return compareValues(CompareOp::Less, value, other);
    if (name == "le" || name == "<=") return compareValues(CompareOp::LessEqual, value, other);
    if (name == "gt" || name == ">" || name == "greaterthan")
        return compareValues(CompareOp::Greater, value, other);
    if (name == "ge" || name == ">=") return compareValues(CompareOp::GreaterEqual, value, other);
    fail("no test named '" + function + "'");
}

} // namespace matryx::jinja
