// Templates come from model files: whatever they do, a render ends quickly with text or an error.
// Each case is built to pass one limit of ChatRenderOptions.

#include "infer/chat_template.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

using namespace matryx;

namespace {

Result<std::string> renderWith(std::string_view source, const ChatRenderOptions& options) {
    auto parsed = ChatTemplate::parse(source, "t");
    if (!parsed) return std::move(parsed).error();
    return parsed->render(std::vector<ChatMessage>{}, options);
}

std::string errorOf(std::string_view source, const ChatRenderOptions& options = {}) {
    auto text = renderWith(source, options);
    return text ? "rendered " + std::to_string(text->size()) + " bytes" : text.error().message;
}

} // namespace

TEST(JinjaLimits, NestedLoopsThatWouldRunForeverStop) {
    // 100000^3 iterations if nothing stopped them.
    EXPECT_EQ(errorOf("{% for a in range(100000) %}{% for b in range(100000) %}{% for c in range(100000) %}"
                      "{% endfor %}{% endfor %}{% endfor %}"),
              "loops ran more than 100000 iterations");
}

TEST(JinjaLimits, RangeLongerThanTheLimitFails) {
    ChatRenderOptions options;
    options.maxLoopIterations = 1000;
    EXPECT_EQ(errorOf("{{ range(1001) | length }}", options),
              "range() is longer than the limit of 1000 items");
    EXPECT_EQ(errorOf("{{ range(1000) | length }}", options), "rendered 4 bytes");
}

TEST(JinjaLimits, DoublingAStringStopsAtTheOutputLimit) {
    ChatRenderOptions options;
    options.maxOutputBytes = 1 << 16;
    const char* source =
        "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}"
        "{{ ns.s }}";
    EXPECT_EQ(errorOf(source, options), "string exceeds the output limit of 65536 bytes");
}

TEST(JinjaLimits, RepetitionAndOutputLimits) {
    ChatRenderOptions options;
    options.maxOutputBytes = 1000;
    EXPECT_EQ(errorOf("{{ 'x' * 1001 }}", options),
              "string repetition exceeds the output limit of 1000 bytes");
    EXPECT_EQ(errorOf("{% for i in range(600) %}ab{% endfor %}", options),
              "output exceeds the limit of 1000 bytes");
    EXPECT_EQ(errorOf("{{ 'x' * 1000 }}", options), "rendered 1000 bytes");
}

TEST(JinjaLimits, UnboundedMacroRecursionStops) {
    EXPECT_EQ(errorOf("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"),
              "macro calls nests deeper than 64 levels");
}

TEST(JinjaLimits, DeeplyNestedValuesStop) {
    ChatRenderOptions options;
    options.maxValueDepth = 8;
    EXPECT_EQ(
        errorOf("{% set ns = namespace(v=1) %}{% for i in range(20) %}{% set ns.v = [ns.v] %}{% endfor %}",
                options),
        "a value nests deeper than 8 levels");
}

TEST(JinjaLimits, DeeplyNestedSourceIsRefusedWhenParsed) {
    const std::string source = "{{ " + std::string(5000, '(') + "1" + std::string(5000, ')') + " }}";
    auto parsed = ChatTemplate::parse(source, "t");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message, "template nests deeper than 200 levels");
}

TEST(JinjaLimits, OversizedSourceIsRefused) {
    auto parsed = ChatTemplate::parse(std::string((1 << 20) + 1, 'x'), "t");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message, "template is 1048577 bytes, more than the limit of 1048576");
}

TEST(JinjaLimits, ErrorsCarryLineColumnAndOffset) {
    auto text = renderWith("ok\n{% for i in range(10) %}\n  {{ i.x.y }}{% endfor %}", {});
    ASSERT_FALSE(text);
    EXPECT_EQ(text.error().file, "t");
    // The position is that of the failing lookup, the second dot.
    EXPECT_EQ(text.error().field, "line 3, column 9");
    EXPECT_EQ(text.error().offset, 36u);
    EXPECT_EQ(text.error().message, "'int object' has no attribute 'x'");
}
