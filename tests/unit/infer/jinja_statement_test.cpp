// Statements: for loops and the loop object, if/elif/else, set and its scoping, namespace, macros,
// filter and set blocks, break/continue. Expected outputs are worked by hand from Jinja's rules.

#include "infer/chat_template.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

using namespace matryx;

namespace {

std::string render(std::string_view source, const std::vector<ChatMessage>& messages = {}) {
    auto parsed = ChatTemplate::parse(source, "test");
    if (!parsed) return "PARSE ERROR: " + parsed.error().message;
    ChatRenderOptions options;
    options.now = 0;
    auto text = parsed->render(messages, options);
    return text ? *text : "ERROR: " + text.error().message;
}

} // namespace

TEST(JinjaStatement, LoopObject) {
    EXPECT_EQ(
        render("{% for x in 'abc' %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}"
               "{{ loop.first }}{{ loop.last }}{{ loop.length }};{% endfor %}"),
        "1032TrueFalse3;2121FalseFalse3;3210FalseTrue3;");
    EXPECT_EQ(render("{% for x in [1, 2, 3] %}{{ loop.previtem }}-{{ loop.nextitem }} {% endfor %}"),
              "-2 1-3 2- ");
}

TEST(JinjaStatement, LoopFilterElseAndUnpacking) {
    EXPECT_EQ(render("{% for x in [1, 2, 3, 4] if x is even %}{{ x }}{{ loop.last }} {% endfor %}"),
              "2False 4True ");
    EXPECT_EQ(render("{% for x in [] %}x{% else %}empty{% endfor %}"), "empty");
    EXPECT_EQ(render("{% for a, b in [[1, 2], [3, 4]] %}{{ a + b }},{% endfor %}"), "3,7,");
    EXPECT_EQ(render("{% for a, b in [[1, 2, 3]] %}{% endfor %}"),
              "ERROR: too many values to unpack (expected 2)");
}

TEST(JinjaStatement, BreakAndContinue) {
    EXPECT_EQ(
        render("{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 5 %}{% break %}"
               "{% endif %}{{ x }}{% endfor %}"),
        "0134");
    EXPECT_EQ(render("{% break %}"), "PARSE ERROR: 'break' outside of a loop");
}

TEST(JinjaStatement, IfElifElse) {
    const char* source =
        "{% for n in [1, 2, 3] %}{% if n == 1 %}one{% elif n == 2 %}two{% else %}many{% endif %} "
        "{% endfor %}";
    EXPECT_EQ(render(source), "one two many ");
}

TEST(JinjaStatement, SetInsideALoopDoesNotLeak) {
    EXPECT_EQ(
        render("{% set x = 'outer' %}{% for i in [1] %}{% set x = 'inner' %}{{ x }} {% endfor %}{{ x }}"),
        "inner outer");
    EXPECT_EQ(render("{% set x = 1 %}{% if true %}{% set x = 2 %}{% endif %}{{ x }}"), "2");
}

TEST(JinjaStatement, NamespaceCarriesValuesOutOfLoops) {
    EXPECT_EQ(render("{% set ns = namespace(count=0, seen=false) %}{% for i in [1, 2, 3] %}"
                     "{% set ns.count = ns.count + i %}{% set ns.seen = true %}{% endfor %}{{ ns.count }} {{ "
                     "ns.seen }}"),
              "6 True");
    EXPECT_EQ(render("{% set ns = namespace() %}{% set ns.text = 'a' %}{% set ns.text = ns.text ~ 'b' %}{{ "
                     "ns.text }}"),
              "ab");
    EXPECT_EQ(render("{% set s = 'x' %}{% set s.attr = 1 %}"),
              "ERROR: cannot assign attribute on non-namespace object 's'");
}

TEST(JinjaStatement, TupleAssignment) {
    EXPECT_EQ(render("{% set a, b = 1, 2 %}{{ b }}{{ a }}"), "21");
}

TEST(JinjaStatement, SetBlockAndFilterBlock) {
    EXPECT_EQ(render("{% set block %}  text {{ 1 + 1 }}  {% endset %}[{{ block }}]"), "[  text 2  ]");
    EXPECT_EQ(render("{% set block | trim | upper %}  text  {% endset %}[{{ block }}]"), "[TEXT]");
    EXPECT_EQ(render("{% filter upper %}abc{{ 'd' }}{% endfilter %}"), "ABCD");
}

TEST(JinjaStatement, Macros) {
    EXPECT_EQ(render("{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}"
                     "{{ greet('Ann') }} {{ greet('Bo', punct='?') }} {{ greet(name='Cy') }}"),
              "Hi Ann! Hi Bo? Hi Cy!");
    EXPECT_EQ(render("{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}"),
              "ERROR: macro 'm' takes not more than 1 argument(s)");
    EXPECT_EQ(render("{{ nowhere() }}"), "PARSE ERROR: unknown function 'nowhere'");
}

TEST(JinjaStatement, MacrosRecurse) {
    EXPECT_EQ(render("{% macro down(n) %}{{ n }}{% if n > 0 %}{{ down(n - 1) }}{% endif %}{% endmacro %}{{ "
                     "down(3) }}"),
              "3210");
}

TEST(JinjaStatement, MessagesAndRaiseException) {
    const std::vector<ChatMessage> chat = {{"user", "a"}, {"user", "b"}};
    const char* source =
        "{% for m in messages %}{% if (m.role == 'user') != (loop.index0 % 2 == 0) %}"
        "{{ raise_exception('roles must alternate') }}{% endif %}{{ m.content }}{% endfor %}";
    EXPECT_EQ(render(source, {{"user", "a"}, {"assistant", "b"}}), "ab");
    EXPECT_EQ(render(source, chat), "ERROR: raise_exception: roles must alternate");
}

TEST(JinjaStatement, RangeAndDict) {
    EXPECT_EQ(render("{{ range(3) | list }} {{ range(1, 10, 4) | list }} {{ range(3, 0, -1) | list }}"),
              "[0, 1, 2] [1, 5, 9] [3, 2, 1]");
    EXPECT_EQ(render("{{ dict(a=1, b='x') }}"), "{'a': 1, 'b': 'x'}");
}

TEST(JinjaStatement, StrftimeNowReadsTheGivenClock) {
    auto parsed = ChatTemplate::parse("{{ strftime_now('%d %b %Y %H:%M:%S %A %j') }}", "t");
    ASSERT_TRUE(parsed);
    ChatRenderOptions options;
    options.now = 951782400 + 3661; // 2000-02-29 01:01:01 UTC, a Tuesday, day 60 of a leap year
    auto text = parsed->render(std::vector<ChatMessage>{}, options);
    ASSERT_TRUE(text);
    EXPECT_EQ(*text, "29 Feb 2000 01:01:01 Tuesday 060");
}

TEST(JinjaStatement, GenerationBlockKeepsItsBody) {
    EXPECT_EQ(render("a{% generation %}b{% endgeneration %}c"), "abc");
}
