#pragma once

// The Python methods a template may call on values, and only these: str.strip, lstrip, rstrip,
// split, startswith, endswith, upper, lower, title, capitalize, replace, join, find, count;
// dict.get, items, keys, values. Anything else, on any object, is refused, so a template cannot
// reach Python-style attributes such as __class__ or mutate shared values (list.append).

#include "infer/jinja_arguments.h"
#include "infer/jinja_operators.h"

#include <string>
#include <string_view>

namespace matryx::jinja {

// Whether `name` is one of the methods above (for any type); the parser refuses other calls.
bool isKnownMethod(std::string_view name);

// object.name(args); fails (runtime) when the object has no such method or arguments are wrong.
Value callMethod(const Value& object, const std::string& name, const CallArgs& args, const Limits& limits);

} // namespace matryx::jinja
