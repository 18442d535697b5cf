#pragma once

// Imports a Hugging Face tokenizer.json (with tokenizer_config.json and config.json) as GGUF
// tokenizer metadata, following llama.cpp's converter (convert_hf_to_gguf.py, gguf-py vocab.py):
//
//   model.type                          tokenizer.ggml.model
//   BPE without byte_fallback           "gpt2"   (byte-level BPE: GPT-2, Llama 3, Qwen2, SmolLM)
//   BPE with byte_fallback              "llama"  (SentencePiece BPE: Llama 2, Mistral, Gemma)
//   Unigram                             "llama"  (SentencePiece Unigram)
//   WordPiece                           "bert"
//
// tokenizer.ggml.tokens holds one entry per id up to max(highest id + 1, config vocab_size);
// ids no token uses become "[PAD<id>]" of type UNUSED. tokenizer.ggml.token_type (INT32) uses
// llama.cpp's values: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte.
// Added tokens are control when "special" (or when they look special: "<|...|>", "<unused..>",
// ...), else user-defined, with SentencePiece's "▁" turned back into spaces.
//  - gpt2: tokenizer.ggml.merges ("a b"; spaces inside a part written as U+0120).
//  - llama: tokenizer.ggml.pre = "default"; "<0xNN>" tokens are byte tokens, the unknown token
//    is unknown; tokenizer.ggml.scores (FLOAT32): Unigram's own scores; for BPE, which stores
//    merges instead of scores, -(rank + 1) of the first merge producing the token (so that
//    llama.cpp's score-ordered merging applies merges in the same order), lower than every merge
//    for other tokens, 0 for byte and unknown tokens, -1000 for added tokens (special ones too,
//    as the converter scores them).
//  - bert: tokens in llama.cpp's "phantom space" form (a word-initial "x" becomes "▁x", a
//    continuation "##x" becomes "x"; control tokens unchanged) and tokenizer.ggml.token_type_count
//    from config.json's type_vocab_size.
// tokenizer.ggml.pre for gpt2 and bert is left out: llama.cpp derives it from a hash of the
// tokenizer's output on a test text, which needs the tokenizer itself; llama.cpp falls back to
// its default pre-tokenizer. Special tokens, flags and chat template: hf_special_tokens.h.
// Other model types are left without tokenizer metadata (not an error).

#include "base/error.h"
#include "format/metadata.h"

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace matryx {

struct HfTokenizerSources {
    const nlohmann::json* tokenizer = nullptr;       // tokenizer.json; nothing is imported without it
    const nlohmann::json* tokenizerConfig = nullptr; // tokenizer_config.json, if any
    const nlohmann::json* config = nullptr;          // config.json, if any
    const std::string* chatTemplateFile = nullptr;   // chat_template.jinja, if any
    std::string architecture;                        // the GGUF architecture (hf_config_import.h)
    std::string tokenizerFile = "tokenizer.json";    // paths for errors
    std::string configFile = "config.json";
};

// Appends the tokenizer keys to `out`. Fails, naming the field (`model.vocab["x"]`,
// `added_tokens[3].id`), when tokenizer.json has fields of the wrong type, negative ids, or a
// vocabulary size far beyond the tokens it defines (which would only allocate padding).
Status importHfTokenizer(const HfTokenizerSources& in, Metadata& out);

} // namespace matryx
