#pragma once

// Splits a template into tokens the way Jinja's lexer does with Hugging Face's settings
// (trim_blocks and lstrip_blocks on, keep_trailing_newline off): text between tags, tag
// delimiters, and the names, literals and operators inside tags. Whitespace control is applied
// here, so the parser sees text exactly as it will be printed:
//   {%- / {{- / {#-  strip all whitespace before the tag; -%} / -}} / -#} all whitespace after;
//   a block or comment tag alone on its line loses the indentation before it (lstrip_blocks)
//   unless written {%+, and the first newline after it (trim_blocks) unless written +%}.
// Comments are dropped; {% raw %}...{% endraw %} becomes text.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace matryx::jinja {

enum class TokenKind {
    Text,
    VariableBegin,
    VariableEnd,
    BlockBegin,
    BlockEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    End
};

struct Token {
    TokenKind kind = TokenKind::End;
    std::string text; // Text and String: the value; Name: the name; Operator: the symbol
    int64_t integer = 0;
    double number = 0.0;
    size_t position = 0; // byte offset in the normalized source

    bool isOperator(std::string_view op) const { return kind == TokenKind::Operator && text == op; }
    bool isName(std::string_view name) const { return kind == TokenKind::Name && text == name; }
};

// Jinja's newline handling before lexing: \r\n and \r become \n, and one trailing newline is
// dropped. Token positions refer to this text.
std::string normalizeTemplateSource(std::string_view source);

// Throws TemplateError (syntax) with the position of the problem; the last token is End.
std::vector<Token> tokenizeTemplate(std::string_view normalizedSource);

} // namespace matryx::jinja
