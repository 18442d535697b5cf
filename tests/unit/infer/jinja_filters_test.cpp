// Filters, with Jinja's semantics and Hugging Face's tojson (json.dumps, ensure_ascii off).
// Expected outputs are worked by hand from Jinja's and Python's documentation.

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

jinja::Value people() {
    jinja::ValueList list;
    for (const auto& [name, age] :
         std::vector<std::pair<std::string, int>>{{"bo", 30}, {"Al", 25}, {"cy", 35}}) {
        jinja::ValueDict entry;
        entry.set("name", jinja::Value(name));
        entry.set("age", jinja::Value(age));
        list.push_back(jinja::Value::dict(std::move(entry)));
    }
    return jinja::Value::list(std::move(list));
}

} // namespace

TEST(JinjaFilters, TrimAndCase) {
    EXPECT_EQ(render("[{{ ' \\n a b \\t' | trim }}] [{{ 'xxayx' | trim('x') }}]"), "[a b] [ay]");
    EXPECT_EQ(render("{{ 'aBc' | upper }} {{ 'aBc' | lower }} {{ 'hello-world foo' | title }} {{ 'aBC' | "
                     "capitalize }}"),
              "ABC abc Hello-World Foo Abc");
}

TEST(JinjaFilters, LengthCountsCodePointsItemsAndKeys) {
    EXPECT_EQ(render("{{ 'héllo' | length }} {{ [1, 2] | length }} {{ {'a': 1} | count }} {{ '' | length }}"),
              "5 2 1 0");
}

TEST(JinjaFilters, ToJsonLikeHuggingFace) {
    EXPECT_EQ(render("{{ {'b': 1, 'a': [true, none, 1.5, 'é\"\\n']} | tojson }}"),
              "{\"b\": 1, \"a\": [true, null, 1.5, \"é\\\"\\n\"]}");
    EXPECT_EQ(render("{{ {'b': 1, 'a': {}} | tojson(indent=2) }}"), "{\n  \"b\": 1,\n  \"a\": {}\n}");
    EXPECT_EQ(render("{{ {'b': 1, 'a': 2} | tojson(sort_keys=true, separators=(',', ':')) }}"),
              "{\"a\":2,\"b\":1}");
    EXPECT_EQ(render("{{ 'é<>&' | tojson(ensure_ascii=true) }}"), "\"\\u00e9<>&\"");
    EXPECT_EQ(render("{{ x | tojson }}"), "ERROR: Object of type Undefined is not JSON serializable");
}

TEST(JinjaFilters, JoinDefaultAndString) {
    EXPECT_EQ(render("{{ [1, 'a', none] | join(', ') }} {{ ['x', 'y'] | join }}"), "1, a, None xy");
    EXPECT_EQ(render("{{ x | default('d') }} {{ '' | default('d') }}|{{ '' | default('d', true) }} {{ none | "
                     "d('d') }}"),
              "d |d None");
    EXPECT_EQ(render("{{ (12 | string) + '!' }} {{ [1] | string }}"), "12! [1]");
}

TEST(JinjaFilters, FirstLastListReverse) {
    EXPECT_EQ(render("{{ [3, 4, 5] | first }} {{ [3, 4, 5] | last }} {{ 'abc' | list }} {{ [1, 2] | reverse "
                     "| list }}"),
              "3 5 ['a', 'b', 'c'] [2, 1]");
    EXPECT_EQ(render("[{{ [] | first }}]"), "[]");
}

TEST(JinjaFilters, NumbersIntFloatRoundAbsSum) {
    EXPECT_EQ(
        render("{{ '42' | int + 1 }} {{ 'x' | int }} {{ 3.9 | int }} {{ '2.5' | float }} {{ -3 | abs }}"),
        "43 0 3 2.5 3");
    EXPECT_EQ(
        render(
            "{{ 2.5 | round }} {{ 3.14159 | round(2) }} {{ 2.1 | round(0, 'ceil') }} {{ [1, 2, 3] | sum }}"),
        "2.0 3.14 3.0 6");
}

TEST(JinjaFilters, SelectAttrMapAndSort) {
    const Variables vars = {{"people", people()}};
    EXPECT_EQ(render("{{ people | selectattr('age', 'gt', 28) | map(attribute='name') | join(',') }}", vars),
              "bo,cy");
    EXPECT_EQ(
        render("{{ people | rejectattr('name', 'equalto', 'bo') | map(attribute='age') | list }}", vars),
        "[25, 35]");
    EXPECT_EQ(render("{{ people | sort(attribute='name') | map(attribute='name') | join(',') }}", vars),
              "Al,bo,cy");
    EXPECT_EQ(
        render("{{ people | sort(attribute='age', reverse=true) | map(attribute='age') | join(',') }}", vars),
        "35,30,25");
    EXPECT_EQ(render("{{ ['b', 'A', 'c'] | sort | list }} {{ [1, 0, 2] | select | list }} {{ ['a', 'B'] | "
                     "map('upper') | list }}"),
              "['A', 'b', 'c'] [1, 2] ['A', 'B']");
    EXPECT_EQ(render("{{ people | map(attribute='name') | max }} {{ [3, 1, 2] | min }} {{ [1, 2, 1] | unique "
                     "| list }}",
                     vars),
              "cy 1 [1, 2]");
}

TEST(JinjaFilters, ItemsAndDictsort) {
    EXPECT_EQ(render("{% for k, v in {'b': 1, 'a': 2} | items %}{{ k }}{{ v }}{% endfor %}"), "b1a2");
    EXPECT_EQ(render("{% for k, v in {'b': 1, 'a': 2} | dictsort %}{{ k }}{{ v }}{% endfor %}"), "a2b1");
}

TEST(JinjaFilters, ReplaceIndentEscape) {
    EXPECT_EQ(render("{{ 'a.b.c' | replace('.', '/') }} {{ 'aaa' | replace('a', 'b', 2) }}"), "a/b/c bba");
    EXPECT_EQ(render("{{ 'x\\ny\\n\\nz' | indent(2) }}"), "x\n  y\n\n  z");
    EXPECT_EQ(render("{{ 'x\\ny' | indent(2, true) }}"), "  x\n  y");
    EXPECT_EQ(render("{{ '<a href=\"x\">&' | e }}"), "&lt;a href=&#34;x&#34;&gt;&amp;");
}

TEST(JinjaFilters, UnknownFilterIsUnsupportedWhenParsed) {
    EXPECT_EQ(render("{{ 'text' | wordwrap(5) }}"), "PARSE ERROR: filter 'wordwrap' is not supported");
}

TEST(JinjaFilters, BadArgumentsFailWithTheFilterName) {
    EXPECT_EQ(render("{{ 'a' | trim(1, 2) }}"), "ERROR: trim() takes at most 1 arguments (2 given)");
    EXPECT_EQ(render("{{ 'a' | replace('a') }}"), "ERROR: replace() missing required argument 'new'");
}
