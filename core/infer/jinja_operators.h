#pragma once

// Python's operators on template values, as Jinja evaluates them: arithmetic (64-bit integers
// that fail on overflow instead of growing), comparisons, "in", attribute and item lookup with
// Jinja's undefined rules, slicing and iteration. Failures throw TemplateError (runtime or
// limit); the evaluator adds the position.

#include "infer/jinja_ast.h"
#include "infer/jinja_value.h"

#include <cstddef>
#include <optional>
#include <string>

namespace matryx::jinja {

// Bounds on what one render may build; see ChatRenderOptions for the public defaults.
struct Limits {
    size_t maxBytes = 1 << 20; // any string, and the output
    size_t maxItems = 100000;  // any list, and loop iterations in total
    int maxValueDepth = 64;    // nesting of lists and dicts
    int maxCallDepth = 64;     // macros calling macros
};

Value binaryOperation(BinaryOp op, const Value& left, const Value& right, const Limits& limits);
Value negate(const Value& operand);
bool compareValues(CompareOp op, const Value& left, const Value& right);
// Python's a < b; fails for types Python cannot order.
bool lessThan(const Value& left, const Value& right);
bool contains(const Value& container, const Value& item);

// obj.name: dict entries and namespace attributes; undefined (with a hint) for anything else.
// Fails when obj itself is undefined, as Jinja does.
Value getAttribute(const Value& object, const std::string& name);
// obj[key]: list and string indices (negative from the end), dict keys; undefined when missing.
Value getItem(const Value& object, const Value& key);
// obj[start:stop:step] on lists, tuples and strings (by code point), with Python's rules.
Value sliceValue(const Value& object, const Value& start, const Value& stop, const Value& step);
// The items a for loop visits: list items, dict keys, string characters; nothing for undefined.
ValueList iterate(const Value& value);
// len(); fails for values without a length.
size_t lengthOf(const Value& value);

} // namespace matryx::jinja
