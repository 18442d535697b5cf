#include "infer/jinja_text.h"

#include "infer/jinja_error.h"

#include <algorithm>

namespace matryx::jinja {

namespace {

constexpr char32_t kEscapedByteBase = 0xDC00;

bool isAsciiUpper(char32_t c) {
    return c >= 'A' && c <= 'Z';
}
bool isAsciiLower(char32_t c) {
    return c >= 'a' && c <= 'z';
}
char32_t toUpper(char32_t c) {
    return isAsciiLower(c) ? c - 32 : c;
}
char32_t toLower(char32_t c) {
    return isAsciiUpper(c) ? c + 32 : c;
}
// ASCII letters, plus every non-ASCII code point (see the header: no case tables).
bool isLetter(char32_t c) {
    return isAsciiUpper(c) || isAsciiLower(c) || (c >= 0x80 && !isPythonSpace(c));
}

bool isLineBreak(char32_t c) {
    return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || (c >= 0x1C && c <= 0x1E) || c == 0x85 ||
           c == 0x2028 || c == 0x2029;
}

template <class Map> std::string mapCodepoints(std::string_view text, Map map) {
    std::u32string cps = decodeUtf8(text);
    for (size_t i = 0; i < cps.size(); ++i)
        cps[i] = map(i, cps);
    return encodeUtf8(cps);
}

} // namespace

std::u32string decodeUtf8(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        const auto b0 = static_cast<unsigned char>(text[i]);
        size_t length = b0 < 0x80           ? 1
                        : (b0 >> 5) == 0x6  ? 2
                        : (b0 >> 4) == 0xE  ? 3
                        : (b0 >> 3) == 0x1E ? 4
                                            : 0;
        char32_t cp = length == 1 ? b0 : length == 2 ? (b0 & 0x1F) : length == 3 ? (b0 & 0x0F) : (b0 & 0x07);
        bool valid = length != 0 && i + length <= text.size();
        for (size_t k = 1; valid && k < length; ++k) {
            const auto b = static_cast<unsigned char>(text[i + k]);
            valid = (b & 0xC0) == 0x80;
            cp = (cp << 6) | (b & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are as invalid as stray bytes.
        static constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
        valid = valid && cp >= kMinimum[length] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
        if (!valid) {
            out.push_back(kEscapedByteBase + b0);
            ++i;
            continue;
        }
        out.push_back(cp);
        i += length;
    }
    return out;
}

void appendUtf8(std::string& out, char32_t cp) {
    if (cp >= kEscapedByteBase + 0x80 && cp <= kEscapedByteBase + 0xFF) {
        out.push_back(static_cast<char>(cp - kEscapedByteBase));
    } else if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string encodeUtf8(std::u32string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char32_t c : text)
        appendUtf8(out, c);
    return out;
}

size_t codepointCount(std::string_view text) {
    if (std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
        return text.size();
    return decodeUtf8(text).size();
}

bool isPythonSpace(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
           c == 0x3000;
}

std::string stripText(std::string_view text, const std::string* chars, StripSide side) {
    const std::u32string cps = decodeUtf8(text);
    const std::u32string set = chars ? decodeUtf8(*chars) : std::u32string();
    auto strip = [&](char32_t c) { return chars ? set.find(c) != std::u32string::npos : isPythonSpace(c); };
    size_t begin = 0;
    size_t end = cps.size();
    if (side != StripSide::Right)
        while (begin < end && strip(cps[begin]))
            ++begin;
    if (side != StripSide::Left)
        while (end > begin && strip(cps[end - 1]))
            --end;
    return encodeUtf8(std::u32string_view(cps).substr(begin, end - begin));
}

std::vector<std::string> splitText(std::string_view text, const std::string* separator, long long maxSplit) {
    std::vector<std::string> parts;
    if (separator) {
        size_t start = 0;
        while (maxSplit < 0 || static_cast<long long>(parts.size()) < maxSplit) {
            const size_t at = text.find(*separator, start);
            if (at == std::string_view::npos) break;
            parts.emplace_back(text.substr(start, at - start));
            start = at + separator->size();
        }
        parts.emplace_back(text.substr(start));
        return parts;
    }
    const std::u32string cps = decodeUtf8(text);
    size_t i = 0;
    while (i < cps.size()) {
        while (i < cps.size() && isPythonSpace(cps[i]))
            ++i;
        if (i == cps.size()) break;
        if (maxSplit >= 0 && static_cast<long long>(parts.size()) == maxSplit) {
            size_t end = cps.size();
            while (end > i && isPythonSpace(cps[end - 1]))
                --end;
            parts.push_back(encodeUtf8(std::u32string_view(cps).substr(i, end - i)));
            break;
        }
        const size_t start = i;
        while (i < cps.size() && !isPythonSpace(cps[i]))
            ++i;
        parts.push_back(encodeUtf8(std::u32string_view(cps).substr(start, i - start)));
    }
    return parts;
}

std::vector<std::string> splitLines(std::string_view text) {
    const std::u32string cps = decodeUtf8(text);
    std::vector<std::string> lines;
    size_t start = 0;
    size_t i = 0;
    while (i < cps.size()) {
        if (!isLineBreak(cps[i])) {
            ++i;
            continue;
        }
        lines.push_back(encodeUtf8(std::u32string_view(cps).substr(start, i - start)));
        i += (cps[i] == '\r' && i + 1 < cps.size() && cps[i + 1] == '\n') ? 2 : 1;
        start = i;
    }
    if (start < cps.size()) lines.push_back(encodeUtf8(std::u32string_view(cps).substr(start)));
    return lines;
}

std::string replaceText(std::string_view text, std::string_view from, std::string_view to, long long count,
                        size_t maxBytes) {
    std::string out;
    auto append = [&](std::string_view piece) {
        if (out.size() + piece.size() > maxBytes)
            failLimit("replace() result exceeds the output limit of " + std::to_string(maxBytes) + " bytes");
        out.append(piece);
    };
    long long done = 0;
    if (from.empty()) {
        // Python inserts the replacement before every code point and at the end.
        const std::u32string cps = decodeUtf8(text);
        for (const char32_t c : cps) {
            if (count < 0 || done < count) {
                append(to);
                ++done;
            }
            std::string encoded;
            appendUtf8(encoded, c);
            append(encoded);
        }
        if (count < 0 || done < count) append(to);
        return out;
    }
    size_t start = 0;
    while (count < 0 || done < count) {
        const size_t at = text.find(from, start);
        if (at == std::string_view::npos) break;
        append(text.substr(start, at - start));
        append(to);
        start = at + from.size();
        ++done;
    }
    append(text.substr(start));
    return out;
}

long long countText(std::string_view text, std::string_view needle) {
    if (needle.empty()) return static_cast<long long>(codepointCount(text)) + 1;
    long long n = 0;
    for (size_t at = text.find(needle); at != std::string_view::npos;
         at = text.find(needle, at + needle.size()))
        ++n;
    return n;
}

long long findText(std::string_view text, std::string_view needle) {
    const size_t at = text.find(needle);
    return at == std::string_view::npos ? -1 : static_cast<long long>(codepointCount(text.substr(0, at)));
}

std::string upperText(std::string_view text) {
    return mapCodepoints(text, [](size_t i, const std::u32string& s) { return toUpper(s[i]); });
}

std::string lowerText(std::string_view text) {
    return mapCodepoints(text, [](size_t i, const std::u32string& s) { return toLower(s[i]); });
}

std::string capitalizeText(std::string_view text) {
    return mapCodepoints(
        text, [](size_t i, const std::u32string& s) { return i == 0 ? toUpper(s[i]) : toLower(s[i]); });
}

std::string pythonTitle(std::string_view text) {
    return mapCodepoints(text, [](size_t i, const std::u32string& s) {
        const bool wordStart = i == 0 || !isLetter(s[i - 1]);
        return wordStart ? toUpper(s[i]) : toLower(s[i]);
    });
}

std::string jinjaTitle(std::string_view text) {
    auto separator = [](char32_t c) {
        return isPythonSpace(c) || c == '-' || c == '(' || c == '{' || c == '[' || c == '<';
    };
    return mapCodepoints(text, [&](size_t i, const std::u32string& s) {
        if (separator(s[i])) return s[i];
        return (i == 0 || separator(s[i - 1])) ? toUpper(s[i]) : toLower(s[i]);
    });
}

} // namespace matryx::jinja
