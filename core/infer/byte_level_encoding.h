#pragma once

// GPT-2's byte-level alphabet: each of the 256 byte values stands for one printable code point
// (printable Latin-1 bytes for themselves, the others for U+0100 upwards in byte order), so that
// a BPE vocabulary spells arbitrary bytes with visible characters ("Ġ" for a space).

#include <string>
#include <string_view>

namespace matryx {

// The UTF-8 form of the code point that stands for `byte`.
std::string_view byteLevelChar(unsigned char byte) noexcept;

// Appends the byte-level spelling of every byte of `bytes` to `out`.
void appendByteLevel(std::string& out, std::string_view bytes);

// Undoes the byte-level spelling of a vocabulary token, as llama.cpp's detokenizer does: a code
// point outside the alphabet is written as "[UNK_BYTE_0x<its UTF-8 in hex><the token>]".
std::string decodeByteLevel(std::string_view token);

} // namespace matryx
