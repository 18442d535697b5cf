#include "infer/token_attributes.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string_view>

namespace matryx {

namespace {

using Texts = std::initializer_list<std::string_view>;

const Texts kEotTexts = {"<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>",
                         "<|end_of_text|>", "<EOT>", "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>",
                         "<end_of_utterance>"};
const Texts kEomTexts = {"<|eom_id|>"};
const Texts kFimPreTexts = {"<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>",
                            "▁<PRE>", "<|code_prefix|>", "<|prefix|>"};
const Texts kFimSufTexts = {"<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>",
                            "▁<SUF>", "<|code_suffix|>", "<|suffix|>"};
const Texts kFimMidTexts = {"<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>",
                            "▁<MID>", "<|code_middle|>", "<|middle|>"};
const Texts kFimPadTexts = {"<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"};
const Texts kFimRepTexts = {"<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"};
const Texts kFimSepTexts = {"<|file_sep|>"};
const Texts kEogTexts = {"<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>",
                         "<|calls|>", "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>",
                         "[EOT]", "[EOS]", "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>",
                         "<|tool_response>", "<｜end▁of▁sentence｜>", "[e~["};

bool isOneOf(std::string_view text, const Texts& texts) {
    return std::find(texts.begin(), texts.end(), text) != texts.end();
}

uint16_t attributeOfType(TokenType type) {
    switch (type) {
    case TokenType::Unknown: return kAttrUnknown;
    case TokenType::Unused: return kAttrUnused;
    case TokenType::Normal: return kAttrNormal;
    case TokenType::Control: return kAttrControl;
    case TokenType::UserDefined: return kAttrUserDefined;
    case TokenType::Byte: return kAttrByte;
    case TokenType::Undefined: return kAttrUndefined;
    }
    return kAttrUndefined;
}

bool containsAny(std::string_view text, Texts parts) {
    return std::any_of(parts.begin(), parts.end(), [&](std::string_view p) { return text.find(p) != text.npos; });
}

} // namespace

bool TokenAttributes::isEndOfGeneration(TokenId id) const noexcept {
    return std::binary_search(endOfGeneration.begin(), endOfGeneration.end(), id);
}

TokenAttributes computeTokenAttributes(const Vocabulary& vocab) {
    TokenAttributes result;
    const size_t n = vocab.size();
    result.flags.resize(n);
    for (size_t i = 0; i < n; ++i)
        result.flags[i] = attributeOfType(vocab.type(static_cast<TokenId>(i)));
    auto& flags = result.flags;
    auto makeControl = [&](size_t id) { flags[id] |= kAttrControl; };

    // Roles the file leaves open are filled by text; the token found becomes a control token.
    result.eot = vocab.eot;
    result.eom = vocab.eom;
    std::optional<TokenId> fimPre = vocab.fimPre, fimSuf = vocab.fimSuf, fimMid = vocab.fimMid;
    std::optional<TokenId> fimPad = vocab.fimPad, fimRep = vocab.fimRep, fimSep = vocab.fimSep;
    struct Role {
        std::optional<TokenId>* id;
        const Texts* texts;
    };
    const Role roles[] = {{&result.eot, &kEotTexts}, {&result.eom, &kEomTexts}, {&fimPre, &kFimPreTexts},
                          {&fimSuf, &kFimSufTexts},  {&fimMid, &kFimMidTexts}, {&fimPad, &kFimPadTexts},
                          {&fimRep, &kFimRepTexts},  {&fimSep, &kFimSepTexts}};
    for (const Role& role : roles) {
        if (*role.id)
            continue;
        for (size_t i = 0; i < n; ++i) {
            if (isOneOf(vocab.tokens[i], *role.texts)) {
                *role.id = static_cast<TokenId>(i);
                makeControl(i);
                break;
            }
        }
    }

    std::vector<TokenId> eog;
    for (const auto& id : {fimPad, fimRep, fimSep})
        if (id)
            eog.push_back(*id);
    for (size_t i = 0; i < n; ++i) {
        if (isOneOf(vocab.tokens[i], kEogTexts)) {
            eog.push_back(static_cast<TokenId>(i));
            makeControl(i);
        }
    }

    for (size_t i = 0; i < n; ++i) {
        const std::string_view text = vocab.tokens[i];
        if (text == "<|channel|>" || text == "<|message|>" || text == "<|start|>" || text == "<|constrain|>")
            flags[i] = kAttrUserDefined;
    }

    for (const auto& id : {vocab.eos, result.eot, result.eom})
        if (id)
            eog.push_back(*id);
    std::sort(eog.begin(), eog.end());
    eog.erase(std::unique(eog.begin(), eog.end()), eog.end());

    auto eogWithText = [&](std::string_view text) -> std::optional<TokenId> {
        for (const TokenId id : eog)
            if (vocab.text(id) == text)
                return id;
        return std::nullopt;
    };
    const auto end = eogWithText("<|end|>");
    const bool harmony = eogWithText("<|return|>") && (eogWithText("<|call|>") || eogWithText("<|calls|>"));
    const bool solar = (eogWithText("<|call|>") || eogWithText("<|calls|>")) && eogWithText("<|flush|>");
    if (end && (harmony || solar)) {
        eog.erase(std::find(eog.begin(), eog.end(), *end));
        flags[static_cast<size_t>(*end)] = kAttrUserDefined;
    }
    const auto closing = eogWithText("</s>");
    if (closing && (eogWithText("<|tool_response>") || eogWithText("<|plamo:eos|>"))) {
        eog.erase(std::find(eog.begin(), eog.end(), *closing));
        flags[static_cast<size_t>(*closing)] = kAttrNormal;
    }
    result.endOfGeneration = std::move(eog);

    // Space stripping around special tokens, chosen by llama.cpp from the model's names.
    std::string name = vocab.generalName;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto setFlag = [&](std::string_view text, uint16_t attribute, bool on) {
        if (const auto id = vocab.find(text)) {
            auto& f = flags[static_cast<size_t>(*id)];
            f = on ? static_cast<uint16_t>(f | attribute) : static_cast<uint16_t>(f & ~attribute);
        }
    };
    if (containsAny(vocab.pre, {"jina-v2-de", "jina-v2-es", "jina-v2-code", "mmbert"}) ||
        containsAny(vocab.architecture, {"nomic-bert-moe", "jina-bert-v3"})) {
        setFlag("<mask>", kAttrLStrip, true);
    } else if (containsAny(name, {"phi-3", "phi3"})) {
        for (auto& f : flags)
            if (f & (kAttrControl | kAttrUserDefined | kAttrUnknown))
                f |= kAttrRStrip;
        setFlag("</s>", kAttrRStrip, true);
        for (const std::string_view text : {"<unk>", "<s>", "<|endoftext|>"})
            setFlag(text, kAttrRStrip, false);
    } else if (containsAny(name, {"modern-bert"})) {
        setFlag("[MASK]", kAttrLStrip, true);
    }
    return result;
}

} // namespace matryx
