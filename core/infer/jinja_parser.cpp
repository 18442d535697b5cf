#include "infer/jinja_parser.h"

#include "infer/jinja_builtins.h"
#include "infer/jinja_error.h"

#include <algorithm>

namespace matryx::jinja {

namespace {

constexpr int kMaxNesting = 200;

bool loadsOtherTemplates(std::string_view tag) {
    return tag == "include" || tag == "import" || tag == "from" || tag == "extends";
}

bool isUnimplementedTag(std::string_view tag) {
    static constexpr std::string_view kTags[] = {"block", "call",      "with", "autoescape",
                                                 "trans", "pluralize", "do"};
    return std::find(std::begin(kTags), std::end(kTags), tag) != std::end(kTags);
}

} // namespace

Program parseTemplate(std::string_view source) {
    Program program;
    program.source = normalizeTemplateSource(source);
    Parser parser(tokenizeTemplate(program.source));
    program.body = parser.parseAll();
    return program;
}

StmtList Parser::parseAll() {
    StmtList body = parseBody({});
    for (const auto& [name, position] : calledNames_)
        if (!macroNames_.count(name) && !isBuiltinFunction(name))
            throw TemplateError(ErrorKind::Unsupported, "unknown function '" + name + "'", position);
    return body;
}

Parser::DepthGuard::DepthGuard(Parser& p) : parser(p) {
    if (++parser.depth_ > kMaxNesting)
        throw TemplateError(ErrorKind::Limit,
                            "template nests deeper than " + std::to_string(kMaxNesting) + " levels",
                            parser.current().position);
}

ExprPtr Parser::makeExpr(ExprKind kind, size_t position) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->position = position;
    return e;
}

ExprPtr Parser::finish(ExprPtr node) const {
    int height = 0;
    for (const ExprPtr& child : node->operands)
        if (child) height = std::max(height, child->height);
    for (const auto& [name, child] : node->keywords)
        height = std::max(height, child->height);
    node->height = height + 1;
    if (node->height > kMaxNesting)
        throw TemplateError(ErrorKind::Limit,
                            "expression nests deeper than " + std::to_string(kMaxNesting) + " levels",
                            node->position);
    return node;
}

StmtList Parser::parseBody(std::initializer_list<std::string_view> endTags) {
    StmtList body;
    for (;;) {
        const Token& token = current();
        switch (token.kind) {
        case TokenKind::Text: {
            auto stmt = std::make_unique<Stmt>();
            stmt->kind = StmtKind::Text;
            stmt->position = token.position;
            stmt->text = take().text;
            body.push_back(std::move(stmt));
            break;
        }
        case TokenKind::VariableBegin: {
            auto stmt = std::make_unique<Stmt>();
            stmt->kind = StmtKind::Print;
            stmt->position = take().position;
            stmt->exprs.push_back(parseTuple(true));
            if (current().kind != TokenKind::VariableEnd) failUnexpected("'}}'");
            take();
            body.push_back(std::move(stmt));
            break;
        }
        case TokenKind::BlockBegin: {
            take();
            if (current().kind == TokenKind::Name)
                for (const std::string_view end : endTags)
                    if (current().text == end) return body;
            parseStatement(body);
            expectBlockEnd();
            break;
        }
        case TokenKind::End:
            if (endTags.size() != 0) {
                std::string expected;
                for (const std::string_view end : endTags)
                    expected += (expected.empty() ? "'" : " or '") + std::string(end) + "'";
                failHere("unexpected end of template, expected " + expected);
            }
            return body;
        default:
            failUnexpected("text or a tag");
        }
    }
}

