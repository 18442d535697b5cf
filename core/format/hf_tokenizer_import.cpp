#include "format/hf_tokenizer_import.h"

#include "format/hf_json.h"
#include "format/hf_special_tokens.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace matryx {

namespace {

using json = nlohmann::json;

enum TokenType : int32_t { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };

constexpr std::string_view kSpiecePrefix = "\xe2\x96\x81"; // U+2581, SentencePiece's word start
constexpr float kAddedScore = -1000.0f;
constexpr float kUnusedScore = -10000.0f;
// Padding beyond the defined tokens is allowed up to this much (configs round vocab_size up).
constexpr uint64_t kMaxPadding = 1024;

struct Token {
    std::string text;
    int64_t id;
    float score = 0.0f;
    bool special = false;
};

struct Vocab {
    std::string kind;                                        // "BPE", "Unigram", "WordPiece"
    std::vector<Token> base;                                 // model.vocab
    std::vector<Token> added;                                // added_tokens
    std::vector<std::pair<std::string, std::string>> merges; // BPE merges, in rank order
    std::optional<int64_t> unkId;
    bool byteFallback = false;
};

// Tokens the converter makes control tokens even when they are not marked special.
bool looksSpecial(std::string_view t) {
    const auto wrapped = [&](std::string_view open, std::string_view close) {
        return t.size() >= open.size() + close.size() && t.starts_with(open) && t.ends_with(close);
    };
    return t == "<pad>" || t == "<mask>" || t == "<2mass>" || t == "[@BOS@]" || wrapped("<|", "|>") ||
           wrapped("<\xef\xbd\x9c", "\xef\xbd\x9c>") || wrapped("<unused", ">");
}

bool isByteToken(std::string_view t) {
    const auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
    return t.size() == 6 && t.starts_with("<0x") && t.back() == '>' && hex(t[3]) && hex(t[4]);
}

std::string replaceAll(std::string s, std::string_view from, std::string_view to) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
    return s;
}

class VocabReader {
public:
    VocabReader(const json& tokenizer, const std::string& file) : tok_(tokenizer), file_(file) {}

    Result<Vocab> read() {
        const json* model = jsonMember(tok_, "model");
        if (!model || !model->is_object()) return fail("model", "missing or not an object");
        Vocab v;
        const json* vocab = jsonMember(*model, "vocab");
        const json* merges = jsonMember(*model, "merges");
        v.kind = jsonString(jsonMember(*model, "type"))
                     .value_or(merges                         ? "BPE"
                               : (vocab && vocab->is_array()) ? "Unigram"
                                                              : "WordPiece");
        if (v.kind != "BPE" && v.kind != "Unigram" && v.kind != "WordPiece")
            return v; // not imported; the caller checks kind
        if (!vocab) return fail("model.vocab", "missing");
        if (auto s = v.kind == "Unigram" ? unigram(*vocab, v) : mapping(*vocab, v); !s)
            return std::move(s).error();
        if (v.kind == "BPE" && merges)
            if (auto s = readMerges(*merges, v); !s) return std::move(s).error();
        v.byteFallback = jsonBool(jsonMember(*model, "byte_fallback")).value_or(false);
        if (v.kind == "Unigram") {
            v.unkId = jsonInteger(jsonMember(*model, "unk_id"));
        } else if (const auto unk = jsonString(jsonMember(*model, "unk_token"))) {
            for (const auto& t : v.base)
                if (t.text == *unk) v.unkId = t.id;
        }
        if (auto s = addedTokens(v); !s) return std::move(s).error();
        return v;
    }

private:
    Status mapping(const json& vocab, Vocab& v) {
        if (!vocab.is_object()) return fail("model.vocab", "must be an object of token -> id");
        v.base.reserve(vocab.size());
        for (const auto& [text, id] : vocab.items()) {
            const auto i =
                id.is_number_integer() || id.is_number_unsigned() ? jsonInteger(&id) : std::nullopt;
            if (!i || *i < 0)
                return fail("model.vocab[\"" + text + "\"]", "must be a non-negative integer id");
            v.base.push_back({text, *i});
        }
        return {};
    }

    Status unigram(const json& vocab, Vocab& v) {
        if (!vocab.is_array()) return fail("model.vocab", "must be an array of [piece, score]");
        v.base.reserve(vocab.size());
        for (size_t i = 0; i < vocab.size(); ++i) {
            const json& entry = vocab[i];
            if (!entry.is_array() || entry.size() != 2 || !entry[0].is_string() || !entry[1].is_number())
                return fail("model.vocab[" + std::to_string(i) + "]", "must be [piece, score]");
            v.base.push_back({entry[0].get<std::string>(), int64_t(i), entry[1].get<float>()});
        }
        return {};
    }

