#include "infer/jinja_evaluator.h"

#include "infer/jinja_error.h"
#include "infer/jinja_filters.h"
#include "infer/jinja_format.h"
#include "infer/jinja_methods.h"

#include <utility>

namespace matryx::jinja {

namespace {

// Recursion through eval/execute is bounded by the parser's nesting limit per template level;
// this bound covers macros calling macros on top of that, to stay well inside a thread's stack.
constexpr int kMaxRecursion = 1500;

struct Scope {
    Scope* parent = nullptr;
    std::vector<std::pair<std::string, Value>> variables;

    Value* find(const std::string& name) {
        for (Scope* s = this; s; s = s->parent)
            for (auto& [key, value] : s->variables)
                if (key == name) return &value;
        return nullptr;
    }
    void set(const std::string& name, Value value) {
        for (auto& [key, existing] : variables) {
            if (key == name) {
                existing = std::move(value);
                return;
            }
        }
        variables.emplace_back(name, std::move(value));
    }
};

class Evaluator {
public:
    Evaluator(const Program& program, const RenderInputs& inputs) : program_(program), inputs_(inputs) {
        for (const auto& [name, value] : inputs.variables.entries())
            root_.set(name, value);
    }

    std::string run() {
        std::string out;
        out_ = &out;
        execute(program_.body, root_);
        return out;
    }

private:
    enum class Flow { Normal, Break, Continue };

    struct DepthGuard {
        DepthGuard(int& depth, int limit, const char* what) : depth(depth) {
            if (++depth > limit)
                failLimit(std::string(what) + " nests deeper than " + std::to_string(limit) + " levels");
        }
        ~DepthGuard() { --depth; }
        int& depth;
    };

    const Limits& limits() const { return inputs_.limits; }

    void write(std::string_view text) {
        if (out_->size() + text.size() > limits().maxBytes)
            failLimit("output exceeds the limit of " + std::to_string(limits().maxBytes) + " bytes");
        out_->append(text);
    }

    void countIteration() {
        if (++iterations_ > limits().maxItems)
            failLimit("loops ran more than " + std::to_string(limits().maxItems) + " iterations");
    }

    const Value& checkDepth(const Value& value) const {
        if (value.depth() > limits().maxValueDepth)
            failLimit("a value nests deeper than " + std::to_string(limits().maxValueDepth) + " levels");
        return value;
    }

    std::string capture(const StmtList& body, Scope& scope) {
        std::string text;
        std::string* outer = std::exchange(out_, &text);
        struct Restore {
            std::string*& slot;
            std::string* value;
            ~Restore() { slot = value; }
        } restore{out_, outer};
        execute(body, scope);
        return text;
    }

    Flow execute(const StmtList& body, Scope& scope) {
        for (const StmtPtr& stmt : body) {
            const Flow flow = executeStatement(*stmt, scope);
            if (flow != Flow::Normal) return flow;
        }
        return Flow::Normal;
    }

    Flow executeStatement(const Stmt& stmt, Scope& scope) {
        DepthGuard guard(depth_, kMaxRecursion, "rendering");
        try {
            return executeKind(stmt, scope);
        } catch (TemplateError& error) {
            if (!error.position) error.position = stmt.position;
            throw;
        }
    }

    Flow executeKind(const Stmt& stmt, Scope& scope) {
        switch (stmt.kind) {
        case StmtKind::Text:
            write(stmt.text);
            return Flow::Normal;
        case StmtKind::Print:
            appendStr(*out_, eval(*stmt.exprs[0], scope), limits().maxBytes);
            return Flow::Normal;
        case StmtKind::If:
            for (size_t i = 0; i < stmt.exprs.size(); ++i)
                if (eval(*stmt.exprs[i], scope).truthy()) return execute(stmt.bodies[i], scope);
            return stmt.bodies.size() > stmt.exprs.size() ? execute(stmt.bodies.back(), scope) : Flow::Normal;
        case StmtKind::For:
            return executeFor(stmt, scope);
        case StmtKind::Set:
            store(stmt, eval(*stmt.exprs[0], scope), scope);
            return Flow::Normal;
        case StmtKind::SetBlock: {
            const Value text(capture(stmt.bodies[0], scope));
            store(stmt, stmt.exprs[0] ? evalFilter(*stmt.exprs[0], scope, &text) : text, scope);
            return Flow::Normal;
        }
        case StmtKind::FilterBlock: {
            const Value text(capture(stmt.bodies[0], scope));
            appendStr(*out_, evalFilter(*stmt.exprs[0], scope, &text), limits().maxBytes);
            return Flow::Normal;
        }
        case StmtKind::Macro:
            scope.set(stmt.macro->name, Value::callable(Callable{stmt.macro->name, stmt.macro.get()}));
            return Flow::Normal;
        case StmtKind::Break:
            return Flow::Break;
        case StmtKind::Continue:
            return Flow::Continue;
        }
        return Flow::Normal;
    }

