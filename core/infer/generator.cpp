#include "infer/generator.h"

#include "infer/utf8_stream_decoder.h"

#include <algorithm>
#include <chrono>

namespace matryx {

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Where the earliest stop string starts in text (searching from `from`), or npos.
size_t findStop(const std::string& text, size_t from, const std::vector<std::string>& stops) {
    size_t best = std::string::npos;
    for (const std::string& s : stops) {
        if (s.empty()) continue;
        const size_t at = text.find(s, from);
        if (at < best) best = at;
    }
    return best;
}

// Length of the longest end of `text` that is the beginning of a stop string: text that may yet
// turn out to belong to one and must not be shown.
size_t heldBack(const std::string& text, const std::vector<std::string>& stops) {
    size_t held = 0;
    for (const std::string& s : stops) {
        for (size_t n = std::min(s.size() - (s.empty() ? 0 : 1), text.size()); n > held; --n)
            if (text.compare(text.size() - n, n, s, 0, n) == 0) {
                held = n;
                break;
            }
    }
    return held;
}

} // namespace

const char* stopReasonName(StopReason reason) noexcept {
    switch (reason) {
    case StopReason::EndOfGeneration: return "end of generation token";
    case StopReason::StopString: return "stop string";
    case StopReason::MaxTokens: return "token limit";
    case StopReason::ContextFull: return "context full";
    case StopReason::Cancelled: return "cancelled";
    }
    return "unknown";
}

void Generator::reset() noexcept {
    history_.clear();
    session_.reset();
}

Result<GenerationResult> Generator::generate(std::span<const TokenId> prompt, const GenerationSettings& settings,
                                             const TokenCallback& onToken, Progress& progress) {
    const std::string file = session_.model().model().path.string();
    const int64_t context = session_.contextSize();
    if (prompt.empty()) return makeError(file, "prompt", std::nullopt, "the prompt has no tokens");
    if (int64_t(prompt.size()) >= context)
        return makeError(file, "prompt", std::nullopt,
                         "the prompt has " + std::to_string(prompt.size()) + " tokens; the context holds " +
                             std::to_string(context) + ", which leaves no room to generate");

    // Keep what the cache holds of this prompt, but evaluate at least its last token for logits.
    size_t keep = 0;
    const size_t held = std::min(history_.size(), size_t(session_.position()));
    while (keep < held && keep < prompt.size() && history_[keep] == prompt[keep])
        ++keep;
    keep = std::min(keep, prompt.size() - 1);
    history_.resize(keep);
    session_.truncate(int64_t(keep));

    GenerationResult result;
    result.promptTokens = int64_t(prompt.size() - keep);
    auto start = std::chrono::steady_clock::now();
    auto logits = session_.evaluate(prompt.subspan(keep), int64_t(keep), LogitsMode::Last, progress);
    if (!logits) {
        history_.resize(size_t(session_.position()));
        return std::move(logits).error();
    }
    history_.assign(prompt.begin(), prompt.end());
    result.promptSeconds = secondsSince(start);

    start = std::chrono::steady_clock::now();
    Sampler sampler(settings.sampling);
    Utf8StreamDecoder decoder;
    std::string& text = result.text;
    size_t shown = 0;
    size_t stopSearchFrom = 0;
    size_t longestStop = 0;
    for (const std::string& s : settings.stopStrings)
        longestStop = std::max(longestStop, s.size());
    auto emit = [&](size_t upTo, TokenId id) {
        const std::string_view piece = std::string_view(text).substr(shown, upTo - shown);
        shown = upTo;
        return !onToken || onToken(piece, id);
    };

    for (;;) {
        if (settings.maxTokens >= 0 && int64_t(result.tokens.size()) >= settings.maxTokens) {
            result.reason = StopReason::MaxTokens;
            break;
        }
        if (progress.cancelled()) {
            result.reason = StopReason::Cancelled;
            break;
        }
        const TokenId id = sampler.sample(logits->row(logits->rows - 1), history_);
        result.tokens.push_back(id);
        if (settings.stopAtEndOfGeneration && tokenizer_.attributes().isEndOfGeneration(id)) {
            result.reason = StopReason::EndOfGeneration;
            break;
        }
        text += decoder.push(tokenizer_.tokenPiece(id, settings.renderSpecial));
        if (const size_t at = findStop(text, stopSearchFrom, settings.stopStrings); at != std::string::npos) {
            text.resize(at);
            result.reason = StopReason::StopString;
            if (!emit(std::max(at, shown), id)) result.reason = StopReason::Cancelled;
            break;
        }
        stopSearchFrom = text.size() > longestStop ? text.size() - longestStop : 0;
        if (!emit(std::max(shown, text.size() - heldBack(text, settings.stopStrings)), id)) {
            result.reason = StopReason::Cancelled;
            break;
        }
        if (settings.maxTokens >= 0 && int64_t(result.tokens.size()) >= settings.maxTokens) {
            result.reason = StopReason::MaxTokens;
            break;
        }
        if (session_.position() >= context) {
            result.reason = StopReason::ContextFull;
            result.message = "context full: all " + std::to_string(context) + " positions are used (" +
                             std::to_string(prompt.size()) + " prompt tokens, " +
                             std::to_string(result.tokens.size()) + " generated)";
            break;
        }
        const TokenId one[] = {id};
        logits = session_.evaluate(one, session_.position(), LogitsMode::Last, progress);
        if (!logits) {
            history_.resize(size_t(session_.position()));
            if (logits.error().cancelled) {
                result.reason = StopReason::Cancelled;
                break;
            }
            return std::move(logits).error();
        }
        history_.push_back(id);
    }
    if (result.reason != StopReason::StopString) {
        text += decoder.finish();
        if (text.size() > shown && !emit(text.size(), -1)) result.reason = StopReason::Cancelled;
    }
    result.generateSeconds = secondsSince(start);
    return result;
}

} // namespace matryx