    Status readMerges(const json& merges, Vocab& v) {
        if (!merges.is_array()) return fail("model.merges", "must be an array");
        v.merges.reserve(merges.size());
        for (size_t i = 0; i < merges.size(); ++i) {
            const json& m = merges[i];
            const auto* text = m.is_string() ? &m.get_ref<const std::string&>() : nullptr;
            if (text && text->find(' ') != std::string::npos) {
                const size_t space = text->find(' ');
                v.merges.emplace_back(text->substr(0, space), text->substr(space + 1));
            } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
                v.merges.emplace_back(m[0].get<std::string>(), m[1].get<std::string>());
            } else {
                return fail("model.merges[" + std::to_string(i) + "]", "must be \"a b\" or [\"a\", \"b\"]");
            }
        }
        return {};
    }

    Status addedTokens(Vocab& v) {
        const json* added = jsonMember(tok_, "added_tokens");
        if (!added) return {};
        if (!added->is_array()) return fail("added_tokens", "must be an array");
        for (size_t i = 0; i < added->size(); ++i) {
            const json& a = (*added)[i];
            const std::string field = "added_tokens[" + std::to_string(i) + "]";
            const json* id = jsonMember(a, "id");
            const auto content = jsonString(jsonMember(a, "content"));
            const auto value =
                id && (id->is_number_integer() || id->is_number_unsigned()) ? jsonInteger(id) : std::nullopt;
            if (!value || *value < 0) return fail(field + ".id", "must be a non-negative integer");
            if (!content) return fail(field + ".content", "must be a string");
            v.added.push_back(
                {*content, *value, kAddedScore, jsonBool(jsonMember(a, "special")).value_or(false)});
        }
        return {};
    }

    Error fail(std::string field, std::string message) const {
        return makeError(file_, std::move(field), std::nullopt, std::move(message));
    }

    const json& tok_;
    const std::string& file_;
};

// SentencePiece-style scores for a BPE vocabulary, from the merge order (see the header).
std::unordered_map<std::string, float>
mergeScores(const std::vector<std::pair<std::string, std::string>>& merges) {
    std::unordered_map<std::string, float> scores;
    scores.reserve(merges.size());
    for (size_t rank = 0; rank < merges.size(); ++rank)
        scores.emplace(merges[rank].first + merges[rank].second, -float(rank + 1));
    return scores;
}

// GGUF keeps merges as "a b"; spaces inside a part (allowed by the pair form) become U+0120,
// as gguf-py writes them.
std::vector<std::string> ggufMerges(const std::vector<std::pair<std::string, std::string>>& merges) {
    std::vector<std::string> out;
    out.reserve(merges.size());
    for (const auto& [a, b] : merges)
        out.push_back(replaceAll(a, " ", "\xc4\xa0") + " " + replaceAll(b, " ", "\xc4\xa0"));
    return out;
}

} // namespace