    Flow executeFor(const Stmt& stmt, Scope& scope) {
        ValueList items = iterate(eval(*stmt.exprs[0], scope));
        if (const Expr* filter = stmt.exprs[1].get()) {
            ValueList kept;
            for (Value& item : items) {
                countIteration();
                Scope probe{&scope, {}};
                assign(stmt.targets, item, probe);
                if (eval(*filter, probe).truthy()) kept.push_back(std::move(item));
            }
            items = std::move(kept);
        }
        const auto length = static_cast<int64_t>(items.size());
        for (int64_t i = 0; i < length; ++i) {
            countIteration();
            Scope inner{&scope, {}};
            assign(stmt.targets, items[static_cast<size_t>(i)], inner);
            ValueDict loop;
            loop.set("index", Value(i + 1));
            loop.set("index0", Value(i));
            loop.set("revindex", Value(length - i));
            loop.set("revindex0", Value(length - i - 1));
            loop.set("first", Value(i == 0));
            loop.set("last", Value(i == length - 1));
            loop.set("length", Value(length));
            loop.set("previtem", i > 0 ? items[static_cast<size_t>(i - 1)]
                                       : Value::undefined("there is no previous item"));
            loop.set("nextitem", i + 1 < length ? items[static_cast<size_t>(i + 1)]
                                                : Value::undefined("there is no next item"));
            loop.set("depth", Value(1));
            loop.set("depth0", Value(0));
            inner.set("loop", Value::dict(std::move(loop)));
            if (execute(stmt.bodies[0], inner) == Flow::Break) break;
        }
        if (length == 0 && stmt.bodies.size() > 1) {
            Scope inner{&scope, {}};
            return execute(stmt.bodies[1], inner);
        }
        return Flow::Normal;
    }

    void assign(const std::vector<std::string>& targets, const Value& value, Scope& scope) {
        if (targets.size() == 1) {
            scope.set(targets[0], value);
            return;
        }
        const ValueList parts = iterate(value);
        if (parts.size() != targets.size())
            fail(parts.size() > targets.size()
                     ? "too many values to unpack (expected " + std::to_string(targets.size()) + ")"
                     : "not enough values to unpack (expected " + std::to_string(targets.size()) + ", got " +
                           std::to_string(parts.size()) + ")");
        for (size_t i = 0; i < targets.size(); ++i)
            scope.set(targets[i], parts[i]);
    }

    void store(const Stmt& stmt, const Value& value, Scope& scope) {
        if (!stmt.namespaceTarget) {
            assign(stmt.targets, value, scope);
            return;
        }
        Value* target = scope.find(stmt.targets[0]);
        if (!target || target->kind() != Value::Kind::Namespace)
            fail("cannot assign attribute on non-namespace object '" + stmt.targets[0] + "'");
        if (value.holdsNamespace()) fail("a namespace cannot hold another namespace");
        target->namespaceObject().attributes.set(stmt.targets[1], value);
    }

    Value lookup(const std::string& name, Scope& scope) {
        if (const Value* found = scope.find(name)) return *found;
        if (isBuiltinFunction(name)) return Value::callable(Callable{name, nullptr});
        return Value::undefined("'" + name + "' is undefined");
    }

    CallArgs evalArguments(const Expr& node, Scope& scope) {
        CallArgs args;
        for (size_t i = 1; i < node.operands.size(); ++i)
            args.positional.push_back(eval(*node.operands[i], scope));
        for (const auto& [name, expr] : node.keywords)
            args.keywords.emplace_back(name, eval(*expr, scope));
        return args;
    }

    Value eval(const Expr& node, Scope& scope) {
        DepthGuard guard(depth_, kMaxRecursion, "evaluation");
        try {
            return evalKind(node, scope);
        } catch (TemplateError& error) {
            if (!error.position) error.position = node.position;
            throw;
        }
    }

