#pragma once

// Splits text into the pieces a byte-level BPE merges within, with the regular expressions of a
// PreTokenizerPreset run by PCRE2 (UTF + UCP, JIT-compiled where PCRE2 can).
//
// llama.cpp runs most patterns through std::regex on a copy of the text in which every code
// point above U+007F is collapsed into one byte per Unicode category, and the common patterns
// through hand-written splitters with the same meaning. To give the same pieces, the patterns
// are matched against a copy of the text in which:
//   - whitespace above U+007F (Unicode White_Space) is replaced by U+000B, and \s, \S and \d in
//     the patterns mean ASCII whitespace (HT, LF, VT, FF, CR, space) and ASCII digits;
//   - \p{Lu}, \p{Ll}, \p{Lt}, \p{Lm} and \p{Lo} all mean \p{L}, as in llama.cpp;
//   - each pattern runs on every piece of the one before as a text of its own, so lookarounds,
//     $ and the end of a piece stop at the piece's edges.
// Categories come from PCRE2's Unicode tables; code points newer than those tables (PCRE2 10.42
// has Unicode 14) count as unassigned and may split differently from llama.cpp.

#include "base/error.h"
#include "infer/pre_tokenizer_presets.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace matryx {

class PreTokenizer {
public:
    // Compiles the preset's patterns; an error (naming `source` and tokenizer.ggml.pre) if PCRE2
    // rejects one, which would be a defect in the preset table.
    static Result<PreTokenizer> create(const PreTokenizerPreset& preset, std::string_view source);

    PreTokenizer(PreTokenizer&&) noexcept;
    PreTokenizer& operator=(PreTokenizer&&) noexcept;
    ~PreTokenizer();

    // The pieces of `text`, each as the UTF-8 of its code points (a byte that is not valid
    // UTF-8 reads as U+FFFD, as in llama.cpp). Empty pieces are left out. Thread-safe.
    std::vector<std::string> split(std::string_view text) const;

    // The PCRE2 form of a pattern in llama.cpp's dialect (see above); exposed for tests.
    static std::string translatePattern(std::string_view pattern);

private:
    struct Compiled;
    explicit PreTokenizer(std::vector<std::unique_ptr<Compiled>> patterns);
    std::vector<std::unique_ptr<Compiled>> patterns_;
};

} // namespace matryx
