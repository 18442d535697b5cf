#include "infer/bpe_tokenizer.h"

#include "infer/byte_level_encoding.h"
#include "infer/pre_tokenizer.h"
#include "infer/symbol_merge.h"

#include <functional>
#include <optional>
#include <unordered_map>

namespace matryx {

namespace {

struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

class BpeTokenizer final : public Tokenizer {
public:
    BpeTokenizer(const Vocabulary& vocab, Settings settings, const PreTokenizerPreset& preset, PreTokenizer pre)
        : Tokenizer(vocab, settings), pre_(std::move(pre)), ignoreMerges_(preset.ignoreMerges) {
        ranks_.reserve(vocab_.merges.size());
        for (size_t i = 0; i < vocab_.merges.size(); ++i) {
            const std::string& merge = vocab_.merges[i];
            // llama.cpp cuts a merge at its first space after the first byte; merges without
            // one can never apply. The merge text itself is then the lookup key "left right".
            if (merge.size() < 2 || merge.find(' ', 1) == std::string::npos)
                continue;
            ranks_.emplace(merge, static_cast<int>(i));
        }
        buildPieces();
        if (vocab_.pre.empty())
            addWarning("tokenizer.ggml.pre is missing: the default pre-tokenizer is used, as in llama.cpp; "
                       "tokens may differ from the model's own tokenizer");
    }

protected:
    void encodeText(std::string_view text, bool, std::vector<TokenId>& out) const override {
        std::string word;
        for (const std::string& piece : pre_.split(text)) {
            word.clear();
            appendByteLevel(word, piece);
            encodeWord(word, out);
        }
    }

    std::string normalPiece(std::string_view tokenText) const override { return decodeByteLevel(tokenText); }

private:
    void encodeWord(std::string_view word, std::vector<TokenId>& out) const {
        if (ignoreMerges_) {
            if (const auto id = vocab_.find(word)) {
                out.push_back(*id);
                return;
            }
        }
        std::vector<MergeSymbol> symbols = utf8Symbols(word);
        std::string key;
        mergeSymbols<int, std::less<int>>(
            symbols,
            [&](const MergeSymbol& l, const MergeSymbol& r) -> std::optional<int> {
                key.assign(word.substr(l.start, l.length));
                key += ' ';
                key += word.substr(r.start, r.length);
                const auto it = ranks_.find(std::string_view(key));
                if (it == ranks_.end())
                    return std::nullopt;
                return it->second;
            });

        for (const MergeSymbol& symbol : symbols) {
            if (symbol.length == 0)
                continue;
            const std::string_view text = word.substr(symbol.start, symbol.length);
            if (const auto id = vocab_.find(text)) {
                out.push_back(*id);
                continue;
            }
            // llama.cpp looks up each byte of the byte-level spelling on its own.
            for (const char c : text)
                if (const auto id = vocab_.find(std::string_view(&c, 1)))
                    out.push_back(*id);
        }
    }

    PreTokenizer pre_;
    bool ignoreMerges_;
    std::unordered_map<std::string, int, TextHash, std::equal_to<>> ranks_;
};

} // namespace

Result<std::unique_ptr<Tokenizer>> makeBpeTokenizer(const Vocabulary& vocabulary) {
    const PreTokenizerPreset* preset = findPreTokenizerPreset(vocabulary.pre);
    if (!preset) {
        const std::string what = isUnsupportedPreTokenizer(vocabulary.pre)
                                     ? "\" needs a pre-tokenizer Matryx does not implement"
                                     : "\" is not a pre-tokenizer llama.cpp knows";
        return makeError(vocabulary.source, "tokenizer.ggml.pre", std::nullopt, "\"" + vocabulary.pre + what);
    }
    auto pre = PreTokenizer::create(*preset, vocabulary.source);
    if (!pre)
        return std::move(pre).error();
    auto tokenizer = std::make_unique<BpeTokenizer>(
        vocabulary,
        Tokenizer::Settings{vocabulary.addBos, vocabulary.addEos, vocabulary.addSpacePrefix, preset->cleanSpaces},
        *preset, std::move(*pre));
    return std::unique_ptr<Tokenizer>(std::move(tokenizer));
}

} // namespace matryx