    Value evalKind(const Expr& node, Scope& scope) {
        switch (node.kind) {
        case ExprKind::Literal:
            return node.literal;
        case ExprKind::Name:
            return lookup(node.name, scope);
        case ExprKind::List:
        case ExprKind::Tuple: {
            ValueList items;
            for (const ExprPtr& item : node.operands)
                items.push_back(eval(*item, scope));
            return checkDepth(Value::list(std::move(items), node.kind == ExprKind::Tuple));
        }
        case ExprKind::Dict: {
            ValueDict entries;
            for (size_t i = 0; i + 1 < node.operands.size(); i += 2) {
                const Value key = eval(*node.operands[i], scope);
                if (!key.isString())
                    throw TemplateError(ErrorKind::Unsupported,
                                        "dict keys other than strings are not supported",
                                        node.operands[i]->position);
                entries.set(key.string(), eval(*node.operands[i + 1], scope));
            }
            return checkDepth(Value::dict(std::move(entries)));
        }
        case ExprKind::Attribute:
            return getAttribute(eval(*node.operands[0], scope), node.name);
        case ExprKind::Item:
            return getItem(eval(*node.operands[0], scope), eval(*node.operands[1], scope));
        case ExprKind::Slice: {
            const Value object = eval(*node.operands[0], scope);
            Value bounds[3];
            for (size_t i = 0; i < 3; ++i)
                if (node.operands[i + 1]) bounds[i] = eval(*node.operands[i + 1], scope);
            return sliceValue(object, bounds[0], bounds[1], bounds[2]);
        }
        case ExprKind::Call:
            return evalCall(node, scope);
        case ExprKind::Filter:
            return evalFilter(node, scope, nullptr);
        case ExprKind::Test: {
            const Value subject = eval(*node.operands[0], scope);
            return Value(applyTest(node.name, subject, evalArguments(node, scope)) != node.negated);
        }
        case ExprKind::Not:
            return Value(!eval(*node.operands[0], scope).truthy());
        case ExprKind::Negate:
            return negate(eval(*node.operands[0], scope));
        case ExprKind::Plus: {
            Value operand = eval(*node.operands[0], scope);
            if (!operand.isNumber())
                fail(std::string("bad operand type for unary +: '") + operand.typeName() + "'");
            return operand;
        }
        case ExprKind::Binary: {
            const Value left = eval(*node.operands[0], scope);
            return binaryOperation(node.binaryOp, left, eval(*node.operands[1], scope), limits());
        }
        case ExprKind::And:
        case ExprKind::Or: {
            Value left = eval(*node.operands[0], scope);
            if (left.truthy() == (node.kind == ExprKind::Or)) return left;
            return eval(*node.operands[1], scope);
        }
        case ExprKind::Compare: {
            Value left = eval(*node.operands[0], scope);
            for (size_t i = 0; i < node.compareOps.size(); ++i) {
                Value right = eval(*node.operands[i + 1], scope);
                if (!compareValues(node.compareOps[i], left, right)) return Value(false);
                left = std::move(right);
            }
            return Value(true);
        }
        case ExprKind::Conditional:
            if (eval(*node.operands[1], scope).truthy()) return eval(*node.operands[0], scope);
            if (node.operands[2]) return eval(*node.operands[2], scope);
            return Value::undefined("the inline if-expression evaluated to false and has no else section");
        }
        fail("unknown expression");
    }

    Value evalFilter(const Expr& node, Scope& scope, const Value* blockInput) {
        const Expr* operand = node.operands[0].get();
        const Value input = !operand                            ? *blockInput
                            : operand->kind == ExprKind::Filter ? evalFilter(*operand, scope, blockInput)
                                                                : eval(*operand, scope);
        try {
            return checkDepth(applyFilter(node.name, input, evalArguments(node, scope), limits()));
        } catch (TemplateError& error) {
            if (!error.position) error.position = node.position;
            throw;
        }
    }

    Value evalCall(const Expr& node, Scope& scope) {
        const Expr& callee = *node.operands[0];
        if (callee.kind == ExprKind::Attribute) {
            const Value object = eval(*callee.operands[0], scope);
            return checkDepth(callMethod(object, callee.name, evalArguments(node, scope), limits()));
        }
        const Value function = eval(callee, scope);
        if (function.isUndefined()) fail(function.undefinedHint());
        if (function.kind() != Value::Kind::Callable)
            fail(std::string("'") + function.typeName() + "' object is not callable");
        const Callable& callable = function.callableObject();
        CallArgs args = evalArguments(node, scope);
        if (callable.macro) return callMacro(*callable.macro, args);
        return checkDepth(callBuiltin(callable.name, args, limits(), inputs_.now));
    }

    Value callMacro(const MacroStmt& macro, const CallArgs& args) {
        DepthGuard guard(callDepth_, limits().maxCallDepth, "macro calls");
        const size_t count = macro.parameters.size();
        if (args.positional.size() > count)
            fail("macro '" + macro.name + "' takes not more than " + std::to_string(count) + " argument(s)");
        for (const auto& [name, value] : args.keywords) {
            bool known = false;
            for (size_t i = 0; i < count; ++i)
                known = known || (macro.parameters[i] == name && i >= args.positional.size());
            if (!known) fail("macro '" + macro.name + "' got an unexpected keyword argument '" + name + "'");
        }
        Scope local{&root_, {}};
        for (size_t i = 0; i < count; ++i) {
            const std::string& parameter = macro.parameters[i];
            const Value* given = i < args.positional.size() ? &args.positional[i] : nullptr;
            for (const auto& [name, value] : args.keywords)
                if (name == parameter) given = &value;
            if (given)
                local.set(parameter, *given);
            else if (macro.defaults[i])
                local.set(parameter, eval(*macro.defaults[i], local));
            else
                local.set(parameter, Value::undefined("parameter '" + parameter + "' was not provided"));
        }
        return Value(capture(macro.body, local));
    }

    const Program& program_;
    const RenderInputs& inputs_;
    Scope root_;
    std::string* out_ = nullptr;
    int depth_ = 0;
    int callDepth_ = 0;
    size_t iterations_ = 0;
};

} // namespace

std::string renderProgram(const Program& program, const RenderInputs& inputs) {
    return Evaluator(program, inputs).run();
}

} // namespace matryx::jinja
