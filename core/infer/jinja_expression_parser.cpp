// Expression half of the parser (see jinja_parser.h for the grammar).

#include "infer/jinja_error.h"
#include "infer/jinja_filters.h"
#include "infer/jinja_methods.h"
#include "infer/jinja_parser.h"

namespace matryx::jinja {

bool Parser::atTupleEnd(std::string_view extraEnd) const {
    const Token& token = current();
    return token.kind == TokenKind::VariableEnd || token.kind == TokenKind::BlockEnd ||
           token.isOperator(")") || (!extraEnd.empty() && token.isName(extraEnd));
}

ExprPtr Parser::parseTuple(bool withCondition, std::string_view extraEnd) {
    const size_t position = current().position;
    std::vector<ExprPtr> items;
    bool isTuple = false;
    for (;;) {
        if (!items.empty()) expectOperator(",");
        if (atTupleEnd(extraEnd)) break;
        items.push_back(parseExpression(withCondition));
        if (!current().isOperator(",")) break;
        isTuple = true;
    }
    if (!isTuple) {
        if (items.empty()) failUnexpected("an expression");
        return std::move(items.front());
    }
    auto tuple = makeExpr(ExprKind::Tuple, position);
    tuple->operands = std::move(items);
    return finish(std::move(tuple));
}

ExprPtr Parser::parseExpression(bool withCondition) {
    DepthGuard guard(*this);
    const size_t position = current().position;
    ExprPtr value = parseOr();
    while (withCondition && skipName("if")) {
        auto conditional = makeExpr(ExprKind::Conditional, position);
        ExprPtr condition = parseOr();
        ExprPtr otherwise = skipName("else") ? parseExpression() : nullptr;
        conditional->operands.push_back(std::move(value));
        conditional->operands.push_back(std::move(condition));
        conditional->operands.push_back(std::move(otherwise));
        value = finish(std::move(conditional));
    }
    return value;
}

namespace {

ExprPtr binaryNode(ExprKind kind, ExprPtr left, ExprPtr right) {
    auto node = std::make_unique<Expr>();
    node->kind = kind;
    node->position = left->position;
    node->operands.push_back(std::move(left));
    node->operands.push_back(std::move(right));
    return node;
}

} // namespace

ExprPtr Parser::parseOr() {
    ExprPtr left = parseAnd();
    while (skipName("or"))
        left = finish(binaryNode(ExprKind::Or, std::move(left), parseAnd()));
    return left;
}

ExprPtr Parser::parseAnd() {
    ExprPtr left = parseNot();
    while (skipName("and"))
        left = finish(binaryNode(ExprKind::And, std::move(left), parseNot()));
    return left;
}

ExprPtr Parser::parseNot() {
    if (!current().isName("not")) return parseCompare();
    DepthGuard guard(*this);
    auto node = makeExpr(ExprKind::Not, take().position);
    node->operands.push_back(parseNot());
    return finish(std::move(node));
}

ExprPtr Parser::parseCompare() {
    ExprPtr first = parseAdditive();
    ExprPtr node;
    for (;;) {
        CompareOp op;
        const Token& token = current();
        if (token.isOperator("=="))
            op = CompareOp::Equal;
        else if (token.isOperator("!="))
            op = CompareOp::NotEqual;
        else if (token.isOperator("<"))
            op = CompareOp::Less;
        else if (token.isOperator("<="))
            op = CompareOp::LessEqual;
        else if (token.isOperator(">"))
            op = CompareOp::Greater;
        else if (token.isOperator(">="))
            op = CompareOp::GreaterEqual;
        else if (token.isName("in"))
            op = CompareOp::In;
        else if (token.isName("not") && peek().isName("in"))
            op = CompareOp::NotIn;
        else
            break;
        take();
        if (op == CompareOp::NotIn) take();
        if (!node) {
            node = makeExpr(ExprKind::Compare, first->position);
            node->operands.push_back(std::move(first));
        }
        node->compareOps.push_back(op);
        node->operands.push_back(parseAdditive());
        node = finish(std::move(node));
    }
    return node ? std::move(node) : std::move(first);
}

ExprPtr Parser::parseAdditive() {
    ExprPtr left = parseConcat();
    while (current().isOperator("+") || current().isOperator("-")) {
        const BinaryOp op = take().text == "+" ? BinaryOp::Add : BinaryOp::Subtract;
        auto node = binaryNode(ExprKind::Binary, std::move(left), parseConcat());
        node->binaryOp = op;
        left = finish(std::move(node));
    }
    return left;
}

ExprPtr Parser::parseConcat() {
    ExprPtr left = parseMultiplicative();
    while (skipOperator("~")) {
        auto node = binaryNode(ExprKind::Binary, std::move(left), parseMultiplicative());
        node->binaryOp = BinaryOp::Concat;
        left = finish(std::move(node));
    }
    return left;
}

ExprPtr Parser::parseMultiplicative() {
    ExprPtr left = parsePower();
    for (;;) {
        BinaryOp op;
        if (current().isOperator("*"))
            op = BinaryOp::Multiply;
        else if (current().isOperator("/"))
            op = BinaryOp::Divide;
        else if (current().isOperator("//"))
            op = BinaryOp::FloorDivide;
        else if (current().isOperator("%"))
            op = BinaryOp::Modulo;
        else
            return left;
        take();
        auto node = binaryNode(ExprKind::Binary, std::move(left), parsePower());
        node->binaryOp = op;
        left = finish(std::move(node));
    }
}

ExprPtr Parser::parsePower() {
    ExprPtr left = parseUnary(true);
    while (skipOperator("**")) {
        auto node = binaryNode(ExprKind::Binary, std::move(left), parseUnary(true));
        node->binaryOp = BinaryOp::Power;
        left = finish(std::move(node));
    }
    return left;
}

ExprPtr Parser::parseUnary(bool withFilter) {
    DepthGuard guard(*this);
    ExprPtr node;
    if (current().isOperator("-") || current().isOperator("+")) {
        const Token sign = take();
        node = makeExpr(sign.text == "-" ? ExprKind::Negate : ExprKind::Plus, sign.position);
        node->operands.push_back(parseUnary(false));
        node = finish(std::move(node));
    } else {
        node = parsePrimary();
    }
    node = parsePostfix(std::move(node));
    return withFilter ? parseFilterOrTest(std::move(node)) : std::move(node);
}

ExprPtr Parser::parsePrimary() {
    const Token& token = current();
    const size_t position = token.position;
    if (token.kind == TokenKind::Name) {
        auto node = makeExpr(ExprKind::Literal, position);
        const std::string_view word = token.text;
        if (word == "true" || word == "True" || word == "false" || word == "False") {
            node->literal = Value(word == "true" || word == "True");
        } else if (word == "none" || word == "None") {
            node->literal = Value(nullptr);
        } else {
            node->kind = ExprKind::Name;
            node->name = std::string(word);
        }
        take();
        return node;
    }
    if (token.kind == TokenKind::String) {
        std::string text;
        while (current().kind == TokenKind::String)
            text += take().text;
        auto node = makeExpr(ExprKind::Literal, position);
        node->literal = Value(std::move(text));
        return node;
    }
    if (token.kind == TokenKind::Integer || token.kind == TokenKind::Float) {
        auto node = makeExpr(ExprKind::Literal, position);
        node->literal = token.kind == TokenKind::Integer ? Value(token.integer) : Value(token.number);
        take();
        return node;
    }
    if (token.isOperator("(")) {
        take();
        ExprPtr node;
        if (current().isOperator(")"))
            node = makeExpr(ExprKind::Tuple, position);
        else
            node = parseTuple(true);
        expectOperator(")");
        return node;
    }
    if (token.isOperator("[") || token.isOperator("{")) {
        const bool isList = take().text == "[";
        auto node = makeExpr(isList ? ExprKind::List : ExprKind::Dict, position);
        const std::string_view close = isList ? "]" : "}";
        while (!current().isOperator(close)) {
            if (!node->operands.empty()) expectOperator(",");
            if (current().isOperator(close)) break;
            node->operands.push_back(parseExpression());
            if (!isList) {
                expectOperator(":");
                node->operands.push_back(parseExpression());
            }
        }
        take();
        return finish(std::move(node));
    }
    failUnexpected("an expression");
}

ExprPtr Parser::parsePostfix(ExprPtr node) {
    for (;;) {
        if (current().isOperator(".") || current().isOperator("["))
            node = parseSubscript(std::move(node));
        else if (current().isOperator("("))
            node = parseCall(std::move(node));
        else
            return node;
    }
}

ExprPtr Parser::parseFilterOrTest(ExprPtr node) {
    for (;;) {
        if (skipOperator("|"))
            node = parseFilter(std::move(node));
        else if (current().isName("is"))
            node = parseTest(std::move(node));
        else if (current().isOperator("("))
            node = parseCall(std::move(node));
        else
            return node;
    }
}

ExprPtr Parser::parseSubscript(ExprPtr node) {
    const Token opener = take();
    if (opener.text == ".") {
        if (current().kind == TokenKind::Integer) {
            auto item = makeExpr(ExprKind::Item, opener.position);
            auto index = makeExpr(ExprKind::Literal, current().position);
            index->literal = Value(take().integer);
            item->operands.push_back(std::move(node));
            item->operands.push_back(std::move(index));
            return finish(std::move(item));
        }
        auto attribute = makeExpr(ExprKind::Attribute, opener.position);
        attribute->name = expectName();
        attribute->operands.push_back(std::move(node));
        return finish(std::move(attribute));
    }
    auto item = makeExpr(ExprKind::Item, opener.position);
    item->operands.push_back(std::move(node));
    ExprPtr start = current().isOperator(":") ? nullptr : parseExpression();
    if (current().isOperator(":")) {
        item->kind = ExprKind::Slice;
        take();
        item->operands.push_back(std::move(start));
        item->operands.push_back(parseSliceBound());
        item->operands.push_back(skipOperator(":") ? parseSliceBound() : nullptr);
    } else {
        item->operands.push_back(std::move(start));
    }
    if (current().isOperator(","))
        throw TemplateError(ErrorKind::Unsupported, "subscripts with several indices are not supported",
                            current().position);
    expectOperator("]");
    return finish(std::move(item));
}

ExprPtr Parser::parseSliceBound() {
    if (current().isOperator("]") || current().isOperator(":") || current().isOperator(",")) return nullptr;
    return parseExpression();
}

ExprPtr Parser::parseCall(ExprPtr callee) {
    if (callee->kind == ExprKind::Attribute && !isKnownMethod(callee->name))
        throw TemplateError(ErrorKind::Unsupported, "method '" + callee->name + "' is not supported",
                            callee->position);
    if (callee->kind == ExprKind::Name) calledNames_.emplace_back(callee->name, callee->position);
    auto call = makeExpr(ExprKind::Call, current().position);
    call->operands.push_back(std::move(callee));
    parseArguments(*call);
    return finish(std::move(call));
}

ExprPtr Parser::parseFilter(ExprPtr operand) {
    const size_t position = current().position;
    auto filter = makeExpr(ExprKind::Filter, position);
    filter->name = expectName();
    if (current().isOperator("."))
        throw TemplateError(ErrorKind::Unsupported, "dotted filter names are not supported", position);
    if (!isKnownFilter(filter->name))
        throw TemplateError(ErrorKind::Unsupported, "filter '" + filter->name + "' is not supported",
                            position);
    filter->operands.push_back(std::move(operand));
    if (current().isOperator("(")) parseArguments(*filter);
    return finish(std::move(filter));
}

ExprPtr Parser::parseTest(ExprPtr operand) {
    take();
    auto test = makeExpr(ExprKind::Test, current().position);
    test->negated = skipName("not");
    const size_t position = current().position;
    test->name = expectName();
    if (!isKnownTest(test->name))
        throw TemplateError(ErrorKind::Unsupported, "test '" + test->name + "' is not supported", position);
    test->operands.push_back(std::move(operand));
    const Token& next = current();
    if (next.isOperator("(")) {
        parseArguments(*test);
    } else if ((next.kind == TokenKind::Name && !next.isName("else") && !next.isName("or") &&
                !next.isName("and")) ||
               next.kind == TokenKind::String || next.kind == TokenKind::Integer ||
               next.kind == TokenKind::Float || next.isOperator("[") || next.isOperator("{")) {
        if (next.isName("is")) failHere("tests cannot be chained with 'is'");
        test->operands.push_back(parsePostfix(parsePrimary()));
    }
    return finish(std::move(test));
}

void Parser::parseArguments(Expr& into) {
    expectOperator("(");
    bool first = true;
    while (!current().isOperator(")")) {
        if (!first) {
            expectOperator(",");
            if (current().isOperator(")")) break;
        }
        first = false;
        if (current().isOperator("*") || current().isOperator("**"))
            throw TemplateError(ErrorKind::Unsupported, "*args and **kwargs in calls are not supported",
                                current().position);
        if (current().kind == TokenKind::Name && peek().isOperator("=")) {
            std::string name = take().text;
            take();
            into.keywords.emplace_back(std::move(name), parseExpression());
        } else {
            if (!into.keywords.empty()) failHere("positional argument follows keyword argument");
            into.operands.push_back(parseExpression());
        }
    }
    take();
}

} // namespace matryx::jinja
