#pragma once

// The pre-tokenizers of byte-level BPE vocabularies, keyed by tokenizer.ggml.pre, as llama.cpp
// defines them (llama-vocab.cpp, llm_tokenizer_bpe and the tokenizer_pre table).
//
// A preset is a list of regular expressions applied in turn: the first splits the text into
// its matches and the text between them, each later one splits every piece of the one before in
// the same way. Patterns are written in llama.cpp's dialect; pre_tokenizer.h turns them into
// PCRE2 patterns with llama.cpp's meaning of \s, \d and the letter sub-categories.
//
// Names llama.cpp knows but that need its hand-written splitters or a different tokenizer model
// (kimi-k2, afmoe, tiny_aya, cohere2moe, gemma4, mmbert, sarvam-moe, whitespace,
// granite-embed-multi-311m) are recognised and reported as unsupported.

#include <span>
#include <string_view>

namespace matryx {

struct PreTokenizerPreset {
    std::string_view name;                      // a tokenizer.ggml.pre value
    std::span<const std::string_view> patterns; // applied in order
    bool cleanSpaces = true;    // detokenizing removes the space in " ,", " 's", ... (llama.cpp's clean_spaces)
    bool ignoreMerges = false;  // a piece that is itself a token is taken whole, without merges
    bool addBos = false;        // llama.cpp's add_bos_token when the file does not say
    bool noBos = false;         // llama.cpp assumes no BOS token when the file names none
};

// The preset for a tokenizer.ggml.pre value; "" gives the default preset (llama.cpp warns and
// does the same). nullptr for names without a preset.
const PreTokenizerPreset* findPreTokenizerPreset(std::string_view pre) noexcept;

// True for names llama.cpp knows that Matryx has no preset for (see above).
bool isUnsupportedPreTokenizer(std::string_view pre) noexcept;

} // namespace matryx
