#pragma once

// The values a chat template computes with, modelled on the Python objects Jinja hands around:
// undefined, None, bool, int, float, str, list (and tuple), dict with string keys, the mutable
// namespace() object, and callables (macros and the few built-in functions). Lists and dicts are
// immutable once built and shared by pointer, so copying a Value is cheap; a namespace is the
// only value that changes after creation, which is what makes it visible across loop scopes.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace matryx::jinja {

class Value;
struct MacroStmt;

using ValueList = std::vector<Value>;

// An insertion-ordered mapping from strings to values (Python dicts keep insertion order).
class ValueDict {
public:
    const Value* find(std::string_view key) const;
    // Replaces the value of an existing key in place, or appends a new entry.
    void set(std::string key, Value value);
    const std::vector<std::pair<std::string, Value>>& entries() const { return entries_; }
    size_t size() const;
    // Deepest nesting of lists and dicts among the values, plus one.
    int depth() const { return depth_; }
    // Whether a value, at any depth, is a namespace.
    bool holdsNamespace() const { return holdsNamespace_; }

private:
    std::vector<std::pair<std::string, Value>> entries_;
    int depth_ = 1;
    bool holdsNamespace_ = false;
};

// What namespace() returns: attributes that templates may reassign with {% set ns.x = ... %}.
struct Namespace {
    ValueDict attributes;
};

// A macro defined by the template, or a built-in function known by name.
struct Callable {
    std::string name;
    const MacroStmt* macro = nullptr; // owned by the parsed template; null for built-ins
};

class Value {
public:
    enum class Kind { Undefined, None, Bool, Int, Float, String, List, Dict, Namespace, Callable };

    // Undefined. `hint` says what was looked up ("'x' is undefined"), for error messages when the
    // template goes on to use the value.
    Value() = default;
    static Value undefined(std::string hint);
    Value(std::nullptr_t) : data_(std::nullptr_t{}) {}
    Value(bool b) : data_(b) {}
    Value(int i) : data_(int64_t{i}) {}
    Value(int64_t i) : data_(i) {}
    Value(double d) : data_(d) {}
    Value(std::string s) : data_(std::move(s)) {}
    Value(std::string_view s) : data_(std::string(s)) {}
    Value(const char* s) : data_(std::string(s)) {}
    static Value list(ValueList items, bool tuple = false);
    static Value dict(ValueDict entries);
    static Value makeNamespace(ValueDict attributes);
    static Value callable(Callable callable);

    Kind kind() const { return static_cast<Kind>(data_.index()); }
    bool isUndefined() const { return kind() == Kind::Undefined; }
    bool isNone() const { return kind() == Kind::None; }
    bool isString() const { return kind() == Kind::String; }
    bool isList() const { return kind() == Kind::List; }
    bool isDict() const { return kind() == Kind::Dict; }
    // int or bool (Python's bool is an int).
    bool isInteger() const { return kind() == Kind::Int || kind() == Kind::Bool; }
    // int, bool or float.
    bool isNumber() const { return isInteger() || kind() == Kind::Float; }

    // Accessors; each requires the matching kind.
    bool boolean() const { return std::get<bool>(data_); }
    const std::string& string() const { return std::get<std::string>(data_); }
    const ValueList& items() const { return std::get<ListPtr>(data_)->items; }
    bool isTuple() const { return std::get<ListPtr>(data_)->tuple; }
    const ValueDict& dictionary() const { return *std::get<DictPtr>(data_); }
    Namespace& namespaceObject() const { return *std::get<NamespacePtr>(data_); }
    const Callable& callableObject() const { return *std::get<CallablePtr>(data_); }
    const std::string& undefinedHint() const { return std::get<UndefinedHint>(data_).hint; }
    // int or bool as a 64-bit integer.
    int64_t integer() const;
    // Any number as a double.
    double number() const;

    // Nesting of lists and dicts: 0 for scalars, 1 for a flat list. Kept small by the evaluator so
    // that printing, comparing and destroying values cannot exhaust the stack.
    int depth() const;
    // Whether this is, or contains, a namespace. The evaluator refuses to store such values in a
    // namespace, which keeps values free of cycles.
    bool holdsNamespace() const;

    // Python's truth value; undefined is false.
    bool truthy() const;
    // Python's ==, with Jinja's rule that two undefined values are equal. Namespaces and callables
    // compare by identity.
    bool equals(const Value& other) const;
    // The name of the type as Python would print it ("str", "list", "NoneType").
    const char* typeName() const;

private:
    struct UndefinedHint {
        std::string hint;
    };
    struct ListData {
        ValueList items;
        bool tuple = false;
        int depth = 1;
        bool holdsNamespace = false;
    };
    using ListPtr = std::shared_ptr<const ListData>;
    using DictPtr = std::shared_ptr<const ValueDict>;
    using NamespacePtr = std::shared_ptr<Namespace>;
    using CallablePtr = std::shared_ptr<const Callable>;

    std::variant<UndefinedHint, std::nullptr_t, bool, int64_t, double, std::string, ListPtr, DictPtr,
                 NamespacePtr, CallablePtr>
        data_;
};

} // namespace matryx::jinja
