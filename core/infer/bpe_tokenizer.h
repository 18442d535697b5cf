#pragma once

// Byte-level BPE ("gpt2" vocabularies: GPT-2, Llama 3, Qwen2, SmolLM, ...) as llama.cpp runs it
// (llm_tokenizer_bpe_session): the pre-tokenizer chosen by tokenizer.ggml.pre splits the text,
// each piece is spelled in the byte-level alphabet and merged by merge rank (lowest first,
// leftmost first among equals), and the resulting symbols become ids. A symbol that is not a
// token falls back to the single-character tokens of its bytes, and is dropped where there is
// none, as in llama.cpp.

#include "base/error.h"
#include "infer/tokenizer.h"

#include <memory>

namespace matryx {

// Fails for a tokenizer.ggml.pre without a preset (field tokenizer.ggml.pre). A missing pre
// uses the default preset and adds a warning, as llama.cpp does.
Result<std::unique_ptr<Tokenizer>> makeBpeTokenizer(const Vocabulary& vocabulary);

} // namespace matryx
