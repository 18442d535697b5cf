// Whitespace control, comments, raw blocks and string literals, as Jinja renders them with
// Hugging Face's settings (trim_blocks and lstrip_blocks on). Expected outputs are worked out by
// hand from Jinja's documented rules.

#include "infer/chat_template.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

using namespace matryx;

namespace {

std::string render(std::string_view source) {
    auto parsed = ChatTemplate::parse(source, "test");
    if (!parsed) return "PARSE ERROR: " + parsed.error().message;
    ChatRenderOptions options;
    options.now = 0;
    auto text = parsed->render(jinja::Value::list({}), options);
    return text ? *text : "ERROR: " + text.error().message;
}

} // namespace

TEST(JinjaLexer, TextWithoutTagsIsCopied) {
    EXPECT_EQ(render("plain { text } with {braces}"), "plain { text } with {braces}");
}

TEST(JinjaLexer, TrimBlocksDropsTheNewlineAfterABlockTag) {
    EXPECT_EQ(render("{% if true %}\nyes\n{% endif %}\nafter"), "yes\nafter");
}

TEST(JinjaLexer, TrimBlocksDoesNotApplyToPrintTags) {
    EXPECT_EQ(render("{{ 'a' }}\nb"), "a\nb");
}

TEST(JinjaLexer, LstripBlocksRemovesIndentationBeforeABlockTag) {
    EXPECT_EQ(render("x\n    {% if true %}\n    y\n    {% endif %}\nz"), "x\n    y\nz");
}

TEST(JinjaLexer, LstripBlocksKeepsTextBeforeATagOnTheSameLine) {
    EXPECT_EQ(render("a  {% if true %}b{% endif %}"), "a  b");
}

TEST(JinjaLexer, MinusStripsAllWhitespaceOnThatSide) {
    EXPECT_EQ(render("a \n\t {%- if true -%} \n\n b {{- ' c ' -}} \n d{% endif %}"), "ab c d");
}

TEST(JinjaLexer, PlusDisablesLstripAndTrim) {
    EXPECT_EQ(render("  {%+ if true +%}\nx{% endif %}"), "  \nx");
}

TEST(JinjaLexer, CommentsAreDroppedWithTheirLine) {
    EXPECT_EQ(render("a\n  {# a comment #}\nb{#- stripped -#}  c"), "a\nbc");
}

TEST(JinjaLexer, OneTrailingNewlineOfTheTemplateIsDropped) {
    EXPECT_EQ(render("x\n"), "x");
    EXPECT_EQ(render("x\n\n"), "x\n");
}

TEST(JinjaLexer, CarriageReturnsAreNormalized) {
    EXPECT_EQ(render("a\r\nb\rc"), "a\nb\nc");
}

TEST(JinjaLexer, RawBlocksAreText) {
    EXPECT_EQ(render("{% raw %}{{ not evaluated }}{% endraw %}"), "{{ not evaluated }}");
}

TEST(JinjaLexer, StringEscapesFollowPython) {
    EXPECT_EQ(render(R"({{ 'a\nb\t\'\"\\' }})"), "a\nb\t'\"\\");
    EXPECT_EQ(render(R"({{ "\x41\u00e9\U0001F999" }})"), "A\xC3\xA9\xF0\x9F\xA6\x99");
    EXPECT_EQ(render(R"({{ '\q' }})"), "\\q"); // unknown escapes stay as written
}

TEST(JinjaLexer, AdjacentStringLiteralsConcatenate) {
    EXPECT_EQ(render("{{ 'a' \"b\" 'c' }}"), "abc");
}

TEST(JinjaLexer, NumbersWithUnderscoresAndExponents) {
    EXPECT_EQ(render("{{ 1_000 + 1 }} {{ 1.5e3 }} {{ 2E-3 }}"), "1001 1500.0 0.002");
}

TEST(JinjaLexer, UnterminatedStringIsASyntaxError) {
    auto parsed = ChatTemplate::parse("ab\n{{ 'oops }}", "t.jinja");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().file, "t.jinja");
    EXPECT_EQ(parsed.error().field, "line 2, column 4");
    EXPECT_EQ(parsed.error().offset, 6u);
    EXPECT_EQ(parsed.error().message, "unterminated string literal");
}

TEST(JinjaLexer, UnclosedTagIsASyntaxError) {
    auto parsed = ChatTemplate::parse("{% if true ", "t");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message, "unexpected end of template, expected '%}'");
}

TEST(JinjaLexer, MismatchedBracketIsASyntaxError) {
    auto parsed = ChatTemplate::parse("{{ (1] }}", "t");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message, "unexpected ']', expected ')'");
    EXPECT_EQ(parsed.error().field, "line 1, column 6");
}

TEST(JinjaLexer, ColumnsCountCodePoints) {
    auto parsed = ChatTemplate::parse("äöü {{ ) }}", "t");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().field, "line 1, column 8");
    EXPECT_EQ(parsed.error().offset, 10u);
}
