#pragma once

// Builds the syntax tree from tokens, following Jinja's grammar and operator precedence (lowest
// first): "x if c else y", or, and, not, comparisons and in/not in, + -, ~, * / // %, **, unary
// - +, then postfix .attr [index] [a:b:c] (call), filters (|f) and tests (is t).
//
// Statements: if/elif/else, for/else (with "if" filter, loop.*, break and continue), set (names,
// tuples, namespace attributes, and the {% set x %}...{% endset %} block), macro, filter blocks,
// print, and Hugging Face's generation block (its body is kept, the markers dropped). Tags that
// load other templates or are not implemented (include, import, extends, block, call, with, ...)
// fail as unsupported, as do unknown filters, tests, methods and functions, so that a template
// the engine cannot render is refused when parsed, not half-way through a chat.

#include "infer/jinja_ast.h"
#include "infer/jinja_lexer.h"

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace matryx::jinja {

// Throws TemplateError (syntax, unsupported or limit) with the position of the offending token.
Program parseTemplate(std::string_view source);

class Parser {
public:
    explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}
    StmtList parseAll();

private:
    // Statements (jinja_parser.cpp)
    StmtList parseBody(std::initializer_list<std::string_view> endTags);
    void parseStatement(StmtList& out);
    StmtPtr parseIf(size_t position);
    StmtPtr parseFor(size_t position);
    StmtPtr parseSet(size_t position);
    StmtPtr parseMacro(size_t position);
    StmtPtr parseFilterBlock(size_t position);
    ExprPtr parseFilterChain(ExprPtr operand);
    std::vector<std::string> parseTargetNames(std::string_view endWord);

    // Expressions (jinja_expression_parser.cpp)
    ExprPtr parseTuple(bool withCondition, std::string_view extraEnd = {});
    ExprPtr parseExpression(bool withCondition = true);
    ExprPtr parseOr();
    ExprPtr parseAnd();
    ExprPtr parseNot();
    ExprPtr parseCompare();
    ExprPtr parseAdditive();
    ExprPtr parseConcat();
    ExprPtr parseMultiplicative();
    ExprPtr parsePower();
    ExprPtr parseUnary(bool withFilter);
    ExprPtr parsePrimary();
    ExprPtr parsePostfix(ExprPtr node);
    ExprPtr parseFilterOrTest(ExprPtr node);
    ExprPtr parseSubscript(ExprPtr node);
    ExprPtr parseSliceBound();
    ExprPtr parseCall(ExprPtr callee);
    ExprPtr parseFilter(ExprPtr operand);
    ExprPtr parseTest(ExprPtr operand);
    void parseArguments(Expr& into);
    bool atTupleEnd(std::string_view extraEnd) const;

    // Tokens
    const Token& current() const { return tokens_[index_]; }
    const Token& peek(size_t ahead = 1) const;
    Token take();
    bool skipOperator(std::string_view op);
    bool skipName(std::string_view name);
    void expectOperator(std::string_view op);
    std::string expectName();
    void expectBlockEnd();
    [[noreturn]] void failHere(const std::string& message) const;
    [[noreturn]] void failUnexpected(std::string_view expected) const;

    // Nesting guard: parsing recurses per nested expression and block.
    struct DepthGuard {
        explicit DepthGuard(Parser& parser);
        ~DepthGuard() { --parser.depth_; }
        Parser& parser;
    };
    static ExprPtr makeExpr(ExprKind kind, size_t position);
    // Sets the node's height from its children and refuses trees too deep to walk recursively.
    ExprPtr finish(ExprPtr node) const;

    std::vector<Token> tokens_;
    size_t index_ = 0;
    int depth_ = 0;
    int loopDepth_ = 0;
    std::set<std::string> macroNames_;
    std::vector<std::pair<std::string, size_t>> calledNames_; // checked once all macros are known
};

} // namespace matryx::jinja
