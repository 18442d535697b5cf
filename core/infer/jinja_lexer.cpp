#include "infer/jinja_lexer.h"

#include "infer/jinja_error.h"
#include "infer/jinja_text.h"

#include <array>
#include <charconv>
#include <cstdlib>

namespace matryx::jinja {

namespace {

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isNameChar(char c) {
    return isNameStart(c) || isDigit(c);
}
int hexValue(char c) {
    if (isDigit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

[[noreturn]] void syntaxError(size_t position, std::string message) {
    throw TemplateError(ErrorKind::Syntax, std::move(message), position);
}

// Python's unicode-escape decoding of a string literal's body.
std::string unescape(std::string_view body, size_t position) {
    std::string out;
    for (size_t i = 0; i < body.size(); ++i) {
        if (body[i] != '\\' || i + 1 == body.size()) {
            out += body[i];
            continue;
        }
        const char c = body[++i];
        switch (c) {
        case '\n':
            break;
        case '\\':
            out += '\\';
            break;
        case '\'':
            out += '\'';
            break;
        case '"':
            out += '"';
            break;
        case 'a':
            out += '\a';
            break;
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        case 'v':
            out += '\v';
            break;
        case 'x':
        case 'u':
        case 'U': {
            const size_t width = c == 'x' ? 2 : c == 'u' ? 4 : 8;
            char32_t cp = 0;
            for (size_t k = 0; k < width; ++k) {
                const int h = i + 1 + k < body.size() ? hexValue(body[i + 1 + k]) : -1;
                if (h < 0)
                    syntaxError(position, std::string("truncated \\") + c + " escape in string literal");
                cp = cp * 16 + static_cast<char32_t>(h);
            }
            if (cp > 0x10FFFF) syntaxError(position, "illegal Unicode character in string literal");
            appendUtf8(out, cp);
            i += width;
            break;
        }
        case 'N':
            throw TemplateError(ErrorKind::Unsupported,
                                "\\N{...} escapes in string literals are not supported", position);
        default:
            if (c >= '0' && c <= '7') {
                char32_t cp = 0;
                size_t k = 0;
                for (; k < 3 && i + k < body.size() && body[i + k] >= '0' && body[i + k] <= '7'; ++k)
                    cp = cp * 8 + static_cast<char32_t>(body[i + k] - '0');
                appendUtf8(out, cp);
                i += k - 1;
            } else {
                out += '\\';
                out += c;
            }
        }
    }
    return out;
}

class Lexer {
public:
    explicit Lexer(std::string_view source) : src_(source) {}

    std::vector<Token> run() {
        while (pos_ < src_.size()) {
            const size_t tag = findTagStart(pos_);
            if (tag == std::string_view::npos) {
                addText(std::string(src_.substr(pos_)), pos_);
                break;
            }
            const char type = src_[tag + 1];
            const char sign = tag + 2 < src_.size() ? src_[tag + 2] : '\0';
            std::string text(src_.substr(pos_, tag - pos_));
            applyLeftControl(text, sign, type != '{');
            addText(std::move(text), pos_);
            if (type == '#')
                skipComment(tag);
            else if (type == '%' && readRaw(tag))
                continue;
            else
                readTag(tag, type, sign);
        }
        tokens_.push_back(Token{TokenKind::End, {}, 0, 0.0, src_.size()});
        return std::move(tokens_);
    }

private:
    size_t findTagStart(size_t from) const {
        for (size_t at = src_.find('{', from); at != std::string_view::npos; at = src_.find('{', at + 1))
            if (at + 1 < src_.size() && (src_[at + 1] == '{' || src_[at + 1] == '%' || src_[at + 1] == '#'))
                return at;
        return std::string_view::npos;
    }

    // Whitespace before a tag: '-' strips it all; otherwise lstrip_blocks removes the indentation
    // of a block or comment tag that starts its line.
    void applyLeftControl(std::string& text, char sign, bool lstripApplies) const {
        if (sign == '-') {
            size_t end = text.size();
            while (end > 0 && isSpace(text[end - 1]))
                --end;
            text.resize(end);
        } else if (sign != '+' && lstripApplies) {
            const size_t lineStart = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
            bool blank = lineStart < text.size();
            for (size_t i = lineStart; i < text.size() && blank; ++i)
                blank = isSpace(text[i]);
            if (blank && (lineStart > 0 || lineStarting_)) text.resize(lineStart);
        }
    }

    // Whitespace after a block or comment end: '-' strips it all, '+' keeps it, otherwise
    // trim_blocks drops one newline.
    void applyRightControl(char sign, bool trimNewline) {
        if (sign == '-') {
            while (pos_ < src_.size() && isSpace(src_[pos_]))
                ++pos_;
        } else if (sign != '+' && trimNewline && pos_ < src_.size() && src_[pos_] == '\n') {
            ++pos_;
        }
        lineStarting_ = pos_ > 0 && src_[pos_ - 1] == '\n';
    }

    void addText(std::string text, size_t position) {
        if (!text.empty()) tokens_.push_back(Token{TokenKind::Text, std::move(text), 0, 0.0, position});
    }

    void skipComment(size_t tag) {
        const size_t contentStart =
            tag + 2 + ((src_.size() > tag + 2 && (src_[tag + 2] == '-' || src_[tag + 2] == '+')) ? 1 : 0);
        const size_t end = src_.find("#}", contentStart);
        if (end == std::string_view::npos) syntaxError(tag, "missing end of comment tag");
        const char sign = end > contentStart ? src_[end - 1] : '\0';
        pos_ = end + 2;
        applyRightControl(sign == '-' || sign == '+' ? sign : '\0', true);
    }

    // {% raw %}: everything up to {% endraw %} is text. Returns false if the tag is not raw.
    bool readRaw(size_t tag) {
        size_t p = skipTagWords(tag + 2, "raw");
        if (p == std::string_view::npos) return false;
        if (src_.compare(p, 3, "-%}") == 0) {
            pos_ = p + 3;
            applyRightControl('-', false);
        } else if (src_.compare(p, 2, "%}") == 0) {
            pos_ = p + 2;
            lineStarting_ = false;
        } else {
            return false;
        }
        for (size_t at = findTagStart(pos_); at != std::string_view::npos; at = findTagStart(at + 1)) {
            if (src_[at + 1] != '%') continue;
            const size_t q = skipTagWords(at + 2, "endraw");
            if (q == std::string_view::npos) continue;
            const char endSign = src_[q] == '-' || src_[q] == '+' ? src_[q] : '\0';
            if (src_.compare(q + (endSign ? 1 : 0), 2, "%}") != 0) continue;
            std::string text(src_.substr(pos_, at - pos_));
            const char sign = at + 2 < src_.size() ? src_[at + 2] : '\0';
            applyLeftControl(text, sign, true);
            addText(std::move(text), pos_);
            pos_ = q + (endSign ? 1 : 0) + 2;
            applyRightControl(endSign, true);
            return true;
        }
        syntaxError(tag, "missing end of raw directive ({% endraw %})");
    }

    // After "{%", an optional sign, whitespace, `word`, whitespace: the position after them, or npos.
    size_t skipTagWords(size_t p, std::string_view word) const {
        if (p < src_.size() && (src_[p] == '-' || src_[p] == '+')) ++p;
        while (p < src_.size() && isSpace(src_[p]))
            ++p;
        if (src_.compare(p, word.size(), word) != 0 ||
            (p + word.size() < src_.size() && isNameChar(src_[p + word.size()])))
            return std::string_view::npos;
        p += word.size();
        while (p < src_.size() && isSpace(src_[p]))
            ++p;
        return p;
    }

    void readTag(size_t tag, char type, char sign) {
        const bool block = type == '%';
        tokens_.push_back(Token{block ? TokenKind::BlockBegin : TokenKind::VariableBegin, {}, 0, 0.0, tag});
        pos_ = tag + 2 + ((sign == '-' || sign == '+') ? 1 : 0);
        std::string brackets;
        for (;;) {
            while (pos_ < src_.size() && isSpace(src_[pos_]))
                ++pos_;
            if (pos_ >= src_.size())
                syntaxError(tag, std::string("unexpected end of template, expected '") +
                                     (block ? "%}" : "}}") + "'");
            if (brackets.empty() && readTagEnd(block)) return;
            readToken(brackets);
        }
    }

    bool readTagEnd(bool block) {
        const std::string_view end = block ? "%}" : "}}";
        const size_t start = pos_;
        char sign = '\0';
        if ((src_[pos_] == '-' || (block && src_[pos_] == '+')) && src_.compare(pos_ + 1, 2, end) == 0)
            sign = src_[pos_];
        else if (src_.compare(pos_, 2, end) != 0)
            return false;
        pos_ += (sign ? 1 : 0) + 2;
        tokens_.push_back(Token{block ? TokenKind::BlockEnd : TokenKind::VariableEnd, {}, 0, 0.0, start});
        applyRightControl(sign, block);
        return true;
    }

    void readToken(std::string& brackets) {
        const size_t start = pos_;
        const char c = src_[pos_];
        if (isDigit(c)) {
            readNumber();
        } else if (isNameStart(c)) {
            while (pos_ < src_.size() && isNameChar(src_[pos_]))
                ++pos_;
            tokens_.push_back(
                Token{TokenKind::Name, std::string(src_.substr(start, pos_ - start)), 0, 0.0, start});
        } else if (c == '\'' || c == '"') {
            size_t p = pos_ + 1;
            while (p < src_.size() && src_[p] != c)
                p += src_[p] == '\\' ? 2 : 1;
            if (p >= src_.size()) syntaxError(start, "unterminated string literal");
            tokens_.push_back(Token{TokenKind::String, unescape(src_.substr(pos_ + 1, p - pos_ - 1), start),
                                    0, 0.0, start});
            pos_ = p + 1;
        } else {
            readOperator(brackets);
        }
    }

    void readNumber() {
        const size_t start = pos_;
        auto digits = [&] {
            while (pos_ < src_.size() &&
                   (isDigit(src_[pos_]) ||
                    (src_[pos_] == '_' && pos_ + 1 < src_.size() && isDigit(src_[pos_ + 1]))))
                ++pos_;
        };
        digits();
        bool isFloat = false;
        if (pos_ + 1 < src_.size() && src_[pos_] == '.' && isDigit(src_[pos_ + 1]) &&
            (start == 0 || src_[start - 1] != '.')) {
            ++pos_;
            digits();
            isFloat = true;
        }
        if (pos_ < src_.size() && (src_[pos_] == 'e' || src_[pos_] == 'E')) {
            size_t p = pos_ + 1;
            if (p < src_.size() && (src_[p] == '+' || src_[p] == '-')) ++p;
            if (p < src_.size() && isDigit(src_[p])) {
                pos_ = p;
                digits();
                isFloat = true;
            }
        }
        std::string text;
        for (const char ch : src_.substr(start, pos_ - start))
            if (ch != '_') text += ch;
        Token token{isFloat ? TokenKind::Float : TokenKind::Integer, text, 0, 0.0, start};
        if (isFloat) {
            token.number = std::strtod(text.c_str(), nullptr);
        } else {
            if (text.size() > 1 && text[0] == '0' && text.find_first_not_of('0') != std::string::npos)
                throw TemplateError(ErrorKind::Unsupported,
                                    "integer literals with a base prefix or leading zeros are not supported",
                                    start);
            const auto result = std::from_chars(text.data(), text.data() + text.size(), token.integer);
            if (result.ec != std::errc())
                throw TemplateError(ErrorKind::Unsupported, "integer literal " + text + " is too large",
                                    start);
        }
        tokens_.push_back(std::move(token));
    }

    void readOperator(std::string& brackets) {
        static constexpr std::array<std::string_view, 6> kTwoChar = {"//", "**", "==", "!=", ">=", "<="};
        static constexpr std::string_view kOneChar = "+-/*%~[](){}><=.:|,;";
        const size_t start = pos_;
        std::string op;
        for (const std::string_view candidate : kTwoChar)
            if (src_.compare(pos_, 2, candidate) == 0) op = candidate;
        if (op.empty() && kOneChar.find(src_[pos_]) != std::string_view::npos)
            op = std::string(1, src_[pos_]);
        if (op.empty()) syntaxError(start, std::string("unexpected character '") + src_[pos_] + "' in tag");
        pos_ += op.size();
        if (op == "(" || op == "[" || op == "{") {
            brackets += op == "(" ? ')' : op == "[" ? ']' : '}';
        } else if (op == ")" || op == "]" || op == "}") {
            if (brackets.empty()) syntaxError(start, "unexpected '" + op + "'");
            if (brackets.back() != op[0])
                syntaxError(start, "unexpected '" + op + "', expected '" + brackets.back() + "'");
            brackets.pop_back();
        }
        tokens_.push_back(Token{TokenKind::Operator, std::move(op), 0, 0.0, start});
    }

    std::string_view src_;
    size_t pos_ = 0;
    bool lineStarting_ = true;
    std::vector<Token> tokens_;
};

} // namespace

std::string normalizeTemplateSource(std::string_view source) {
    std::string out;
    out.reserve(source.size());
    for (size_t i = 0; i < source.size(); ++i) {
        if (source[i] == '\r') {
            out += '\n';
            if (i + 1 < source.size() && source[i + 1] == '\n') ++i;
        } else {
            out += source[i];
        }
    }
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

std::vector<Token> tokenizeTemplate(std::string_view normalizedSource) {
    return Lexer(normalizedSource).run();
}

} // namespace matryx::jinja
