#pragma once

// How the template engine reports failures inside itself. The lexer, parser and evaluator throw
// TemplateError; ChatTemplate catches it at its API boundary and returns an Error value, so no
// exception leaves the library.

#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <utility>

namespace matryx::jinja {

enum class ErrorKind {
    Syntax,      // the text is not a valid template
    Unsupported, // valid Jinja, but a construct this engine does not implement
    Runtime,     // the template failed while rendering (type error, undefined value, ...)
    Raised,      // the template called raise_exception(message)
    Limit,       // a limit from the render options was hit
};

class TemplateError : public std::exception {
public:
    TemplateError(ErrorKind kind, std::string message, std::optional<size_t> position = std::nullopt)
        : kind(kind), message(std::move(message)), position(position) {}
    const char* what() const noexcept override { return message.c_str(); }

    ErrorKind kind;
    std::string message;
    std::optional<size_t> position; // byte offset in the template; filled in by the evaluator
};

// A runtime error at the position of the expression being evaluated.
[[noreturn]] inline void fail(std::string message) {
    throw TemplateError(ErrorKind::Runtime, std::move(message));
}

[[noreturn]] inline void failLimit(std::string message) {
    throw TemplateError(ErrorKind::Limit, std::move(message));
}

} // namespace matryx::jinja
