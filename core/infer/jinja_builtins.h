#pragma once

// The global functions a chat template may call: range, namespace, dict, and the two that
// Hugging Face adds, raise_exception(message) (fails the render with the template's message)
// and strftime_now(format) (formats the render's clock, which callers fix for reproducible
// output). Macros are called by the evaluator, not here.

#include "infer/jinja_arguments.h"
#include "infer/jinja_operators.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace matryx::jinja {

bool isBuiltinFunction(std::string_view name);

// `now` is seconds since 1970-01-01 UTC, read by strftime_now. Fails with a runtime error on bad
// arguments, a limit error for ranges past limits.maxItems, and ErrorKind::Raised for
// raise_exception.
Value callBuiltin(std::string_view name, const CallArgs& args, const Limits& limits, int64_t now);

// C's strftime for the UTC time `seconds`, in the C locale: %a %A %b %B %d %e %H %I %j %m %M %p
// %S %y %Y %Z %z %%. Other conversions fail as unsupported.
std::string formatUtcTime(int64_t seconds, std::string_view format);

} // namespace matryx::jinja
