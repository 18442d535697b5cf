#include "infer/sentencepiece_tokenizer.h"

#include "infer/symbol_merge.h"

#include <array>
#include <cstdio>
#include <functional>
#include <optional>

namespace matryx {

namespace {

constexpr std::string_view kEscapedSpace = "\xE2\x96\x81"; // U+2581 "▁"

class SentencePieceTokenizer final : public Tokenizer {
public:
    SentencePieceTokenizer(const Vocabulary& vocab, Settings settings) : Tokenizer(vocab, settings) {
        for (unsigned b = 0; b < 256; ++b) {
            char name[8];
            std::snprintf(name, sizeof name, "<0x%02X>", b);
            auto id = vocab_.find(name);
            if (!id) {
                const char raw = static_cast<char>(b);
                id = vocab_.find(std::string_view(&raw, 1));
            }
            byteTokens_[b] = id ? *id : (vocab_.unk ? *vocab_.unk : -1);
        }
        buildPieces();
    }

protected:
    void encodeText(std::string_view text, bool afterSpecial, std::vector<TokenId>& out) const override {
        std::string escaped;
        escaped.reserve(text.size() + text.size() / 4 + 3);
        if (settings_.addSpacePrefix && afterSpecial)
            escaped += kEscapedSpace;
        for (const char c : text) {
            if (c == ' ')
                escaped += kEscapedSpace;
            else
                escaped += c;
        }
        encodeEscaped(escaped, out);
    }

    std::string normalPiece(std::string_view tokenText) const override {
        std::string piece;
        piece.reserve(tokenText.size());
        for (size_t i = 0; i < tokenText.size();) {
            if (tokenText.compare(i, kEscapedSpace.size(), kEscapedSpace) == 0) {
                piece += ' ';
                i += kEscapedSpace.size();
            } else {
                piece += tokenText[i++];
            }
        }
        return piece;
    }

private:
    void encodeEscaped(std::string_view text, std::vector<TokenId>& out) const {
        std::vector<MergeSymbol> symbols = utf8Symbols(text);
        mergeSymbols<float, std::greater<float>>(
            symbols,
            [&](const MergeSymbol& l, const MergeSymbol& r) -> std::optional<float> {
                // Symbols next to each other are next to each other in the text.
                const auto id = vocab_.find(text.substr(l.start, l.length + r.length));
                if (!id)
                    return std::nullopt;
                return vocab_.scores.empty() ? 0.0f : vocab_.scores[static_cast<size_t>(*id)];
            });

        for (int i = symbols.empty() ? -1 : 0; i != -1; i = symbols[static_cast<size_t>(i)].next) {
            const MergeSymbol& symbol = symbols[static_cast<size_t>(i)];
            const std::string_view piece = text.substr(symbol.start, symbol.length);
            if (const auto id = vocab_.find(piece)) {
                out.push_back(*id);
                continue;
            }
            for (const char c : piece) {
                const TokenId id = byteTokens_[static_cast<unsigned char>(c)];
                if (id >= 0)
                    out.push_back(id);
            }
        }
    }

    std::array<TokenId, 256> byteTokens_{};
};

} // namespace

Result<std::unique_ptr<Tokenizer>> makeSentencePieceTokenizer(const Vocabulary& vocabulary) {
    // llama.cpp never cleans spaces for SentencePiece vocabularies.
    const Tokenizer::Settings settings{vocabulary.addBos, vocabulary.addEos, vocabulary.addSpacePrefix, false};
    return std::unique_ptr<Tokenizer>(std::make_unique<SentencePieceTokenizer>(vocabulary, settings));
}

} // namespace matryx
