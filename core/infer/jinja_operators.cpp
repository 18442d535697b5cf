#include "infer/jinja_operators.h"

#include "infer/jinja_error.h"
#include "infer/jinja_format.h"
#include "infer/jinja_text.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace matryx::jinja {

namespace {

[[noreturn]] void failUndefined(const Value& value) {
    fail(value.undefinedHint());
}

[[noreturn]] void failOperands(const char* op, const Value& left, const Value& right) {
    if (left.isUndefined()) failUndefined(left);
    if (right.isUndefined()) failUndefined(right);
    fail(std::string("unsupported operand type(s) for ") + op + ": '" + left.typeName() + "' and '" +
         right.typeName() + "'");
}

[[noreturn]] void failOverflow() {
    fail("integer overflow (integers are limited to 64 bits)");
}

// Each call reads the builtin's result only after the builtin has written it.
int64_t addChecked(int64_t a, int64_t b) {
    int64_t r = 0;
    if (__builtin_add_overflow(a, b, &r)) failOverflow();
    return r;
}

int64_t subtractChecked(int64_t a, int64_t b) {
    int64_t r = 0;
    if (__builtin_sub_overflow(a, b, &r)) failOverflow();
    return r;
}

int64_t multiplyChecked(int64_t a, int64_t b) {
    int64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r)) failOverflow();
    return r;
}

Value repeat(const Value& sequence, int64_t count, const Limits& limits) {
    const size_t n = count < 0 ? 0 : static_cast<size_t>(count);
    if (sequence.isString()) {
        const std::string& text = sequence.string();
        if (!text.empty() && n > limits.maxBytes / text.size())
            failLimit("string repetition exceeds the output limit of " + std::to_string(limits.maxBytes) +
                      " bytes");
        std::string out;
        out.reserve(text.size() * n);
        for (size_t i = 0; i < n; ++i)
            out += text;
        return Value(std::move(out));
    }
    const ValueList& items = sequence.items();
    if (!items.empty() && n > limits.maxItems / items.size())
        failLimit("list repetition exceeds the limit of " + std::to_string(limits.maxItems) + " items");
    ValueList out;
    for (size_t i = 0; i < n; ++i)
        out.insert(out.end(), items.begin(), items.end());
    return Value::list(std::move(out), sequence.isTuple());
}

int64_t floorDivide(int64_t a, int64_t b) {
    if (a == std::numeric_limits<int64_t>::min() && b == -1) failOverflow();
    int64_t q = a / b;
    if (a % b != 0 && ((a < 0) != (b < 0))) --q;
    return q;
}

// Python's float divmod, which keeps the remainder's sign equal to the divisor's.
std::pair<double, double> floatDivmod(double x, double y) {
    double mod = std::fmod(x, y);
    double div = (x - mod) / y;
    if (mod != 0.0) {
        if ((y < 0) != (mod < 0)) {
            mod += y;
            div -= 1.0;
        }
    } else {
        mod = std::copysign(0.0, y);
    }
    double floorDiv;
    if (div != 0.0) {
        floorDiv = std::floor(div);
        if (div - floorDiv > 0.5) floorDiv += 1.0;
    } else {
        floorDiv = std::copysign(0.0, x / y);
    }
    return {floorDiv, mod};
}

Value power(const Value& left, const Value& right) {
    if (left.isInteger() && right.isInteger() && right.integer() >= 0) {
        int64_t base = left.integer();
        int64_t exponent = right.integer();
        int64_t result = 1;
        while (exponent > 0) {
            if (exponent & 1) result = multiplyChecked(result, base);
            exponent >>= 1;
            if (exponent > 0) base = multiplyChecked(base, base);
        }
        return Value(result);
    }
    const double x = left.number();
    const double y = right.number();
    if (x == 0.0 && y < 0) fail("zero cannot be raised to a negative power");
    if (x < 0 && y != std::floor(y))
        fail("a negative number raised to a fractional power has no real result");
    return Value(std::pow(x, y));
}

Value arithmetic(BinaryOp op, const Value& left, const Value& right) {
    if (left.isInteger() && right.isInteger()) {
        const int64_t a = left.integer();
        const int64_t b = right.integer();
        switch (op) {
        case BinaryOp::Add:
            return Value(addChecked(a, b));
        case BinaryOp::Subtract:
            return Value(subtractChecked(a, b));
        case BinaryOp::Multiply:
            return Value(multiplyChecked(a, b));
        case BinaryOp::Divide:
            if (b == 0) fail("division by zero");
            return Value(static_cast<double>(a) / static_cast<double>(b));
        case BinaryOp::FloorDivide:
            if (b == 0) fail("integer division or modulo by zero");
            return Value(floorDivide(a, b));
        case BinaryOp::Modulo: {
            if (b == 0) fail("integer division or modulo by zero");
            if (b == -1) return Value(int64_t{0});
            const int64_t m = a % b;
            return Value(m != 0 && ((m < 0) != (b < 0)) ? m + b : m);
        }
        default:
            break;
        }
    }
    const double x = left.number();
    const double y = right.number();
    switch (op) {
    case BinaryOp::Add:
        return Value(x + y);
    case BinaryOp::Subtract:
        return Value(x - y);
    case BinaryOp::Multiply:
        return Value(x * y);
    case BinaryOp::Divide:
        if (y == 0.0) fail("float division by zero");
        return Value(x / y);
    case BinaryOp::FloorDivide:
    case BinaryOp::Modulo:
        if (y == 0.0) fail("float divmod by zero");
        return Value(op == BinaryOp::FloorDivide ? floatDivmod(x, y).first : floatDivmod(x, y).second);
    default:
        return power(left, right);
    }
}

