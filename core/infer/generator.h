#pragma once

// Text generation on an InferenceSession: evaluates a prompt, then samples one token at a time
// until an end-of-generation token (EOS, EOT, ... as TokenAttributes lists them), a stop string,
// the token limit, the end of the context, a cancel, or the callback says stop.
//
//   Generator generator(session, tokenizer);
//   auto result = generator.generate(tokenizer.encode(prompt, true, true), settings,
//                                    [](std::string_view text, TokenId) { show(text); return true; });
//
// Multi-turn use: pass the whole conversation's tokens each time. The tokens the session already
// holds from the previous call (its prompt and the tokens generated) are kept in the KV cache as
// far as they agree with the new prompt; only the rest is evaluated.

#include "base/error.h"
#include "base/progress.h"
#include "infer/inference_session.h"
#include "infer/sampler.h"
#include "infer/tokenizer.h"

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace matryx {

struct GenerationSettings {
    int64_t maxTokens = 256; // tokens to generate at most; < 0: until the context is full
    SamplerSettings sampling;
    std::vector<std::string> stopStrings; // generation ends before the first of these in the text
    bool stopAtEndOfGeneration = true;
    bool renderSpecial = false; // show control tokens as their text ("<|im_end|>")
};

enum class StopReason { EndOfGeneration, StopString, MaxTokens, ContextFull, Cancelled };

// "end of generation token", "stop string", ...
const char* stopReasonName(StopReason reason) noexcept;

struct GenerationResult {
    std::vector<TokenId> tokens; // generated, the end-of-generation token included when it ended so
    std::string text;            // their text, cut before a stop string, without the end token
    StopReason reason = StopReason::MaxTokens;
    std::string message;         // for ContextFull: how full, in words; else empty
    int64_t promptTokens = 0;    // tokens of the prompt evaluated (not reused from the cache)
    double promptSeconds = 0.0;
    double generateSeconds = 0.0; // sampling and evaluating the generated tokens
};

// Receives the text of each token as soon as it can be shown (pieces of a UTF-8 character and a
// possible beginning of a stop string are held back, then sent with a later call), and the id.
// Returning false stops generation (reason Cancelled).
using TokenCallback = std::function<bool(std::string_view text, TokenId id)>;

class Generator {
public:
    // Both must outlive the generator; the session is used by it alone while generate() runs.
    Generator(InferenceSession& session, const Tokenizer& tokenizer) : session_(session), tokenizer_(tokenizer) {}

    // Generates after `prompt` (at least one token). Fails without generating when the prompt is
    // empty or does not fit the context ("the prompt has 5000 tokens; the context holds 4096"),
    // or when evaluation fails. A full context during generation is not an error: the result's
    // reason is ContextFull. `progress` is polled while the prompt is evaluated and before every
    // token; its cancel ends generation with reason Cancelled (or, during the prompt, an Error
    // with cancelled = true).
    Result<GenerationResult> generate(std::span<const TokenId> prompt, const GenerationSettings& settings,
                                      const TokenCallback& onToken = {}, Progress& progress = Progress::none());

    // The tokens the session's cache holds, in order.
    const std::vector<TokenId>& history() const noexcept { return history_; }
    // Forgets the conversation (the next prompt is evaluated in full).
    void reset() noexcept;

private:
    InferenceSession& session_;
    const Tokenizer& tokenizer_;
    std::vector<TokenId> history_;
};

} // namespace matryx
