#pragma once

// A model's vocabulary as GGUF metadata describes it (tokenizer.ggml.*), checked and unpacked
// once so that tokenizers, detokenizers and chat templates share it. Hugging Face folders are
// imported into the same keys by the format readers.

#include "base/error.h"
#include "format/metadata.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace matryx {

using TokenId = int32_t;

// tokenizer.ggml.model
enum class TokenizerKind {
    None,          // "none": no vocabulary
    BytePairBpe,   // "gpt2": GPT-2 style byte-level BPE with merges
    SentencePiece, // "llama": SentencePiece BPE with scores and byte fallback
    WordPiece,     // "bert"
    Unigram,       // "t5"
    Other,         // a model name Matryx does not tokenize (kept in modelName)
};

// llama.cpp's llama_token_type values, as stored in tokenizer.ggml.token_type.
enum class TokenType : int32_t { Undefined = 0, Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };

struct Vocabulary {
    TokenizerKind kind = TokenizerKind::None;
    std::string modelName;    // tokenizer.ggml.model as written
    std::string pre;          // tokenizer.ggml.pre (pre-tokenizer for BPE), "" if absent
    std::vector<std::string> tokens;
    std::vector<float> scores;          // empty if absent
    std::vector<TokenType> types;       // one per token (Normal if absent)
    std::vector<std::string> merges;    // "a b" pairs, BPE only

    std::optional<TokenId> bos, eos, eot, eom, unk, pad, sep, cls, mask;
    bool addBos = false;
    bool addEos = false;
    bool addSpacePrefix = false;
    std::string chatTemplate;           // tokenizer.chat_template, "" if absent

    size_t size() const noexcept { return tokens.size(); }
    bool contains(TokenId id) const noexcept { return id >= 0 && static_cast<size_t>(id) < tokens.size(); }
    // The token's text; empty for ids outside the vocabulary.
    std::string_view text(TokenId id) const noexcept;
    TokenType type(TokenId id) const noexcept;
    // Exact lookup of a token's text, or nullopt.
    std::optional<TokenId> find(std::string_view text) const;

    // Reads and checks tokenizer.ggml.* (array lengths agree, special ids inside the vocabulary).
    // `source` names the file in errors.
    static Result<Vocabulary> fromMetadata(const Metadata& metadata, std::string_view source);

private:
    std::unordered_map<std::string, TokenId> index_;
};

} // namespace matryx
