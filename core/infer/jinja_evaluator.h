#pragma once

// Walks a parsed template and writes its output, with Jinja's scoping: each for-loop iteration
// and each macro call has its own variables ({% set %} inside them is not seen outside, which is
// why templates use namespace()), while if-blocks share their surroundings. Macros see the
// template's top-level variables and their own arguments. Output size, loop iterations in total,
// macro recursion and value nesting are bounded by Limits.

#include "infer/jinja_ast.h"
#include "infer/jinja_builtins.h"
#include "infer/jinja_operators.h"

#include <cstdint>
#include <string>

namespace matryx::jinja {

struct RenderInputs {
    ValueDict variables; // the template's context: messages, bos_token, add_generation_prompt, ...
    Limits limits;
    int64_t now = 0; // seconds since 1970 UTC, for strftime_now
};

// Renders `program`. Throws TemplateError carrying the position of the failing node.
std::string renderProgram(const Program& program, const RenderInputs& inputs);

} // namespace matryx::jinja
