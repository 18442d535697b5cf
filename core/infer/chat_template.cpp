#include "infer/chat_template.h"

#include "infer/jinja_error.h"
#include "infer/jinja_evaluator.h"
#include "infer/jinja_lexer.h"
#include "infer/jinja_parser.h"
#include "infer/jinja_text.h"

#include <chrono>
#include <new>

namespace matryx {

namespace {

constexpr size_t kMaxSourceBytes = 1 << 20;

constexpr std::string_view kChatMl =
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + "
    "'<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% "
    "endif %}";

Error toError(const jinja::TemplateError& error, const std::string& name, std::string_view normalizedSource) {
    std::string field;
    std::optional<uint64_t> offset;
    if (error.position && *error.position <= normalizedSource.size()) {
        const std::string_view before = normalizedSource.substr(0, *error.position);
        const size_t lineStart = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
        size_t line = 1;
        for (const char c : before)
            line += c == '\n' ? 1 : 0;
        const size_t column = jinja::codepointCount(before.substr(lineStart)) + 1;
        field = "line " + std::to_string(line) + ", column " + std::to_string(column);
        offset = *error.position;
    }
    const std::string message =
        error.kind == jinja::ErrorKind::Raised ? "raise_exception: " + error.message : error.message;
    return makeError(name, std::move(field), offset, message);
}

jinja::RenderInputs makeInputs(const jinja::Value& messages, const ChatRenderOptions& options) {
    jinja::RenderInputs inputs;
    inputs.variables.set("messages", messages);
    inputs.variables.set("tools", jinja::Value(nullptr));
    inputs.variables.set("documents", jinja::Value(nullptr));
    inputs.variables.set("add_generation_prompt", jinja::Value(options.addGenerationPrompt));
    inputs.variables.set("bos_token", jinja::Value(options.bosToken));
    inputs.variables.set("eos_token", jinja::Value(options.eosToken));
    for (const auto& [name, value] : options.variables)
        inputs.variables.set(name, value);
    inputs.limits.maxBytes = options.maxOutputBytes;
    inputs.limits.maxItems = options.maxLoopIterations;
    inputs.limits.maxCallDepth = options.maxRecursionDepth;
    inputs.limits.maxValueDepth = options.maxValueDepth;
    inputs.now = options.now ? *options.now
                             : std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
    return inputs;
}

// Runs `work`, turning the engine's exceptions into an Error; `kind` receives the TemplateError's
// kind so that renderWithFallback can tell unsupported constructs from the template's own errors.
template <class T, class Work>
Result<T> guarded(Work work, const std::string& name, std::string_view normalizedSource,
                  std::optional<jinja::ErrorKind>* kind = nullptr) {
    try {
        return work();
    } catch (const jinja::TemplateError& error) {
        if (kind) *kind = error.kind;
        return toError(error, name, normalizedSource);
    } catch (const std::bad_alloc&) {
        return makeError(name, {}, std::nullopt, "out of memory while processing the chat template");
    } catch (const std::exception& error) {
        return makeError(name, {}, std::nullopt, std::string("chat template failed: ") + error.what());
    }
}

bool fallsBack(jinja::ErrorKind kind) {
    return kind == jinja::ErrorKind::Syntax || kind == jinja::ErrorKind::Unsupported;
}

} // namespace

Result<ChatTemplate> ChatTemplate::parse(std::string_view source, std::string name) {
    if (source.size() > kMaxSourceBytes)
        return makeError(name, {}, std::nullopt,
                         "template is " + std::to_string(source.size()) + " bytes, more than the limit of " +
                             std::to_string(kMaxSourceBytes));
    const std::string normalized = jinja::normalizeTemplateSource(source);
    auto program = guarded<std::shared_ptr<const jinja::Program>>(
        [&] { return std::make_shared<const jinja::Program>(jinja::parseTemplate(source)); }, name,
        normalized);
    if (!program) return std::move(program).error();
    return ChatTemplate(std::move(program).value(), std::move(name));
}

const ChatTemplate& ChatTemplate::chatMl() {
    static const ChatTemplate chatMl = std::move(parse(kChatMl, "ChatML template")).value();
    return chatMl;
}

jinja::Value ChatTemplate::messagesValue(const std::vector<ChatMessage>& messages) {
    jinja::ValueList list;
    for (const ChatMessage& message : messages) {
        jinja::ValueDict entry;
        entry.set("role", jinja::Value(message.role));
        entry.set("content", jinja::Value(message.content));
        list.push_back(jinja::Value::dict(std::move(entry)));
    }
    return jinja::Value::list(std::move(list));
}

Result<std::string> ChatTemplate::render(const std::vector<ChatMessage>& messages,
                                         const ChatRenderOptions& options) const {
    return render(messagesValue(messages), options);
}

Result<std::string> ChatTemplate::render(const jinja::Value& messages,
                                         const ChatRenderOptions& options) const {
    if (!messages.isList()) return makeError(name_, "messages", std::nullopt, "messages must be a list");
    return guarded<std::string>(
        [&] { return jinja::renderProgram(*program_, makeInputs(messages, options)); }, name_,
        program_->source);
}

Result<ChatRenderResult> ChatTemplate::renderWithFallback(std::string_view source,
                                                          const jinja::Value& messages,
                                                          const ChatRenderOptions& options) {
    std::string reason;
    if (source.empty()) {
        reason = "the model has no chat template";
    } else {
        auto parsed = parse(source);
        if (parsed) {
            if (!messages.isList())
                return makeError(parsed->name_, "messages", std::nullopt, "messages must be a list");
            std::optional<jinja::ErrorKind> kind;
            auto text = guarded<std::string>(
                [&] { return jinja::renderProgram(*parsed->program_, makeInputs(messages, options)); },
                parsed->name_, parsed->program_->source, &kind);
            if (text) return ChatRenderResult{std::move(text).value(), false, {}};
            if (!kind || !fallsBack(*kind)) return std::move(text).error();
            reason = text.error().toString();
        } else {
            reason = parsed.error().toString();
        }
    }
    auto text = chatMl().render(messages, options);
    if (!text) return std::move(text).error();
    return ChatRenderResult{std::move(text).value(), true, std::move(reason)};
}

Result<ChatRenderResult> ChatTemplate::renderWithFallback(std::string_view source,
                                                          const std::vector<ChatMessage>& messages,
                                                          const ChatRenderOptions& options) {
    return renderWithFallback(source, messagesValue(messages), options);
}

} // namespace matryx
