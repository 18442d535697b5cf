#include "infer/pre_tokenizer.h"

#include "infer/utf8.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cstdint>

namespace matryx {

namespace {

constexpr std::string_view kAsciiSpaceClass = "\\t-\\r ";

struct CodeDeleter {
    void operator()(pcre2_code* code) const noexcept { pcre2_code_free(code); }
};
struct MatchDataDeleter {
    void operator()(pcre2_match_data* data) const noexcept { pcre2_match_data_free(data); }
};
struct MatchContextDeleter {
    void operator()(pcre2_match_context* context) const noexcept { pcre2_match_context_free(context); }
};
struct JitStackDeleter {
    void operator()(pcre2_jit_stack* stack) const noexcept { pcre2_jit_stack_free(stack); }
};

// Long pieces (a word of thousands of letters) need more than PCRE2's default 32 KiB of JIT
// stack; each thread keeps one that may grow to 8 MiB.
pcre2_match_context* threadMatchContext() {
    thread_local std::unique_ptr<pcre2_jit_stack, JitStackDeleter> stack(
        pcre2_jit_stack_create(32 * 1024, 8 * 1024 * 1024, nullptr));
    thread_local std::unique_ptr<pcre2_match_context, MatchContextDeleter> context = [] {
        std::unique_ptr<pcre2_match_context, MatchContextDeleter> c(pcre2_match_context_create(nullptr));
        if (c && stack)
            pcre2_jit_stack_assign(c.get(), nullptr, stack.get());
        return c;
    }();
    return context.get();
}

// The text the patterns see: one code point for each of the text's, whitespace above ASCII as
// U+000B and code points PCRE2 cannot take in UTF mode (surrogates, values past U+10FFFF) as a
// private-use character, which like them belongs to no category the patterns name.
struct Subject {
    std::string text;
    std::vector<uint32_t> start;        // byte offset of each code point, plus the end
    std::vector<uint32_t> cptAtByte;    // code point index at each code point's first byte
};

Subject makeSubject(const std::vector<uint32_t>& cpts) {
    Subject s;
    s.text.reserve(cpts.size());
    s.start.reserve(cpts.size() + 1);
    for (const uint32_t cpt : cpts) {
        s.start.push_back(static_cast<uint32_t>(s.text.size()));
        if (cpt >= 0x80 && isUnicodeWhitespace(cpt))
            s.text.push_back('\v');
        else if ((cpt >= 0xD800 && cpt <= 0xDFFF) || cpt > 0x10FFFF)
            appendUtf8(s.text, 0xE000);
        else
            appendUtf8(s.text, cpt);
    }
    s.start.push_back(static_cast<uint32_t>(s.text.size()));
    s.cptAtByte.assign(s.text.size() + 1, 0);
    for (size_t i = 0; i < s.start.size(); ++i)
        s.cptAtByte[s.start[i]] = static_cast<uint32_t>(i);
    return s;
}

struct Piece {
    uint32_t begin; // code point indices
    uint32_t end;
};

} // namespace

struct PreTokenizer::Compiled {
    std::unique_ptr<pcre2_code, CodeDeleter> code;
};

std::string PreTokenizer::translatePattern(std::string_view pattern) {
    std::string out;
    out.reserve(pattern.size() + 16);
    bool inClass = false;
    for (size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\' && i + 1 < pattern.size()) {
            const char e = pattern[i + 1];
            if (e == 's' || e == 'S' || e == 'd') {
                const std::string_view set = e == 'd' ? std::string_view("0-9") : kAsciiSpaceClass;
                if (inClass)
                    out += set; // \S never appears inside a class in the presets
                else
                    out += (e == 'S' ? "[^" : "[") + std::string(set) + "]";
                ++i;
                continue;
            }
            const bool letterSubcategory = pattern.compare(i, 4, "\\p{L") == 0 && i + 5 < pattern.size() &&
                                           pattern[i + 5] == '}' &&
                                           std::string_view("ultmo").find(pattern[i + 4]) != std::string_view::npos;
            if (letterSubcategory) {
                out += "\\p{L}";
                i += 5;
                continue;
            }
            out += c;
            out += e;
            ++i;
            continue;
        }
        if (c == '[' && !inClass) {
            inClass = true;
            out += c;
            // A ']' right after '[' or '[^' is a literal in PCRE2; none of the presets has one.
            continue;
        }
        if (c == ']' && inClass)
            inClass = false;
        out += c;
    }
    return out;
}