const char* symbol(BinaryOp op) {
    switch (op) {
    case BinaryOp::Add:
        return "+";
    case BinaryOp::Subtract:
        return "-";
    case BinaryOp::Multiply:
        return "*";
    case BinaryOp::Divide:
        return "/";
    case BinaryOp::FloorDivide:
        return "//";
    case BinaryOp::Modulo:
        return "%";
    case BinaryOp::Power:
        return "**";
    case BinaryOp::Concat:
        return "~";
    }
    return "?";
}

int64_t normalizeIndex(int64_t index, size_t size) {
    return index < 0 ? index + static_cast<int64_t>(size) : index;
}

} // namespace

Value binaryOperation(BinaryOp op, const Value& left, const Value& right, const Limits& limits) {
    if (op == BinaryOp::Concat) {
        std::string out = toStr(left, limits.maxBytes);
        appendStr(out, right, limits.maxBytes);
        return Value(std::move(out));
    }
    if (left.isNumber() && right.isNumber()) return arithmetic(op, left, right);
    if (op == BinaryOp::Add && left.isString() && right.isString()) {
        if (left.string().size() + right.string().size() > limits.maxBytes)
            failLimit("string exceeds the output limit of " + std::to_string(limits.maxBytes) + " bytes");
        return Value(left.string() + right.string());
    }
    if (op == BinaryOp::Add && left.isList() && right.isList() && left.isTuple() == right.isTuple()) {
        if (left.items().size() + right.items().size() > limits.maxItems)
            failLimit("list exceeds the limit of " + std::to_string(limits.maxItems) + " items");
        ValueList items = left.items();
        items.insert(items.end(), right.items().begin(), right.items().end());
        return Value::list(std::move(items), left.isTuple());
    }
    if (op == BinaryOp::Multiply && (left.isString() || left.isList()) && right.isInteger())
        return repeat(left, right.integer(), limits);
    if (op == BinaryOp::Multiply && left.isInteger() && (right.isString() || right.isList()))
        return repeat(right, left.integer(), limits);
    if (op == BinaryOp::Modulo && left.isString())
        throw TemplateError(ErrorKind::Unsupported, "string formatting with '%' is not supported");
    failOperands(symbol(op), left, right);
}

Value negate(const Value& operand) {
    if (operand.isInteger()) return Value(subtractChecked(0, operand.integer()));
    if (operand.isNumber()) return Value(-operand.number());
    if (operand.isUndefined()) failUndefined(operand);
    fail(std::string("bad operand type for unary -: '") + operand.typeName() + "'");
}

bool lessThan(const Value& left, const Value& right) {
    if (left.isNumber() && right.isNumber()) {
        if (left.isInteger() && right.isInteger()) return left.integer() < right.integer();
        return left.number() < right.number();
    }
    if (left.isString() && right.isString()) return left.string() < right.string();
    if (left.isList() && right.isList() && left.isTuple() == right.isTuple()) {
        const ValueList& a = left.items();
        const ValueList& b = right.items();
        for (size_t i = 0; i < a.size() && i < b.size(); ++i)
            if (!a[i].equals(b[i])) return lessThan(a[i], b[i]);
        return a.size() < b.size();
    }
    if (left.isUndefined()) failUndefined(left);
    if (right.isUndefined()) failUndefined(right);
    fail(std::string("'<' not supported between instances of '") + left.typeName() + "' and '" +
         right.typeName() + "'");
}

bool compareValues(CompareOp op, const Value& left, const Value& right) {
    switch (op) {
    case CompareOp::Equal:
        return left.equals(right);
    case CompareOp::NotEqual:
        return !left.equals(right);
    case CompareOp::Less:
        return lessThan(left, right);
    case CompareOp::LessEqual:
        return lessThan(left, right) || left.equals(right);
    case CompareOp::Greater:
        return lessThan(right, left);
    case CompareOp::GreaterEqual:
        return lessThan(right, left) || left.equals(right);
    case CompareOp::In:
        return contains(right, left);
    case CompareOp::NotIn:
        return !contains(right, left);
    }
    return false;
}

