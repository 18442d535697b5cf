#pragma once

// What each token is, as llama.cpp decides it when it loads a vocabulary (llama-vocab.cpp): the
// token types of tokenizer.ggml.token_type, corrected the way llama.cpp corrects them, plus the
// end-of-generation set. Tokenizers use the attributes to find special tokens in text and to
// hide control tokens when detokenizing; chat uses the end-of-generation set to stop.
//
// The corrections, in llama.cpp's order:
//   - when the file names no EOT (EOM, FIM ...) token, the first token (lowest id) with a text
//     llama.cpp associates with that role ("<|im_end|>", "<end_of_turn>", "<|fim_prefix|>", ...)
//     takes the role and becomes a control token;
//   - tokens with end-of-generation texts ("<|eot_id|>", "</s>", "<eos>", ...) become control
//     tokens and join EOS, EOT, EOM and the FIM pad/repo/separator tokens in the EOG set;
//   - "<|channel|>", "<|message|>", "<|start|>", "<|constrain|>" become user-defined;
//   - "<|end|>" leaves the EOG set and becomes user-defined next to "<|return|>" + "<|call|>" or
//     "<|calls|>" + "<|flush|>"; "</s>" becomes normal next to "<|tool_response>" or "<|plamo:eos|>";
//   - spaces next to some special tokens are stripped for models llama.cpp names: "<mask>" strips
//     on its left for the jina-v2 pre-tokenizers and the nomic-bert-moe / jina-bert-v3
//     architectures, "[MASK]" for modern-bert, and for Phi-3 every special token strips on its
//     right except "<unk>", "<s>", "<|endoftext|>" (and "</s>" does too).

#include "infer/vocabulary.h"

#include <cstdint>
#include <vector>

namespace matryx {

// llama.cpp's llama_token_attr bits.
enum TokenAttribute : uint16_t {
    kAttrUndefined = 0,
    kAttrUnknown = 1 << 0,
    kAttrUnused = 1 << 1,
    kAttrNormal = 1 << 2,
    kAttrControl = 1 << 3,
    kAttrUserDefined = 1 << 4,
    kAttrByte = 1 << 5,
    kAttrLStrip = 1 << 7,
    kAttrRStrip = 1 << 8,
};

struct TokenAttributes {
    std::vector<uint16_t> flags;              // one per token
    std::vector<TokenId> endOfGeneration;     // sorted, no duplicates
    std::optional<TokenId> eot, eom;          // from the file, or found by their text

    bool has(TokenId id, uint16_t attribute) const noexcept {
        return id >= 0 && static_cast<size_t>(id) < flags.size() && (flags[static_cast<size_t>(id)] & attribute);
    }
    bool isEndOfGeneration(TokenId id) const noexcept;
};

TokenAttributes computeTokenAttributes(const Vocabulary& vocab);

} // namespace matryx