Status importHfTokenizer(const HfTokenizerSources& in, Metadata& out) {
    if (!in.tokenizer) {
        HfSpecialTokenSources special{nullptr, in.tokenizerConfig, in.config, in.chatTemplateFile};
        importHfSpecialTokens(special, out);
        return {};
    }
    auto vocab = VocabReader(*in.tokenizer, in.tokenizerFile).read();
    if (!vocab) return std::move(vocab).error();
    Vocab& v = *vocab;
    const bool bpe = v.kind == "BPE";
    const std::string model = v.kind == "WordPiece"                              ? "bert"
                              : (v.kind == "Unigram" || (bpe && v.byteFallback)) ? "llama"
                              : bpe                                              ? "gpt2"
                                                                                 : "";
    if (model.empty()) return {};

    int64_t maxId = -1;
    for (const auto* list : {&v.base, &v.added})
        for (const auto& t : *list)
            maxId = std::max(maxId, t.id);
    uint64_t n = uint64_t(maxId + 1);
    const json* configVocab = in.config ? jsonMember(*in.config, "vocab_size") : nullptr;
    if (!configVocab && in.config)
        configVocab = jsonMember(jsonMember(*in.config, "text_config"), "vocab_size");
    if (const auto cv = jsonInteger(configVocab); cv && *cv > 0) n = std::max(n, uint64_t(*cv));
    const uint64_t defined = v.base.size() + v.added.size();
    const uint64_t limit = 2 * defined + kMaxPadding;
    const auto tooMany = [&](const std::string& file, const char* field, uint64_t ids) {
        return makeError(file, field, std::nullopt,
                         std::to_string(ids) + " token ids for only " + std::to_string(defined) +
                             " defined tokens");
    };
    if (uint64_t(maxId + 1) > limit) return tooMany(in.tokenizerFile, "model.vocab", uint64_t(maxId + 1));
    if (n > limit) return tooMany(in.configFile, "vocab_size", n);

    std::vector<std::string> tokens(n);
    std::vector<int32_t> types(n, Unused);
    std::vector<float> scores(n, kUnusedScore);
    std::vector<bool> present(n, false);
    const auto merged =
        model == "llama" && bpe ? mergeScores(v.merges) : std::unordered_map<std::string, float>{};
    const float unmergedScore = -float(v.merges.size() + 1);
    for (const auto& t : v.base) {
        const auto i = size_t(t.id);
        tokens[i] = t.text;
        present[i] = true;
        types[i] = Normal;
        if (model != "llama") continue;
        if (v.unkId == t.id) {
            types[i] = Unknown;
            scores[i] = 0.0f;
        } else if (v.byteFallback && isByteToken(t.text)) {
            types[i] = Byte;
            scores[i] = 0.0f;
        } else if (bpe) {
            const auto it = merged.find(t.text);
            scores[i] = it != merged.end() ? it->second : unmergedScore;
        } else {
            scores[i] = t.score;
        }
    }
    for (const auto& t : v.added) {
        const auto i = size_t(t.id);
        present[i] = true;
        scores[i] = kAddedScore;
        if (t.special || looksSpecial(t.text)) {
            types[i] = Control;
            tokens[i] = t.text;
        } else {
            types[i] = UserDefined;
            tokens[i] = replaceAll(t.text, kSpiecePrefix, " ");
        }
    }
    for (size_t i = 0; i < n; ++i)
        if (!present[i]) tokens[i] = "[PAD" + std::to_string(i) + "]";
    if (model == "bert")
        for (size_t i = 0; i < n; ++i)
            if (types[i] != Control)
                tokens[i] = tokens[i].starts_with("##") ? tokens[i].substr(2)
                                                        : std::string(kSpiecePrefix) + tokens[i];

    out.set("tokenizer.ggml.model", MetaValue::string(model));
    if (model == "llama") out.set("tokenizer.ggml.pre", MetaValue::string("default"));
    out.set("tokenizer.ggml.tokens", MetaValue::stringArray(std::move(tokens)));
    if (model == "llama") {
        std::vector<MetaValue> items;
        items.reserve(n);
        for (const float s : scores)
            items.push_back(MetaValue::f32(s));
        out.set("tokenizer.ggml.scores", MetaValue::array(MetaType::F32, std::move(items)));
    }
    std::vector<MetaValue> typeItems;
    typeItems.reserve(n);
    for (const int32_t t : types)
        typeItems.push_back(MetaValue::i32(t));
    out.set("tokenizer.ggml.token_type", MetaValue::array(MetaType::I32, std::move(typeItems)));
    if (model == "gpt2" && !v.merges.empty())
        out.set("tokenizer.ggml.merges", MetaValue::stringArray(ggufMerges(v.merges)));
    if (model == "bert") {
        const auto typeCount = jsonInteger(in.config ? jsonMember(*in.config, "type_vocab_size") : nullptr);
        out.set("tokenizer.ggml.token_type_count",
                MetaValue::u32(typeCount && *typeCount > 0 && *typeCount <= INT32_MAX ? uint32_t(*typeCount)
                                                                                      : 1));
    }
    if (in.tokenizerConfig)
        if (const auto prefix = jsonBool(jsonMember(*in.tokenizerConfig, "add_prefix_space")))
            out.set("tokenizer.ggml.add_space_prefix", MetaValue::boolean(*prefix));
    if (model == "llama" && in.architecture.starts_with("gemma"))
        out.set("tokenizer.ggml.add_space_prefix", MetaValue::boolean(false));

    HfSpecialTokenSources special{in.tokenizer, in.tokenizerConfig, in.config, in.chatTemplateFile, n};
    importHfSpecialTokens(special, out);
    return {};
}

} // namespace matryx
