#include "infer/vocabulary.h"

#include "infer/pre_tokenizer_presets.h"

namespace matryx {

namespace {

constexpr std::string_view kPrefix = "tokenizer.ggml.";

TokenizerKind kindFromName(std::string_view name) {
    if (name == "none" || name == "no_vocab" || name.empty())
        return TokenizerKind::None;
    if (name == "gpt2")
        return TokenizerKind::BytePairBpe;
    if (name == "llama")
        return TokenizerKind::SentencePiece;
    if (name == "bert")
        return TokenizerKind::WordPiece;
    if (name == "t5")
        return TokenizerKind::Unigram;
    return TokenizerKind::Other;
}

class VocabularyReader {
public:
    VocabularyReader(const Metadata& metadata, std::string_view source) : metadata_(metadata), source_(source) {}

    Error error(std::string_view key, std::string message) const {
        return makeError(source_, std::string(key), std::nullopt, std::move(message));
    }

    // An array of `element` values (or nullptr if the key is absent); an error if it has another type.
    Result<const MetaValue*> array(std::string_view key, std::initializer_list<MetaType> elements) const {
        const MetaValue* value = metadata_.find(key);
        if (!value)
            return static_cast<const MetaValue*>(nullptr);
        if (!value->isArray())
            return error(key, "expected an array, found " + std::string(metaTypeName(value->type())));
        for (const MetaType t : elements)
            if (value->arrayType() == t)
                return value;
        return error(key, "unexpected element type " + std::string(metaTypeName(value->arrayType())));
    }

    Result<std::optional<TokenId>> tokenId(std::string_view key, size_t vocabSize) const {
        const MetaValue* value = metadata_.find(key);
        if (!value)
            return std::optional<TokenId>();
        const auto id = value->toSigned();
        if (!id)
            return error(key, "expected an integer token id");
        // llama.cpp writes -1 (or UINT32_MAX) for "no such token".
        if (*id < 0 || *id == 0xFFFFFFFFll)
            return std::optional<TokenId>();
        if (static_cast<uint64_t>(*id) >= vocabSize)
            return error(key, "token id " + std::to_string(*id) + " is outside the vocabulary of " +
                                  std::to_string(vocabSize) + " tokens");
        return std::optional<TokenId>(static_cast<TokenId>(*id));
    }

