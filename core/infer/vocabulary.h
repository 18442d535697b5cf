#pragma once

// A model's vocabulary as GGUF metadata describes it (tokenizer.ggml.*), checked and unpacked
// once so that tokenizers, detokenizers and chat templates share it. Hugging Face folders are
// imported into the same keys by the format readers.
//
// Where the metadata is silent, the fields hold the defaults llama.cpp assumes for the
// tokenizer model (llama-vocab.cpp), so that a tokenizer built on them gives llama.cpp's ids:
//   special ids   "llama": BOS 1, EOS 2, UNK 0; "gpt2": BOS = EOS = 11 (none for the chatglm
//                 pre-tokenizers); "bert": BOS 101, UNK 100, SEP 102, PAD 0, MASK 103;
//                 "t5": EOS 1, UNK 2, PAD 0. A default outside the vocabulary is dropped.
//   add_bos       true for "llama" and "bert", and for "gpt2" with the pre-tokenizers llama.cpp
//                 marks so (llama3, tekken, chameleon); add_eos true for "t5" only.
//   add_space_prefix  true for "llama" only.
// An empty token text becomes "[EMPTY_<id>]", as llama.cpp renames it.

#include "base/error.h"
#include "format/metadata.h"

#include <cstdint>
#include <functional>
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
    std::string source;       // the file it was read from, for errors
    TokenizerKind kind = TokenizerKind::None;
    std::string modelName;    // tokenizer.ggml.model as written
    std::string pre;          // tokenizer.ggml.pre (pre-tokenizer for BPE), "" if absent
    std::vector<std::string> tokens;
    std::vector<float> scores;          // empty if absent
    std::vector<TokenType> types;       // one per token (Normal if absent)
    std::vector<std::string> merges;    // "a b" pairs, BPE only

    std::optional<TokenId> bos, eos, eot, eom, unk, pad, sep, cls, mask;
    // Fill-in-the-middle tokens (tokenizer.ggml.fim_*_token_id, or the older prefix/suffix/middle).
    std::optional<TokenId> fimPre, fimSuf, fimMid, fimPad, fimRep, fimSep;
    bool addBos = false;
    bool addEos = false;
    bool addSpacePrefix = false;
    std::string chatTemplate;           // tokenizer.chat_template, "" if absent
    // general.name and general.architecture: llama.cpp strips spaces around special tokens of
    // some models chosen by these (Phi-3, jina, modern-bert).
    std::string generalName;
    std::string architecture;

    size_t size() const noexcept { return tokens.size(); }
    bool contains(TokenId id) const noexcept { return id >= 0 && static_cast<size_t>(id) < tokens.size(); }
    // The token's text; empty for ids outside the vocabulary.
    std::string_view text(TokenId id) const noexcept;
    TokenType type(TokenId id) const noexcept;
    // Exact lookup of a token's text, or nullopt. A text held by several tokens finds the first.
    std::optional<TokenId> find(std::string_view text) const;

    // Reads and checks tokenizer.ggml.* (array lengths agree, special ids inside the vocabulary).
    // `source` names the file in errors.
    static Result<Vocabulary> fromMetadata(const Metadata& metadata, std::string_view source);

private:
    struct TextHash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, TokenId, TextHash, std::equal_to<>> index_;
};

} // namespace matryx
