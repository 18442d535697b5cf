#pragma once

// SentencePiece BPE ("llama" vocabularies: Llama 2, Mistral, Gemma) as llama.cpp runs it
// (llm_tokenizer_spm_session): spaces become "▁" (with one put in front of the text when
// add_space_prefix is set and the text starts the input or follows a special token), the text is
// cut into UTF-8 characters, and neighbouring symbols are merged while their concatenation is a
// token, highest score first (leftmost first among equals). Symbols that are not tokens become
// byte tokens "<0xNN>"; where a vocabulary has none for a byte, its unknown token is used
// (llama.cpp would stop with an exception).

#include "base/error.h"
#include "infer/tokenizer.h"

#include <memory>

namespace matryx {

Result<std::unique_ptr<Tokenizer>> makeSentencePieceTokenizer(const Vocabulary& vocabulary);

} // namespace matryx
