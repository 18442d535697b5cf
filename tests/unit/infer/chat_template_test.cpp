// ChatTemplate: the variables a template sees, ChatML, and when renderWithFallback() replaces the
// model's template with ChatML and when it reports the template's own error instead.

#include "infer/chat_template.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace matryx;

namespace {

const std::vector<ChatMessage> kChat = {{"system", "Be brief."}, {"user", "Hi"}};

constexpr const char* kChatMlHi = "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n";

} // namespace

TEST(ChatTemplate, TemplateSeesTokensAndGenerationFlag) {
    auto parsed =
        ChatTemplate::parse("{{ bos_token }}|{{ eos_token }}|{{ add_generation_prompt }}|{{ tools }}|"
                            "{{ documents }}|{{ messages | length }}|{{ extra }}");
    ASSERT_TRUE(parsed);
    ChatRenderOptions options;
    options.bosToken = "<s>";
    options.eosToken = "</s>";
    options.addGenerationPrompt = true;
    options.variables.emplace_back("extra", jinja::Value(7));
    auto text = parsed->render(kChat, options);
    ASSERT_TRUE(text) << text.error().toString();
    EXPECT_EQ(*text, "<s>|</s>|True|None|None|2|7");
}

TEST(ChatTemplate, VariablesReplaceTheDefaults) {
    auto parsed = ChatTemplate::parse("{{ tools | length }}");
    ASSERT_TRUE(parsed);
    ChatRenderOptions options;
    options.variables.emplace_back("tools", jinja::Value::list({jinja::Value("t")}));
    auto text = parsed->render(kChat, options);
    ASSERT_TRUE(text);
    EXPECT_EQ(*text, "1");
}

TEST(ChatTemplate, ChatMl) {
    ChatRenderOptions options;
    auto text = ChatTemplate::chatMl().render(kChat, options);
    ASSERT_TRUE(text);
    EXPECT_EQ(*text, kChatMlHi);
    options.addGenerationPrompt = true;
    text = ChatTemplate::chatMl().render(kChat, options);
    ASSERT_TRUE(text);
    EXPECT_EQ(*text, std::string(kChatMlHi) + "<|im_start|>assistant\n");
}

TEST(ChatTemplate, StructuredMessagesReachTheTemplate) {
    jinja::ValueDict part;
    part.set("type", jinja::Value("text"));
    part.set("text", jinja::Value("hello"));
    jinja::ValueDict message;
    message.set("role", jinja::Value("user"));
    message.set("content", jinja::Value::list({jinja::Value::dict(part)}));
    auto parsed = ChatTemplate::parse(
        "{% for m in messages %}{% for p in m.content %}{{ p.text }}{% endfor %}{% endfor %}");
    ASSERT_TRUE(parsed);
    auto text = parsed->render(jinja::Value::list({jinja::Value::dict(message)}), ChatRenderOptions{});
    ASSERT_TRUE(text);
    EXPECT_EQ(*text, "hello");
    EXPECT_FALSE(parsed->render(jinja::Value("not a list"), ChatRenderOptions{}));
}

TEST(ChatTemplate, ModelTemplateIsUsedWhenItWorks) {
    auto result =
        ChatTemplate::renderWithFallback("{% for m in messages %}[{{ m.role }}]{% endfor %}", kChat, {});
    ASSERT_TRUE(result);
    EXPECT_FALSE(result->usedFallback);
    EXPECT_EQ(result->text, "[system][user]");
    EXPECT_EQ(result->fallbackReason, "");
}

TEST(ChatTemplate, MissingTemplateFallsBackToChatMl) {
    auto result = ChatTemplate::renderWithFallback("", kChat, {});
    ASSERT_TRUE(result);
    EXPECT_TRUE(result->usedFallback);
    EXPECT_EQ(result->text, kChatMlHi);
    EXPECT_EQ(result->fallbackReason, "the model has no chat template");
}

TEST(ChatTemplate, UnsupportedTagFallsBackToChatMlWithTheReason) {
    auto result = ChatTemplate::renderWithFallback("line 1\n{% include 'other.jinja' %}", kChat, {});
    ASSERT_TRUE(result);
    EXPECT_TRUE(result->usedFallback);
    EXPECT_EQ(result->text, kChatMlHi);
    EXPECT_EQ(result->fallbackReason,
              "chat template: line 2, column 4 at byte 10: the 'include' tag is not supported: "
              "chat templates cannot load other templates");
}

TEST(ChatTemplate, UnsupportedFilterAndSyntaxErrorsFallBack) {
    for (const char* source :
         {"{{ messages | wordwrap }}", "{% call foo() %}{% endcall %}", "{{ messages[0] ",
          "{% for m in messages %}", "{% for x in y recursive %}{% endfor %}"}) {
        auto result = ChatTemplate::renderWithFallback(source, kChat, {});
        ASSERT_TRUE(result) << source;
        EXPECT_TRUE(result->usedFallback) << source;
        EXPECT_EQ(result->text, kChatMlHi) << source;
        EXPECT_FALSE(result->fallbackReason.empty()) << source;
    }
}

TEST(ChatTemplate, TemplateErrorsAreReportedNotHidden) {
    // raise_exception is the template refusing the conversation: ChatML would be the wrong prompt.
    auto raised =
        ChatTemplate::renderWithFallback("{{ raise_exception('System role not supported') }}", kChat, {});
    ASSERT_FALSE(raised);
    EXPECT_EQ(raised.error().message, "raise_exception: System role not supported");
    auto runtime = ChatTemplate::renderWithFallback("{{ messages[0].content + 1 }}", kChat, {});
    ASSERT_FALSE(runtime);
    EXPECT_EQ(runtime.error().message, "unsupported operand type(s) for +: 'str' and 'int'");
    ChatRenderOptions small;
    small.maxOutputBytes = 4;
    auto limited = ChatTemplate::renderWithFallback("{{ messages[0].content }}", kChat, small);
    ASSERT_FALSE(limited);
    EXPECT_EQ(limited.error().message, "text exceeds the output limit of 4 bytes");
}

TEST(ChatTemplate, ParseErrorsNameTheTemplate) {
    auto parsed = ChatTemplate::parse("{% frobnicate %}", "model.gguf: tokenizer.chat_template");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().toString(), "model.gguf: tokenizer.chat_template: line 1, column 4 at byte 3: "
                                         "unknown or misplaced tag 'frobnicate'");
}