    bool flag(std::string_view key, bool fallback) const {
        const MetaValue* value = metadata_.find(key);
        return value && value->toBool() ? *value->toBool() : fallback;
    }

private:
    const Metadata& metadata_;
    std::string source_;
};

// The ids llama.cpp assumes for a tokenizer model when the file names none; a default outside
// the vocabulary is dropped.
void setDefaultSpecialTokens(Vocabulary& vocab, const PreTokenizerPreset* preset) {
    auto id = [&](TokenId value) -> std::optional<TokenId> {
        return vocab.contains(value) ? std::optional<TokenId>(value) : std::nullopt;
    };
    switch (vocab.kind) {
    case TokenizerKind::SentencePiece:
        vocab.bos = id(1);
        vocab.eos = id(2);
        vocab.unk = id(0);
        break;
    case TokenizerKind::BytePairBpe:
        vocab.bos = preset && preset->noBos ? std::nullopt : id(11);
        vocab.eos = id(11);
        break;
    case TokenizerKind::WordPiece:
        vocab.bos = id(101);
        vocab.unk = id(100);
        vocab.sep = id(102);
        vocab.pad = id(0);
        vocab.mask = id(103);
        break;
    case TokenizerKind::Unigram:
        vocab.eos = id(1);
        vocab.unk = id(2);
        vocab.pad = id(0);
        break;
    case TokenizerKind::None:
    case TokenizerKind::Other:
        break;
    }
}

} // namespace

std::string_view Vocabulary::text(TokenId id) const noexcept {
    return contains(id) ? std::string_view(tokens[static_cast<size_t>(id)]) : std::string_view();
}

TokenType Vocabulary::type(TokenId id) const noexcept {
    return contains(id) && !types.empty() ? types[static_cast<size_t>(id)] : TokenType::Undefined;
}

std::optional<TokenId> Vocabulary::find(std::string_view text) const {
    const auto it = index_.find(text);
    if (it == index_.end())
        return std::nullopt;
    return it->second;
}

Result<Vocabulary> Vocabulary::fromMetadata(const Metadata& metadata, std::string_view source) {
    const VocabularyReader reader(metadata, source);
    Vocabulary vocab;
    vocab.source = std::string(source);
    vocab.generalName = metadata.getString("general.name").value_or("");
    vocab.architecture = metadata.getString("general.architecture").value_or("");
    vocab.modelName = metadata.getString("tokenizer.ggml.model").value_or("");
    vocab.kind = kindFromName(vocab.modelName);
    vocab.pre = metadata.getString("tokenizer.ggml.pre").value_or("");
    vocab.chatTemplate = metadata.getString("tokenizer.chat_template").value_or("");

    auto tokens = reader.array("tokenizer.ggml.tokens", {MetaType::String});
    if (!tokens)
        return std::move(tokens).error();
    if (!*tokens) {
        if (vocab.kind != TokenizerKind::None)
            return reader.error("tokenizer.ggml.tokens", "missing, but tokenizer.ggml.model is \"" + vocab.modelName + "\"");
        return vocab;
    }
    const auto& items = (*tokens)->items();
    vocab.tokens.reserve(items.size());
    vocab.index_.reserve(items.size());
    for (const auto& item : items) {
        std::string text = *item.toString();
        if (text.empty())
            text = "[EMPTY_" + std::to_string(vocab.tokens.size()) + "]";
        // llama.cpp refuses a vocabulary with a text twice; Matryx keeps the first id for lookups.
        vocab.index_.emplace(text, static_cast<TokenId>(vocab.tokens.size()));
        vocab.tokens.push_back(std::move(text));
    }
    const size_t n = vocab.tokens.size();
    if (n > static_cast<size_t>(INT32_MAX))
        return reader.error("tokenizer.ggml.tokens", "too many tokens");

    auto scores = reader.array("tokenizer.ggml.scores", {MetaType::F32, MetaType::F64});
    if (!scores)
        return std::move(scores).error();
    if (*scores) {
        if ((*scores)->items().size() != n)
            return reader.error("tokenizer.ggml.scores", "has " + std::to_string((*scores)->items().size()) +
                                                             " entries for " + std::to_string(n) + " tokens");
        vocab.scores.reserve(n);
        for (const auto& s : (*scores)->items())
            vocab.scores.push_back(static_cast<float>(*s.toDouble()));
    }

    auto types = reader.array("tokenizer.ggml.token_type", {MetaType::I32, MetaType::U32, MetaType::I8, MetaType::U8});
    if (!types)
        return std::move(types).error();
    vocab.types.assign(n, TokenType::Normal);
    if (*types) {
        if ((*types)->items().size() != n)
            return reader.error("tokenizer.ggml.token_type", "has " + std::to_string((*types)->items().size()) +
                                                                 " entries for " + std::to_string(n) + " tokens");
        for (size_t i = 0; i < n; ++i) {
            const auto t = (*types)->items()[i].toSigned().value_or(1);
            vocab.types[i] = t >= 0 && t <= 6 ? static_cast<TokenType>(t) : TokenType::Undefined;
        }
    }

    auto merges = reader.array("tokenizer.ggml.merges", {MetaType::String});
    if (!merges)
        return std::move(merges).error();
    if (*merges) {
        vocab.merges.reserve((*merges)->items().size());
        for (const auto& m : (*merges)->items())
            vocab.merges.push_back(*m.toString());
    }

    const PreTokenizerPreset* preset =
        vocab.kind == TokenizerKind::BytePairBpe ? findPreTokenizerPreset(vocab.pre) : nullptr;
    setDefaultSpecialTokens(vocab, preset);

    struct Special {
        const char* key;
        std::optional<TokenId> Vocabulary::*field;
    };
    // The deprecated prefix/suffix/middle keys come last and win, as in llama.cpp.
    static constexpr Special specials[] = {
        {"bos_token_id", &Vocabulary::bos},  {"eos_token_id", &Vocabulary::eos},
        {"eot_token_id", &Vocabulary::eot},  {"eom_token_id", &Vocabulary::eom},
        {"unknown_token_id", &Vocabulary::unk}, {"padding_token_id", &Vocabulary::pad},
        {"seperator_token_id", &Vocabulary::sep}, {"cls_token_id", &Vocabulary::cls},
        {"mask_token_id", &Vocabulary::mask},
        {"fim_pre_token_id", &Vocabulary::fimPre}, {"fim_suf_token_id", &Vocabulary::fimSuf},
        {"fim_mid_token_id", &Vocabulary::fimMid}, {"fim_pad_token_id", &Vocabulary::fimPad},
        {"fim_rep_token_id", &Vocabulary::fimRep}, {"fim_sep_token_id", &Vocabulary::fimSep},
        {"prefix_token_id", &Vocabulary::fimPre}, {"suffix_token_id", &Vocabulary::fimSuf},
        {"middle_token_id", &Vocabulary::fimMid},
    };
    for (const auto& s : specials) {
        const std::string key = std::string(kPrefix) + s.key;
        auto id = reader.tokenId(key, n);
        if (!id)
            return std::move(id).error();
        // "No token" (-1) keeps the default, as llama.cpp treats it as an id out of range.
        if (*id)
            vocab.*(s.field) = *id;
    }
    const bool addBosByDefault = vocab.kind == TokenizerKind::SentencePiece ||
                                 vocab.kind == TokenizerKind::WordPiece || (preset && preset->addBos);
    vocab.addBos = reader.flag("tokenizer.ggml.add_bos_token", addBosByDefault);
    vocab.addEos = reader.flag("tokenizer.ggml.add_eos_token", vocab.kind == TokenizerKind::Unigram);
    vocab.addSpacePrefix = reader.flag("tokenizer.ggml.add_space_prefix", vocab.kind == TokenizerKind::SentencePiece);
    return vocab;
}

} // namespace matryx
