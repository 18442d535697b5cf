#pragma once

// Values turned into text exactly as Python does it: str() for {{ }} output and the string
// filter, repr() inside printed lists and dicts, float repr (shortest round-trip digits), and
// json.dumps() for the tojson filter that Hugging Face's chat template renderer defines
// (ensure_ascii=False unless asked, Python's separators, optional indent and sort_keys).
//
// Every function appends to `out` and fails with a limit error (jinja_error.h) once `out` would
// pass maxBytes, since values share storage and can expand far beyond their own size.

#include "infer/jinja_value.h"

#include <optional>
#include <string>

namespace matryx::jinja {

std::string pythonFloatRepr(double value);

// Python's str(): strings as they are, None as "None", lists as "[1, 'a']", undefined as "".
void appendStr(std::string& out, const Value& value, size_t maxBytes);
// Python's repr(): strings quoted and escaped.
void appendRepr(std::string& out, const Value& value, size_t maxBytes);
std::string toStr(const Value& value, size_t maxBytes);

struct JsonOptions {
    std::optional<std::string> indent; // json.dumps(indent=...) as the string put per level
    std::string itemSeparator = ", ";  // ", " without indent, "," with indent (Python's defaults)
    std::string keySeparator = ": ";
    bool sortKeys = false;
    bool ensureAscii = false;
};
// json.dumps(value); fails (runtime error) for undefined, namespaces and callables, as Python's
// json module does for objects it cannot serialize.
void appendJson(std::string& out, const Value& value, const JsonOptions& options, size_t maxBytes);

} // namespace matryx::jinja
