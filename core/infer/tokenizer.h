#pragma once

// Text to token ids and back, giving the ids llama.cpp gives for the same vocabulary
// (llama_tokenize / llama_detokenize / llama_token_to_piece).
//
//   auto tokenizer = makeTokenizer(vocabulary);           // Result<std::unique_ptr<Tokenizer>>
//   auto ids = (*tokenizer)->encode("<|im_start|>user\nHi", true, true);
//   std::string text = (*tokenizer)->decode(ids);
//
// Supported: byte-level BPE ("gpt2", with the pre-tokenizers of pre_tokenizer_presets.h) and
// SentencePiece BPE ("llama"). A Tokenizer is immutable after construction; every method is
// safe to call from several threads at once.

#include "base/error.h"
#include "infer/special_token_splitter.h"
#include "infer/token_attributes.h"
#include "infer/vocabulary.h"

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace matryx {

struct DecodeOptions {
    // Leave out a leading BOS and a trailing EOS that encode(addSpecial) would have added.
    bool removeSpecial = false;
    // Write control and unknown tokens as their text ("<|im_end|>"); otherwise they give nothing.
    bool renderSpecial = false;
};

class Tokenizer {
public:
    virtual ~Tokenizer();
    Tokenizer(const Tokenizer&) = delete;
    Tokenizer& operator=(const Tokenizer&) = delete;

    // The ids of `text` (any bytes; invalid UTF-8 is read as llama.cpp reads it).
    // addSpecial: BOS first and EOS last when the vocabulary's add_bos / add_eos say so.
    // parseSpecial: control and unknown tokens written in the text ("<|im_start|>") become their
    // ids; user-defined tokens always do. Otherwise such text is tokenized like any other.
    std::vector<TokenId> encode(std::string_view text, bool addSpecial, bool parseSpecial) const;

    // The text of `ids`, with llama_detokenize's rules: the space SentencePiece put before the
    // first word is dropped (when add_space_prefix is set and the first id is not a removed BOS),
    // and for vocabularies that ask for it spaces before punctuation and contractions are
    // cleaned up (" ," -> ","). Ids outside the vocabulary give nothing.
    std::string decode(std::span<const TokenId> ids, DecodeOptions options = {}) const;

    // The bytes of one token, for streaming output: byte tokens as their byte, byte-level BPE
    // spelling undone, SentencePiece's "▁" as a space; control and unknown tokens give nothing
    // unless renderSpecial. A piece may end inside a UTF-8 character that the next piece
    // completes: hold such tails back (Utf8StreamDecoder). The view lives as long as the
    // Tokenizer. No space cleanup (decode's) applies to pieces.
    std::string_view tokenPiece(TokenId id, bool renderSpecial = false) const;

    const Vocabulary& vocabulary() const noexcept { return vocab_; }
    const TokenAttributes& attributes() const noexcept { return attributes_; }
    // Things a user may want to know about the vocabulary that did not stop the tokenizer
    // (llama.cpp logs the same warnings), e.g. a missing tokenizer.ggml.pre.
    const std::vector<std::string>& warnings() const noexcept { return warnings_; }

    // What encode() and decode() do around the text, from the vocabulary and pre-tokenizer.
    struct Settings {
        bool addBos = false;
        bool addEos = false;
        bool addSpacePrefix = false;
        bool cleanSpaces = false;
    };
    const Settings& settings() const noexcept { return settings_; }

protected:
    Tokenizer(Vocabulary vocab, Settings settings);

    // Appends the ids of one stretch of plain text (no special tokens in it). `afterSpecial` is
    // true at the start of the text and after a special token.
    virtual void encodeText(std::string_view text, bool afterSpecial, std::vector<TokenId>& out) const = 0;
    // The bytes a normal (not control, byte or user-defined) token stands for.
    virtual std::string normalPiece(std::string_view tokenText) const = 0;

    // Fills the piece cache; derived constructors call it once their state is ready.
    void buildPieces();
    void addWarning(std::string warning) { warnings_.push_back(std::move(warning)); }

    Vocabulary vocab_;
    TokenAttributes attributes_;
    Settings settings_;

private:
    SpecialTokenSplitter splitter_;
    std::vector<std::string> pieces_; // as with renderSpecial
    std::vector<std::string> warnings_;
};

// The tokenizer for a vocabulary. Fails, naming the vocabulary's file and the field, for
// tokenizer models Matryx does not tokenize ("bert", "t5", others, or none), for a
// tokenizer.ggml.pre that llama.cpp does not know or that Matryx has no pre-tokenizer for, and
// when add_bos / add_eos is set without a BOS / EOS token.
Result<std::unique_ptr<Tokenizer>> makeTokenizer(const Vocabulary& vocabulary);

} // namespace matryx
