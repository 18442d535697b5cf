#pragma once

// Joins token pieces into text that can be shown as it streams: a piece may end in the middle of
// a UTF-8 character (a byte token, or a byte-level BPE token holding part of an emoji), and that
// tail is held back until the following piece completes it.
//
//   Utf8StreamDecoder stream;
//   for (TokenId id : generated) show(stream.push(tokenizer.tokenPiece(id)));
//   show(stream.finish());

#include <string>
#include <string_view>

namespace matryx {

class Utf8StreamDecoder {
public:
    // The bytes of everything pushed so far that can be shown now: all of it except an
    // unfinished UTF-8 sequence at its end (at most three bytes). Invalid bytes are passed on.
    std::string push(std::string_view piece);

    // What is still held back (an unfinished sequence at the very end of the stream), after
    // which the decoder is empty again.
    std::string finish();

    bool holding() const noexcept { return !pending_.empty(); }

private:
    std::string pending_;
};

} // namespace matryx
