#pragma once

// Finds special tokens written in text ("<|im_start|>", "<start_of_turn>") and cuts the text
// around them, with the result of llama.cpp's tokenizer_st_partition:
//   - candidates are the control, user-defined and unknown tokens; without parseSpecial only the
//     user-defined ones (which Hugging Face also matches in plain text);
//   - longer texts win: candidates are tried from the longest down (ties in llama.cpp's order),
//     each taking its leftmost non-overlapping occurrences in the text still left;
//   - tokens with the lstrip / rstrip attribute also swallow the ASCII whitespace before / after
//     them.
// All occurrences are collected in one pass over the text with a trie of the candidate texts,
// so the cost does not grow with the number of special tokens (Gemma has over 6,000).

#include "infer/token_attributes.h"
#include "infer/vocabulary.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace matryx {

struct TextFragment {
    size_t offset = 0;    // into the text passed to split()
    size_t length = 0;
    TokenId token = -1;   // the special token, or -1 for plain text to tokenize

    bool isToken() const noexcept { return token >= 0; }
};

class SpecialTokenSplitter {
public:
    SpecialTokenSplitter(const Vocabulary& vocab, const TokenAttributes& attributes);

    // The text as plain fragments and special tokens, in order. An empty text gives nothing.
    std::vector<TextFragment> split(std::string_view text, bool parseSpecial) const;

private:
    struct Node {
        uint32_t firstChild = 0; // index into edges_, children sorted by byte
        uint16_t childCount = 0;
        int32_t rank = -1;       // position in the priority order of the candidate ending here
    };
    struct Edge {
        unsigned char byte;
        uint32_t node;
    };
    struct Candidate {
        TokenId id;
        uint32_t length;
        bool plainText;  // also matched without parseSpecial
        bool lstrip;
        bool rstrip;
    };

    const Node* child(const Node& node, unsigned char byte) const noexcept;

    std::vector<Candidate> candidates_; // priority order
    std::vector<Node> nodes_;
    std::vector<Edge> edges_;
};

} // namespace matryx