Result<PreTokenizer> PreTokenizer::create(const PreTokenizerPreset& preset, std::string_view source) {
    std::vector<std::unique_ptr<Compiled>> compiled;
    for (const std::string_view pattern : preset.patterns) {
        const std::string translated = translatePattern(pattern);
        int errorCode = 0;
        PCRE2_SIZE errorOffset = 0;
        pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()), translated.size(),
                                         PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY, &errorCode, &errorOffset,
                                         nullptr);
        if (!code) {
            PCRE2_UCHAR message[256];
            pcre2_get_error_message(errorCode, message, sizeof message);
            return makeError(std::string(source), "tokenizer.ggml.pre", std::nullopt,
                             "pre-tokenizer \"" + std::string(preset.name) + "\": pattern does not compile at " +
                                 std::to_string(errorOffset) + ": " + reinterpret_cast<const char*>(message));
        }
        auto entry = std::make_unique<Compiled>();
        entry->code.reset(code);
        // Without JIT (not built into PCRE2 or refused) the interpreter gives the same matches.
        pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
        compiled.push_back(std::move(entry));
    }
    return PreTokenizer(std::move(compiled));
}

PreTokenizer::PreTokenizer(std::vector<std::unique_ptr<Compiled>> patterns) : patterns_(std::move(patterns)) {}
PreTokenizer::PreTokenizer(PreTokenizer&&) noexcept = default;
PreTokenizer& PreTokenizer::operator=(PreTokenizer&&) noexcept = default;
PreTokenizer::~PreTokenizer() = default;

std::vector<std::string> PreTokenizer::split(std::string_view text) const {
    const std::vector<uint32_t> cpts = decodeUtf8(text);
    if (cpts.empty())
        return {};
    const Subject subject = makeSubject(cpts);
    pcre2_match_context* context = threadMatchContext();

    std::vector<Piece> pieces{{0, static_cast<uint32_t>(cpts.size())}};
    std::vector<Piece> next;
    for (const auto& pattern : patterns_) {
        std::unique_ptr<pcre2_match_data, MatchDataDeleter> match(
            pcre2_match_data_create_from_pattern(pattern->code.get(), nullptr));
        next.clear();
        next.reserve(pieces.size() * 2);
        for (const Piece piece : pieces) {
            const uint32_t base = subject.start[piece.begin];
            const auto* data = reinterpret_cast<PCRE2_SPTR>(subject.text.data() + base);
            const PCRE2_SIZE length = subject.start[piece.end] - base;
            auto cptAt = [&](PCRE2_SIZE offset) { return subject.cptAtByte[base + offset]; };
            auto emit = [&](uint32_t from, uint32_t to) {
                if (to > from)
                    next.push_back({from, to});
            };

            PCRE2_SIZE offset = 0; // where the next search starts
            PCRE2_SIZE done = 0;   // end of the last match
            uint32_t options = 0;
            while (offset <= length) {
                const int rc = pcre2_match(pattern->code.get(), data, length, offset, options | PCRE2_NO_UTF_CHECK,
                                           match.get(), context);
                if (rc == PCRE2_ERROR_NOMATCH) {
                    if (options == 0)
                        break;
                    // No non-empty match where an empty one was: go on one code point later.
                    options = 0;
                    if (offset >= length)
                        break;
                    offset += utf8SequenceLength(static_cast<char>(data[offset]));
                    continue;
                }
                if (rc < 0)
                    break; // resource limit: the rest of the piece stays one piece
                const PCRE2_SIZE* vector = pcre2_get_ovector_pointer(match.get());
                const PCRE2_SIZE matchBegin = vector[0];
                const PCRE2_SIZE matchEnd = vector[1];
                emit(cptAt(done), cptAt(matchBegin));
                emit(cptAt(matchBegin), cptAt(matchEnd));
                done = matchEnd;
                offset = matchEnd;
                // After an empty match, look for a non-empty one at the same place first, as
                // std::regex_iterator does.
                options = matchBegin == matchEnd ? PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED : 0;
            }
            emit(cptAt(done), piece.end);
        }
        pieces.swap(next);
    }

    std::vector<std::string> words;
    words.reserve(pieces.size());
    for (const Piece piece : pieces) {
        std::string word;
        for (uint32_t i = piece.begin; i < piece.end; ++i)
            appendUtf8(word, cpts[i]);
        words.push_back(std::move(word));
    }
    return words;
}

} // namespace matryx
