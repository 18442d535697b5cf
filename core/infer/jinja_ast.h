#pragma once

// The syntax tree the parser builds and the evaluator walks. Every node records the byte offset
// of its first token in the normalized template, so that errors can name a line and column.

#include "infer/jinja_value.h"

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace matryx::jinja {

struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;
using StmtList = std::vector<StmtPtr>;

enum class ExprKind {
    Literal,     // literal
    Name,        // name
    List,        // operands: items
    Tuple,       // operands: items
    Dict,        // operands: key, value, key, value, ...
    Attribute,   // operands: [object]; name: the attribute
    Item,        // operands: [object, index]
    Slice,       // operands: [object, start, stop, step], each bound may be null
    Call,        // operands: [callee, positional...]; keywords
    Filter,      // operands: [operand, positional...]; keywords; name. The operand is null in
                 // {% filter %} and {% set x | f %} blocks, where the body's text is the input.
    Test,        // operands: [operand, positional...]; name; negated for "is not"
    Not,         // operands: [operand]
    Negate,      // operands: [operand]
    Plus,        // operands: [operand]
    Binary,      // operands: [left, right]; binaryOp
    And,         // operands: [left, right]
    Or,          // operands: [left, right]
    Compare,     // operands: [first, then one per compareOps]
    Conditional, // operands: [value, condition, otherwise]; otherwise may be null
};

enum class BinaryOp { Add, Subtract, Multiply, Divide, FloorDivide, Modulo, Power, Concat };
enum class CompareOp { Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual, In, NotIn };

struct Expr {
    ExprKind kind = ExprKind::Literal;
    size_t position = 0;
    int height = 1; // longest path to a leaf; the parser keeps it bounded
    Value literal;
    std::string name;
    BinaryOp binaryOp = BinaryOp::Add;
    bool negated = false;
    std::vector<CompareOp> compareOps;
    std::vector<ExprPtr> operands;
    std::vector<std::pair<std::string, ExprPtr>> keywords;
};

struct MacroStmt {
    std::string name;
    size_t position = 0;
    std::vector<std::string> parameters;
    std::vector<ExprPtr> defaults; // one per parameter; null where the parameter has none
    StmtList body;
};

enum class StmtKind {
    Text,     // text
    Print,    // exprs: [value]
    If,       // exprs: one condition per branch; bodies: one per condition, plus else if present
    For,      // targets: loop variables; exprs: [iterable, filter or null]; bodies: [body, else]
    Set,      // targets: names, or [namespace, attribute] if namespaceTarget; exprs: [value]
    SetBlock, // like Set, with bodies: [body] and exprs: [filter chain or null]
    Macro,    // macro
    Break,
    Continue,
    FilterBlock, // exprs: [filter chain]; bodies: [body]
};

struct Stmt {
    StmtKind kind = StmtKind::Text;
    size_t position = 0;
    std::string text;
    std::vector<std::string> targets;
    bool namespaceTarget = false;
    std::vector<ExprPtr> exprs;
    std::vector<StmtList> bodies;
    std::unique_ptr<MacroStmt> macro;
};

// A parsed template: the normalized source (for error positions) and its statements.
struct Program {
    std::string source;
    StmtList body;
};

} // namespace matryx::jinja