bool contains(const Value& container, const Value& item) {
    switch (container.kind()) {
    case Value::Kind::String:
        if (!item.isString())
            fail(std::string("'in <string>' requires string as left operand, not ") + item.typeName());
        return container.string().find(item.string()) != std::string::npos;
    case Value::Kind::List:
        for (const Value& element : container.items())
            if (element.equals(item)) return true;
        return false;
    case Value::Kind::Dict:
        return item.isString() && container.dictionary().find(item.string()) != nullptr;
    case Value::Kind::Undefined:
        return false;
    default:
        fail(std::string("argument of type '") + container.typeName() + "' is not iterable");
    }
}

Value getAttribute(const Value& object, const std::string& name) {
    if (object.isUndefined()) failUndefined(object);
    const ValueDict* dict = object.isDict()                           ? &object.dictionary()
                            : object.kind() == Value::Kind::Namespace ? &object.namespaceObject().attributes
                                                                      : nullptr;
    if (dict)
        if (const Value* found = dict->find(name)) return *found;
    return Value::undefined("'" + std::string(object.typeName()) + " object' has no attribute '" + name +
                            "'");
}

Value getItem(const Value& object, const Value& key) {
    if (object.isUndefined()) failUndefined(object);
    if (key.isString() && (object.isDict() || object.kind() == Value::Kind::Namespace))
        return getAttribute(object, key.string());
    if (key.isInteger() && (object.isList() || object.isString())) {
        if (object.isList()) {
            const ValueList& items = object.items();
            const int64_t i = normalizeIndex(key.integer(), items.size());
            if (i >= 0 && static_cast<size_t>(i) < items.size()) return items[static_cast<size_t>(i)];
        } else {
            const std::u32string text = decodeUtf8(object.string());
            const int64_t i = normalizeIndex(key.integer(), text.size());
            if (i >= 0 && static_cast<size_t>(i) < text.size())
                return Value(encodeUtf8(std::u32string_view(text).substr(static_cast<size_t>(i), 1)));
        }
        return Value::undefined(std::string(object.typeName()) + " object has no element " +
                                std::to_string(key.integer()));
    }
    std::string shown;
    appendRepr(shown, key, 200);
    return Value::undefined("'" + std::string(object.typeName()) + " object' has no attribute " + shown);
}

Value sliceValue(const Value& object, const Value& start, const Value& stop, const Value& step) {
    if (object.isUndefined()) failUndefined(object);
    if (!object.isList() && !object.isString())
        return Value::undefined(std::string(object.typeName()) + " object cannot be sliced");
    for (const Value* bound : {&start, &stop, &step})
        if (!bound->isInteger() && !bound->isNone() && !bound->isUndefined())
            fail("slice indices must be integers or None");
    const int64_t stride = step.isInteger() ? step.integer() : 1;
    if (stride == 0) fail("slice step cannot be zero");
    const std::u32string text = object.isString() ? decodeUtf8(object.string()) : std::u32string();
    const auto size = static_cast<int64_t>(object.isString() ? text.size() : object.items().size());
    // Python's PySlice_AdjustIndices.
    auto adjust = [&](const Value& bound, int64_t fallback) {
        if (!bound.isInteger()) return fallback;
        int64_t i = bound.integer();
        if (i < 0) {
            i += size;
            if (i < 0) i = stride < 0 ? -1 : 0;
        } else if (i >= size) {
            i = stride < 0 ? size - 1 : size;
        }
        return i;
    };
    const int64_t first = adjust(start, stride < 0 ? size - 1 : 0);
    const int64_t last = adjust(stop, stride < 0 ? -1 : size);
    // Steps longer than the sequence pick one item; clamping them keeps the index arithmetic small.
    const int64_t jump = std::clamp(stride, -(size + 1), size + 1);
    std::vector<size_t> picked;
    for (int64_t i = first; jump > 0 ? i < last : i > last; i += jump)
        picked.push_back(static_cast<size_t>(i));
    if (object.isString()) {
        std::u32string out;
        for (const size_t i : picked)
            out += text[i];
        return Value(encodeUtf8(out));
    }
    ValueList out;
    for (const size_t i : picked)
        out.push_back(object.items()[i]);
    return Value::list(std::move(out), object.isTuple());
}

ValueList iterate(const Value& value) {
    switch (value.kind()) {
    case Value::Kind::List:
        return value.items();
    case Value::Kind::Dict: {
        ValueList keys;
        for (const auto& entry : value.dictionary().entries())
            keys.emplace_back(entry.first);
        return keys;
    }
    case Value::Kind::String: {
        ValueList chars;
        for (const char32_t c : decodeUtf8(value.string()))
            chars.emplace_back(encodeUtf8(std::u32string(1, c)));
        return chars;
    }
    case Value::Kind::Undefined:
        return {};
    default:
        fail(std::string("'") + value.typeName() + "' object is not iterable");
    }
}

size_t lengthOf(const Value& value) {
    switch (value.kind()) {
    case Value::Kind::String:
        return codepointCount(value.string());
    case Value::Kind::List:
        return value.items().size();
    case Value::Kind::Dict:
        return value.dictionary().size();
    case Value::Kind::Undefined:
        return 0;
    default:
        fail(std::string("object of type '") + value.typeName() + "' has no len()");
    }
}

} // namespace matryx::jinja
