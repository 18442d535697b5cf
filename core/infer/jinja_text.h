#pragma once

// Python's str operations on UTF-8 text, as chat templates use them: code point counting and
// slicing, whitespace stripping and splitting, case changes, replace, find and count. Bytes that
// are not valid UTF-8 are carried through unchanged as one code point each (0xDC80..0xDCFF, as
// Python's surrogateescape does), so no operation loses or invents bytes.
//
// Case mapping covers ASCII only; other letters keep their case but count as letters, so that
// title() and capitalize() still find word starts in accented text.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace matryx::jinja {

std::u32string decodeUtf8(std::string_view text);
void appendUtf8(std::string& out, char32_t codepoint);
std::string encodeUtf8(std::u32string_view text);
// Number of code points, which is what Python's len() counts.
size_t codepointCount(std::string_view text);

// Python's str.isspace() for one code point.
bool isPythonSpace(char32_t c);

enum class StripSide { Both, Left, Right };
// str.strip/lstrip/rstrip: whitespace when `chars` is null, else any code point in *chars.
std::string stripText(std::string_view text, const std::string* chars, StripSide side);
// str.split: on runs of whitespace when `separator` is null (dropping empty parts), else on the
// separator (which must not be empty; the caller checks). maxSplit < 0 means no limit.
std::vector<std::string> splitText(std::string_view text, const std::string* separator, long long maxSplit);
// str.splitlines() (without keepends), on \n, \r\n, \r, \v, \f, \x1c-\x1e, \x85, U+2028, U+2029.
std::vector<std::string> splitLines(std::string_view text);
// str.replace; count < 0 replaces all. Stops with a limit error past maxBytes.
std::string replaceText(std::string_view text, std::string_view from, std::string_view to, long long count,
                        size_t maxBytes);
// str.count (non-overlapping) and str.find (code point index or -1).
long long countText(std::string_view text, std::string_view needle);
long long findText(std::string_view text, std::string_view needle);

std::string upperText(std::string_view text);
std::string lowerText(std::string_view text);
// str.capitalize(): first code point upper case, the rest lower case.
std::string capitalizeText(std::string_view text);
// str.title(): a letter after a non-letter becomes upper case, other letters lower case.
std::string pythonTitle(std::string_view text);
// Jinja's title filter: words start after spaces, '-', '(', '{', '[' and '<'.
std::string jinjaTitle(std::string_view text);

} // namespace matryx::jinja
