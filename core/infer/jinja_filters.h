#pragma once

// Jinja's filters ({{ x | name(args) }}) and tests ({% if x is name %}) that chat templates use,
// with Jinja's semantics; tojson is Hugging Face's version (json.dumps with ensure_ascii off).
// Filters: abs, capitalize, count, d, default, dictsort, e, escape, first, float, indent, int,
// items, join, last, length, list, lower, map, max, min, reject, rejectattr, replace, reverse,
// round, safe, select, selectattr, sort, string, sum, title, tojson, trim, unique, upper.
// Tests: boolean, callable, defined, divisibleby, eq/equalto/==, escaped, even, false, float,
// ge/>=, gt/>/greaterthan, in, integer, iterable, le/<=, lower, lt/</lessthan, mapping,
// ne/!=, none, number, odd, sameas, sequence, string, true, undefined, upper.
// Both fail with a runtime TemplateError on bad arguments, as Jinja raises.

#include "infer/jinja_arguments.h"
#include "infer/jinja_operators.h"

#include <string_view>

namespace matryx::jinja {

bool isKnownFilter(std::string_view name);
bool isKnownTest(std::string_view name);

Value applyFilter(std::string_view name, const Value& input, const CallArgs& args, const Limits& limits);
bool applyTest(std::string_view name, const Value& input, const CallArgs& args);

// Jinja's attribute paths for filter arguments ("a.b", "items.0"): each part looked up as a
// dict key, or as an index where it is all digits.
Value lookupPath(const Value& item, const std::string& path);

} // namespace matryx::jinja
