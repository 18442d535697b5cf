#pragma once

// A model's chat format: the Jinja template in tokenizer.chat_template, rendered the way Hugging
// Face transformers renders it (Jinja's sandbox with trim_blocks and lstrip_blocks, its tojson,
// raise_exception and strftime_now), so that the prompt Matryx builds is byte for byte the one
// the model was trained with.
//
// The engine implements the part of Jinja that chat templates use (see jinja_parser.h and
// jinja_filters.h); a template that needs more fails to parse with the construct, line and
// column named, and renderWithFallback() then uses ChatML and says why. Templates are untrusted
// (they come from model files): they cannot read files or load other templates, call only
// whitelisted methods, and each render is bounded in output size, loop iterations, recursion and
// value nesting. Rendering is deterministic: the clock strftime_now reads comes from the options.

#include "base/error.h"
#include "infer/jinja_value.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace matryx {

namespace jinja {
struct Program;
}

struct ChatMessage {
    std::string role; // "system", "user", "assistant", ...
    std::string content;
};

struct ChatRenderOptions {
    // Ends the prompt with the assistant's header so that the model answers (transformers'
    // add_generation_prompt; off by default there too).
    bool addGenerationPrompt = false;
    std::string bosToken; // bos_token and eos_token as the template sees them
    std::string eosToken;
    // Further template variables, e.g. "date_string", "enable_thinking" or "tools". Like
    // transformers, the render defines tools and documents as none unless given here. A variable
    // given here replaces one of the same name set above.
    std::vector<std::pair<std::string, jinja::Value>> variables;
    // The time strftime_now formats (as UTC), in seconds since 1970; the system clock if unset.
    std::optional<int64_t> now;

    size_t maxOutputBytes = 1 << 20;   // output, and any string built on the way
    size_t maxLoopIterations = 100000; // all loop iterations together; also caps list lengths
    int maxRecursionDepth = 64;        // macros calling macros
    int maxValueDepth = 64;            // nesting of lists and dicts
};

// What renderWithFallback() produced and whether the template was replaced by ChatML.
struct ChatRenderResult {
    std::string text;
    bool usedFallback = false;
    std::string fallbackReason; // why the model's template was not used; empty if it was
};

class ChatTemplate {
public:
    // Parses a template. Errors name `name` as the file, "line L, column C" as the field, the
    // byte offset (in the template with line ends normalized to \n) and what is wrong, e.g.
    // "filter 'wordwrap' is not supported" or "the 'include' tag is not supported".
    static Result<ChatTemplate> parse(std::string_view source, std::string name = "chat template");

    // The ChatML format (<|im_start|>role\ncontent<|im_end|>\n), used when a model has no template
    // or one this engine cannot render.
    static const ChatTemplate& chatMl();

    // Renders `messages` as the template's "messages" variable. Fails with the template's own
    // message for raise_exception() (e.g. roles that do not alternate), or with a runtime or
    // limit error at its line and column.
    Result<std::string> render(const std::vector<ChatMessage>& messages,
                               const ChatRenderOptions& options) const;
    // The same, for messages with more structure than role and content (tool calls, content
    // parts): `messages` must be a list value.
    Result<std::string> render(const jinja::Value& messages, const ChatRenderOptions& options) const;

    // Parses and renders `source`; when it is empty, does not parse, or needs a construct the
    // engine lacks, renders ChatML instead and reports why. Errors the template raises itself,
    // runtime errors and limit errors are returned as errors, not hidden by the fallback.
    static Result<ChatRenderResult> renderWithFallback(std::string_view source, const jinja::Value& messages,
                                                       const ChatRenderOptions& options);
    static Result<ChatRenderResult> renderWithFallback(std::string_view source,
                                                       const std::vector<ChatMessage>& messages,
                                                       const ChatRenderOptions& options);

    // Message lists in the form render() takes.
    static jinja::Value messagesValue(const std::vector<ChatMessage>& messages);

private:
    ChatTemplate(std::shared_ptr<const jinja::Program> program, std::string name)
        : program_(std::move(program)), name_(std::move(name)) {}

    std::shared_ptr<const jinja::Program> program_;
    std::string name_;
};

} // namespace matryx