void Parser::parseStatement(StmtList& out) {
    DepthGuard guard(*this);
    if (current().kind != TokenKind::Name) failUnexpected("a tag name");
    const size_t position = current().position;
    const std::string tag = current().text;
    if (tag == "if") {
        out.push_back(parseIf(position));
    } else if (tag == "for") {
        out.push_back(parseFor(position));
    } else if (tag == "set") {
        out.push_back(parseSet(position));
    } else if (tag == "macro") {
        out.push_back(parseMacro(position));
    } else if (tag == "filter") {
        out.push_back(parseFilterBlock(position));
    } else if (tag == "break" || tag == "continue") {
        if (loopDepth_ == 0) failHere("'" + tag + "' outside of a loop");
        take();
        auto stmt = std::make_unique<Stmt>();
        stmt->kind = tag == "break" ? StmtKind::Break : StmtKind::Continue;
        stmt->position = position;
        out.push_back(std::move(stmt));
    } else if (tag == "print") {
        take();
        do {
            auto stmt = std::make_unique<Stmt>();
            stmt->kind = StmtKind::Print;
            stmt->position = current().position;
            stmt->exprs.push_back(parseExpression());
            out.push_back(std::move(stmt));
        } while (skipOperator(","));
    } else if (tag == "generation") {
        // Hugging Face marks assistant text for training masks; rendering keeps only the body.
        take();
        expectBlockEnd();
        StmtList body = parseBody({"endgeneration"});
        take();
        for (StmtPtr& stmt : body)
            out.push_back(std::move(stmt));
    } else if (loadsOtherTemplates(tag)) {
        throw TemplateError(
            ErrorKind::Unsupported,
            "the '" + tag + "' tag is not supported: chat templates cannot load other templates", position);
    } else if (isUnimplementedTag(tag)) {
        throw TemplateError(ErrorKind::Unsupported, "the '" + tag + "' tag is not supported", position);
    } else {
        failHere("unknown or misplaced tag '" + tag + "'");
    }
}

StmtPtr Parser::parseIf(size_t position) {
    take();
    auto stmt = std::make_unique<Stmt>();
    stmt->kind = StmtKind::If;
    stmt->position = position;
    stmt->exprs.push_back(parseTuple(false));
    expectBlockEnd();
    stmt->bodies.push_back(parseBody({"elif", "else", "endif"}));
    for (;;) {
        const std::string tag = take().text;
        if (tag == "endif") return stmt;
        if (tag == "elif") {
            stmt->exprs.push_back(parseTuple(false));
            expectBlockEnd();
            stmt->bodies.push_back(parseBody({"elif", "else", "endif"}));
            continue;
        }
        expectBlockEnd();
        stmt->bodies.push_back(parseBody({"endif"}));
        take();
        return stmt;
    }
}

StmtPtr Parser::parseFor(size_t position) {
    take();
    auto stmt = std::make_unique<Stmt>();
    stmt->kind = StmtKind::For;
    stmt->position = position;
    stmt->targets = parseTargetNames("in");
    if (!skipName("in")) failUnexpected("'in'");
    stmt->exprs.push_back(parseTuple(false, "recursive"));
    stmt->exprs.push_back(skipName("if") ? parseExpression() : nullptr);
    if (current().isName("recursive"))
        throw TemplateError(ErrorKind::Unsupported, "recursive loops are not supported", current().position);
    expectBlockEnd();
    ++loopDepth_;
    stmt->bodies.push_back(parseBody({"endfor", "else"}));
    --loopDepth_;
    if (take().text == "else") {
        expectBlockEnd();
        stmt->bodies.push_back(parseBody({"endfor"}));
        take();
    }
    return stmt;
}

std::vector<std::string> Parser::parseTargetNames(std::string_view endWord) {
    std::vector<std::string> names;
    const bool parenthesized = skipOperator("(");
    do {
        if (current().isName(endWord) || current().isOperator(")")) break;
        names.push_back(expectName());
    } while (skipOperator(","));
    if (parenthesized) expectOperator(")");
    if (names.empty()) failUnexpected("a variable name");
    return names;
}

StmtPtr Parser::parseSet(size_t position) {
    take();
    auto stmt = std::make_unique<Stmt>();
    stmt->position = position;
    if (current().kind == TokenKind::Name && peek().isOperator(".")) {
        stmt->targets.push_back(take().text);
        take();
        stmt->targets.push_back(expectName());
        stmt->namespaceTarget = true;
    } else {
        stmt->targets = parseTargetNames("=");
    }
    if (skipOperator("=")) {
        stmt->kind = StmtKind::Set;
        stmt->exprs.push_back(parseTuple(true));
        return stmt;
    }
    stmt->kind = StmtKind::SetBlock;
    if (stmt->targets.size() != 1) failHere("a {% set %} block assigns to a single name");
    stmt->exprs.push_back(current().isOperator("|") ? parseFilterChain(nullptr) : nullptr);
    expectBlockEnd();
    stmt->bodies.push_back(parseBody({"endset"}));
    take();
    return stmt;
}

