// Expressions: literals, operators and their precedence, comparisons, tests, indexing, slicing,
// string methods and how values print. Expected outputs are Python's and Jinja's, worked by hand.

#include "infer/chat_template.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

using namespace matryx;

namespace {

using Variables = std::vector<std::pair<std::string, jinja::Value>>;

std::string render(std::string_view source, Variables variables = {}) {
    auto parsed = ChatTemplate::parse(source, "test");
    if (!parsed) return "PARSE ERROR: " + parsed.error().message;
    ChatRenderOptions options;
    options.now = 0;
    options.variables = std::move(variables);
    auto text = parsed->render(jinja::Value::list({}), options);
    return text ? *text : "ERROR: " + text.error().message;
}

jinja::Value message(std::string role, std::string content) {
    jinja::ValueDict entries;
    entries.set("role", jinja::Value(std::move(role)));
    entries.set("content", jinja::Value(std::move(content)));
    return jinja::Value::dict(std::move(entries));
}

} // namespace

TEST(JinjaExpression, Arithmetic) {
    EXPECT_EQ(render("{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 7 - 10 }} {{ 2 ** 10 }} {{ 2 ** 3 ** 2 }}"),
              "7 9 -3 1024 64"); // Jinja's ** is left-associative: (2**3)**2
    EXPECT_EQ(render("{{ 7 / 2 }} {{ 6 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }}"),
              "3.5 3.0 3 -4 1 2");
    EXPECT_EQ(render("{{ 0.1 + 0.2 }} {{ 1.5 * 2 }} {{ -(3) }} {{ 1e20 }} {{ 1e-5 }}"),
              "0.30000000000000004 3.0 -3 1e+20 1e-05");
}

TEST(JinjaExpression, IntegerOverflowFails) {
    EXPECT_EQ(render("{{ 9223372036854775807 + 1 }}"),
              "ERROR: integer overflow (integers are limited to 64 bits)");
    EXPECT_EQ(render("{{ 2 ** 62 }}"), "4611686018427387904");
}

TEST(JinjaExpression, DivisionByZeroFails) {
    EXPECT_EQ(render("{{ 1 // 0 }}"), "ERROR: integer division or modulo by zero");
    EXPECT_EQ(render("{{ 1 / 0 }}"), "ERROR: division by zero");
}

TEST(JinjaExpression, StringConcatenation) {
    EXPECT_EQ(render("{{ 'a' + 'b' }} {{ 'n=' ~ 3 ~ none ~ true }} {{ 'ab' * 3 }}"), "ab n=3NoneTrue ababab");
    EXPECT_EQ(render("{{ 'a' + 1 }}"), "ERROR: unsupported operand type(s) for +: 'str' and 'int'");
}

TEST(JinjaExpression, FilterBindsTighterThanPlus) {
    // Llama 3's template relies on this: 'x' + content | trim trims only content.
    EXPECT_EQ(render("{{ '[' + '  a  ' | trim + ']' }}"), "[a]");
}

TEST(JinjaExpression, Comparisons) {
    EXPECT_EQ(render("{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 1 == 1.0 }} {{ 'a' != 'b' }} {{ 'abc' < 'abd' }}"),
              "True False True True True");
    EXPECT_EQ(render("{{ 'b' in 'abc' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 3 not in [1] }}"),
              "True True True True");
    EXPECT_EQ(render("{{ [1, 2] == [1, 2] }} {{ (1, 2) == [1, 2] }} {{ true == 1 }}"), "True False True");
}

TEST(JinjaExpression, BooleanOperatorsReturnOperands) {
    EXPECT_EQ(render("{{ 0 or 'x' }} {{ 'a' and 'b' }} {{ '' and 1 }}|{{ not 0 }} {{ not [1] }}"),
              "x b |True False");
    EXPECT_EQ(render("{{ 'y' if 1 > 2 else 'n' }} [{{ 'y' if false }}]"), "n []");
}

TEST(JinjaExpression, Tests) {
    EXPECT_EQ(render("{{ x is defined }} {{ y is undefined }} {{ none is none }} {{ 'a' is string }}",
                     {{"x", jinja::Value(1)}}),
              "True True True True");
    EXPECT_EQ(render("{{ 3 is odd }} {{ 4 is even }} {{ 9 is divisibleby 3 }} {{ 5 is not divisibleby(2) }}"),
              "True True True True");
    EXPECT_EQ(render("{{ {} is mapping }} {{ [] is iterable }} {{ 1 is number }} {{ 1.0 is integer }}"),
              "True True True False");
    EXPECT_EQ(render("{{ 'a' is in 'cat' }} {{ 2 is eq 2 }} {{ 'ABC' is upper }} {{ 'aB' is lower }}"),
              "True True True False");
}

