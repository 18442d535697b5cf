#pragma once

// UTF-8 as llama.cpp's tokenizers read it (unicode.cpp), so that Matryx splits text into the same
// code points, invalid bytes included.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace matryx {

constexpr uint32_t kReplacementCharacter = 0xFFFD;

// The length of the sequence a lead byte announces: 1 for ASCII and for stray continuation
// bytes, 2, 3 or 4 by the high bits alone (llama.cpp's unicode_len_utf8).
size_t utf8SequenceLength(char lead) noexcept;

// The code points of `text`. A byte that does not start a complete sequence becomes U+FFFD and
// decoding goes on at the next byte. Overlong forms and surrogates are decoded as written, and a
// four-byte form may give a value above U+10FFFF, as llama.cpp does.
std::vector<uint32_t> decodeUtf8(std::string_view text);

// Appends the UTF-8 form of `cpt`; values above U+10FFFF are written as U+FFFD.
void appendUtf8(std::string& out, uint32_t cpt);

// Unicode's White_Space property (PropList.txt), which is what llama.cpp calls whitespace.
bool isUnicodeWhitespace(uint32_t cpt) noexcept;

// The number of bytes at the end of `bytes` that begin a UTF-8 sequence still missing bytes
// (0 to 3): what a streaming writer should hold back until the next piece arrives.
size_t incompleteUtf8Tail(std::string_view bytes) noexcept;

} // namespace matryx
