#pragma once

// Special tokens, "add BOS/EOS" flags, chat template and normalizer flags of a Hugging Face
// tokenizer, found the way gguf-py's SpecialVocab finds them:
//  - tokenizer_config.json names the tokens ("bos_token": "<s>" or {"content": "<s>"}); their ids
//    come from tokenizer.json's "added_tokens". A missing bos falls back to cls, eos to sep.
//  - tokenizer.json's post_processor (ByteLevel, RobertaProcessing, TemplateProcessing) decides
//    add_bos / add_eos / add_sep (and may name bos, eos, cls, sep or move the old eos to eot);
//    "add_bos_token" etc. in tokenizer_config.json only fill what it leaves open.
//  - config.json's "<type>_token_id" fill the ids still unknown.
//  - chat_template: tokenizer_config.json's (a string, or a list of {name, template}), else the
//    folder's chat_template.jinja.
// Keys written: tokenizer.ggml.{bos,eos,unknown,seperator,padding,cls,mask,eot,eom}_token_id
// (uint32; "seperator" is llama.cpp's spelling), tokenizer.ggml.add_{bos,eos,sep}_token (bool),
// tokenizer.chat_template[.<name>], tokenizer.chat_templates, tokenizer.ggml.normalizer.
// {lowercase,strip_accents}. Values of the wrong JSON type are ignored, as SpecialVocab does.

#include "format/metadata.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>

namespace matryx {

struct HfSpecialTokenSources {
    const nlohmann::json* tokenizer = nullptr;       // tokenizer.json, if any
    const nlohmann::json* tokenizerConfig = nullptr; // tokenizer_config.json, if any
    const nlohmann::json* config = nullptr;          // config.json, if any
    const std::string* chatTemplateFile = nullptr;   // chat_template.jinja, if any
    uint64_t vocabSize = UINT64_MAX;                 // ids at or above are ignored
};

void importHfSpecialTokens(const HfSpecialTokenSources& in, Metadata& out);

} // namespace matryx