TEST(JinjaExpression, IndexingDictsListsAndStrings) {
    const Variables vars = {{"m", message("user", "Hi")}};
    EXPECT_EQ(render("{{ m['role'] }} {{ m.content }} {{ [10, 20, 30][-1] }} {{ 'héllo'[1] }}", vars),
              "user Hi 30 é");
    EXPECT_EQ(render("[{{ m.missing }}] {{ m.missing is defined }} {{ m.get('missing', 'd') }}", vars),
              "[] False d");
    EXPECT_EQ(render("{{ m.missing.deeper }}", vars), "ERROR: 'dict object' has no attribute 'missing'");
    EXPECT_EQ(render("{{ undefined_name.x }}"), "ERROR: 'undefined_name' is undefined");
}

TEST(JinjaExpression, Slicing) {
    EXPECT_EQ(
        render("{{ [1, 2, 3, 4, 5][1:3] }} {{ [1, 2, 3][1:] }} {{ [1, 2, 3][:-1] }} {{ [1, 2, 3][::-1] }}"),
        "[2, 3] [2, 3] [1, 2] [3, 2, 1]");
    EXPECT_EQ(
        render(
            "{{ 'abcdef'[::2] }} {{ 'abcdef'[-2:] }} {{ 'héllo'[1:3] }} {{ 'abc'[5:] }}|{{ 'abc'[-9:2] }}"),
        "ace ef él |ab");
    EXPECT_EQ(render("{{ [1, 2][::0] }}"), "ERROR: slice step cannot be zero");
}

TEST(JinjaExpression, StringMethods) {
    EXPECT_EQ(render("[{{ '  x  '.strip() }}|{{ 'xxaxx'.lstrip('x') }}|{{ ' a '.rstrip() }}]"), "[x|axx| a]");
    EXPECT_EQ(render("{{ 'a,b,,c'.split(',') }} {{ ' a  b '.split() }} {{ 'a b c'.split(' ', 1) }}"),
              "['a', 'b', '', 'c'] ['a', 'b'] ['a', 'b c']");
    EXPECT_EQ(render("{{ 'hello'.startswith('he') }} {{ 'hello'.endswith(('x', 'lo')) }}"), "True True");
    EXPECT_EQ(
        render(
            "{{ 'aXb'.upper() }} {{ 'aXb'.lower() }} {{ 'hello wORLD'.title() }} {{ 'hELLO'.capitalize() }}"),
        "AXB axb Hello World Hello");
    EXPECT_EQ(
        render(
            "{{ 'a-b-c'.replace('-', '+') }} {{ 'a-b-c'.replace('-', '', 1) }} {{ ', '.join(['x', 'y']) }}"),
        "a+b+c ab-c x, y");
    EXPECT_EQ(render("{{ 'héllo'.find('l') }} {{ 'banana'.count('an') }} {{ 'abc'.find('z') }}"), "2 2 -1");
    EXPECT_EQ(render("{{ '</think>answer'.split('</think>')[-1] }}"), "answer");
}

TEST(JinjaExpression, DictMethods) {
    EXPECT_EQ(render("{% for k, v in {'a': 1, 'b': [2]}.items() %}{{ k }}={{ v }};{% endfor %}"),
              "a=1;b=[2];");
    EXPECT_EQ(render("{{ {'a': 1, 'b': 2}.keys() | list }} {{ {'a': 1}.values() | list }}"),
              "['a', 'b'] [1]");
}

TEST(JinjaExpression, UnknownMethodIsUnsupported) {
    EXPECT_EQ(render("{{ [].append(1) }}"), "PARSE ERROR: method 'append' is not supported");
    EXPECT_EQ(render("{{ ''.__class__ }}"), ""); // an attribute, not a call: undefined, prints nothing
    EXPECT_EQ(render("{{ {}.strip() }}"), "ERROR: 'dict' object has no method 'strip'");
    EXPECT_EQ(render("{{ 'a'.items() }}"), "ERROR: 'str' object has no method 'items'");
}

TEST(JinjaExpression, ValuesPrintAsPythonDoes) {
    EXPECT_EQ(render("{{ [1, 'a', none, true, 1.5, [2]] }} {{ {'k': \"it's\"} }} {{ (1,) }} {{ () }}"),
              "[1, 'a', None, True, 1.5, [2]] {'k': \"it's\"} (1,) ()");
    EXPECT_EQ(render("{{ ['a\\nb', 'é'] }}"), "['a\\nb', 'é']");
}

TEST(JinjaExpression, UndefinedPrintsNothingButFailsInArithmetic) {
    EXPECT_EQ(render("[{{ nothing }}]"), "[]");
    EXPECT_EQ(render("{{ nothing + 1 }}"), "ERROR: 'nothing' is undefined");
}

TEST(JinjaExpression, RuntimeErrorsNameTheirPosition) {
    auto parsed = ChatTemplate::parse("line one\n  {{ 1 + 'x' }}", "t");
    ASSERT_TRUE(parsed);
    ChatRenderOptions options;
    auto text = parsed->render(jinja::Value::list({}), options);
    ASSERT_FALSE(text);
    EXPECT_EQ(text.error().field, "line 2, column 6");
    EXPECT_EQ(text.error().offset, 14u);
}
