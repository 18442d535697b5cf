#include "infer/tokenizer.h"

#include "infer/bpe_tokenizer.h"
#include "infer/sentencepiece_tokenizer.h"

namespace matryx {

namespace {

// The byte of a "<0xNN>" token, read like llama.cpp's strtol on the two characters after "<0x".
unsigned char byteTokenValue(std::string_view text) {
    unsigned value = 0;
    for (size_t i = 3; i < text.size() && i < 5; ++i) {
        const char c = text[i];
        unsigned digit;
        if (c >= '0' && c <= '9')
            digit = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f')
            digit = static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            digit = static_cast<unsigned>(c - 'A' + 10);
        else
            break;
        value = value * 16 + digit;
    }
    return static_cast<unsigned char>(value);
}

// llama_detokenize's clean_spaces passes: " ?" " !" " ." " ," lose their space, a lone "'"
// between spaces loses both, and " 's" " 'm" " 're" " 've" lose the space.
void cleanSpaces(std::string& text) {
    auto pass = [&](auto&& step) {
        const size_t total = text.size();
        size_t out = total ? 1 : 0;
        for (size_t i = 1; i < total; ++i)
            step(i, out, total);
        text.resize(out);
    };
    pass([&](size_t& i, size_t& out, size_t) {
        const char x = text[i];
        if (text[i - 1] == ' ' && (x == '?' || x == '!' || x == '.' || x == ','))
            --out;
        text[out++] = x;
    });
    pass([&](size_t& i, size_t& out, size_t total) {
        const char x = text[i];
        if (x == '\'' && i + 1 < total && text[i - 1] == ' ' && text[i + 1] == ' ') {
            --out;
            text[++i] = '\0'; // the next space is skipped; llama.cpp leaves a NUL in its place
        }
        text[out++] = x;
    });
    pass([&](size_t& i, size_t& out, size_t total) {
        const char x = text[i];
        if (text[i - 1] == ' ' && x == '\'' && i + 1 < total) {
            const char x1 = text[i + 1];
            if (x1 == 's' || x1 == 'm')
                --out;
            else if (x1 != 't' && x1 != 'd' && i + 2 < total) {
                const char x2 = text[i + 2];
                if ((x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e'))
                    --out;
            }
        }
        text[out++] = x;
    });
}

} // namespace

Tokenizer::Tokenizer(Vocabulary vocab, Settings settings)
    : vocab_(std::move(vocab)), attributes_(computeTokenAttributes(vocab_)), settings_(settings),
      splitter_(vocab_, attributes_) {}

Tokenizer::~Tokenizer() = default;

void Tokenizer::buildPieces() {
    pieces_.resize(vocab_.size());
    for (size_t i = 0; i < vocab_.size(); ++i) {
        const auto id = static_cast<TokenId>(i);
        const std::string_view text = vocab_.text(id);
        if (attributes_.has(id, kAttrUnknown | kAttrControl | kAttrUserDefined))
            pieces_[i] = std::string(text);
        else if (attributes_.has(id, kAttrNormal))
            pieces_[i] = normalPiece(text);
        else if (attributes_.has(id, kAttrByte))
            pieces_[i] = std::string(1, static_cast<char>(byteTokenValue(text)));
    }
}

std::vector<TokenId> Tokenizer::encode(std::string_view text, bool addSpecial, bool parseSpecial) const {
    std::vector<TokenId> out;
    out.reserve(text.size() / 3 + 2);
    if (addSpecial && settings_.addBos && vocab_.bos)
        out.push_back(*vocab_.bos);
    bool afterSpecial = true;
    for (const TextFragment& fragment : splitter_.split(text, parseSpecial)) {
        if (fragment.isToken()) {
            out.push_back(fragment.token);
            afterSpecial = true;
        } else {
            encodeText(text.substr(fragment.offset, fragment.length), afterSpecial, out);
            afterSpecial = false;
        }
    }
    if (addSpecial && settings_.addEos && vocab_.eos)
        out.push_back(*vocab_.eos);
    return out;
}

std::string_view Tokenizer::tokenPiece(TokenId id, bool renderSpecial) const {
    if (id < 0 || static_cast<size_t>(id) >= pieces_.size())
        return {};
    if (!renderSpecial && attributes_.has(id, kAttrUnknown | kAttrControl))
        return {};
    return pieces_[static_cast<size_t>(id)];
}

std::string Tokenizer::decode(std::span<const TokenId> ids, DecodeOptions options) const {
    bool removeSpace = settings_.addSpacePrefix;
    if (options.removeSpecial && settings_.addBos && !ids.empty() && vocab_.bos && ids.front() == *vocab_.bos) {
        removeSpace = false;
        ids = ids.subspan(1);
    }
    if (options.removeSpecial && settings_.addEos && !ids.empty() && vocab_.eos && ids.back() == *vocab_.eos)
        ids = ids.first(ids.size() - 1);

    std::string text;
    for (const TokenId id : ids) {
        std::string_view piece = tokenPiece(id, options.renderSpecial);
        if (removeSpace && !piece.empty() && piece.front() == ' ')
            piece.remove_prefix(1);
        removeSpace = false;
        text += piece;
    }
    if (settings_.cleanSpaces)
        cleanSpaces(text);
    return text;
}

Result<std::unique_ptr<Tokenizer>> makeTokenizer(const Vocabulary& vocabulary) {
    auto fail = [&](std::string field, std::string message) -> Result<std::unique_ptr<Tokenizer>> {
        return makeError(vocabulary.source, std::move(field), std::nullopt, std::move(message));
    };
    if (vocabulary.addBos && !vocabulary.bos)
        return fail("tokenizer.ggml.add_bos_token", "BOS is to be added but the vocabulary has no BOS token");
    if (vocabulary.addEos && !vocabulary.eos)
        return fail("tokenizer.ggml.add_eos_token", "EOS is to be added but the vocabulary has no EOS token");
    switch (vocabulary.kind) {
    case TokenizerKind::BytePairBpe:
        return makeBpeTokenizer(vocabulary);
    case TokenizerKind::SentencePiece:
        return makeSentencePieceTokenizer(vocabulary);
    case TokenizerKind::None:
        return fail("tokenizer.ggml.model", "the model has no vocabulary");
    case TokenizerKind::WordPiece:
    case TokenizerKind::Unigram:
    case TokenizerKind::Other:
        break;
    }
    return fail("tokenizer.ggml.model", "tokenizer model \"" + vocabulary.modelName +
                                            "\" is not supported (supported: \"gpt2\", \"llama\")");
}

} // namespace matryx