StmtPtr Parser::parseMacro(size_t position) {
    take();
    auto macro = std::make_unique<MacroStmt>();
    macro->position = position;
    macro->name = expectName();
    expectOperator("(");
    while (!current().isOperator(")")) {
        if (!macro->parameters.empty()) expectOperator(",");
        macro->parameters.push_back(expectName());
        if (skipOperator("="))
            macro->defaults.push_back(parseExpression());
        else if (std::any_of(macro->defaults.begin(), macro->defaults.end(),
                             [](const ExprPtr& d) { return d != nullptr; }))
            failHere("non-default argument follows default argument");
        else
            macro->defaults.push_back(nullptr);
    }
    take();
    expectBlockEnd();
    const int outerLoops = loopDepth_;
    loopDepth_ = 0;
    macro->body = parseBody({"endmacro"});
    loopDepth_ = outerLoops;
    take();
    macroNames_.insert(macro->name);
    auto stmt = std::make_unique<Stmt>();
    stmt->kind = StmtKind::Macro;
    stmt->position = position;
    stmt->macro = std::move(macro);
    return stmt;
}

StmtPtr Parser::parseFilterBlock(size_t position) {
    take();
    auto stmt = std::make_unique<Stmt>();
    stmt->kind = StmtKind::FilterBlock;
    stmt->position = position;
    stmt->exprs.push_back(parseFilterChain(parseFilter(nullptr)));
    expectBlockEnd();
    stmt->bodies.push_back(parseBody({"endfilter"}));
    take();
    return stmt;
}

ExprPtr Parser::parseFilterChain(ExprPtr operand) {
    while (skipOperator("|"))
        operand = parseFilter(std::move(operand));
    return operand;
}

const Token& Parser::peek(size_t ahead) const {
    return tokens_[std::min(index_ + ahead, tokens_.size() - 1)];
}

Token Parser::take() {
    Token token = tokens_[index_];
    if (index_ + 1 < tokens_.size()) ++index_;
    return token;
}

bool Parser::skipOperator(std::string_view op) {
    if (!current().isOperator(op)) return false;
    take();
    return true;
}

bool Parser::skipName(std::string_view name) {
    if (!current().isName(name)) return false;
    take();
    return true;
}

void Parser::expectOperator(std::string_view op) {
    if (!skipOperator(op)) failUnexpected("'" + std::string(op) + "'");
}

std::string Parser::expectName() {
    if (current().kind != TokenKind::Name) failUnexpected("a name");
    return take().text;
}

void Parser::expectBlockEnd() {
    if (current().kind != TokenKind::BlockEnd) failUnexpected("'%}'");
    take();
}

void Parser::failHere(const std::string& message) const {
    throw TemplateError(ErrorKind::Syntax, message, current().position);
}

void Parser::failUnexpected(std::string_view expected) const {
    const Token& token = current();
    std::string found;
    switch (token.kind) {
    case TokenKind::Text:
        found = "text";
        break;
    case TokenKind::VariableBegin:
        found = "'{{'";
        break;
    case TokenKind::VariableEnd:
        found = "'}}'";
        break;
    case TokenKind::BlockBegin:
        found = "'{%'";
        break;
    case TokenKind::BlockEnd:
        found = "'%}'";
        break;
    case TokenKind::String:
        found = "a string";
        break;
    case TokenKind::Integer:
    case TokenKind::Float:
        found = "number " + token.text;
        break;
    case TokenKind::End:
        found = "the end of the template";
        break;
    default:
        found = "'" + token.text + "'";
        break;
    }
    failHere("expected " + std::string(expected) + ", found " + found);
}

} // namespace matryx::jinja
