#include "infer/jinja_value.h"

#include <algorithm>

namespace matryx::jinja {

// Out of the class: the entries' Value is incomplete there.
size_t ValueDict::size() const {
    return entries_.size();
}

const Value* ValueDict::find(std::string_view key) const {
    for (const auto& [k, v] : entries_)
        if (k == key) return &v;
    return nullptr;
}

void ValueDict::set(std::string key, Value value) {
    depth_ = std::max(depth_, value.depth() + 1);
    holdsNamespace_ = holdsNamespace_ || value.holdsNamespace();
    for (auto& [k, v] : entries_) {
        if (k == key) {
            v = std::move(value);
            return;
        }
    }
    entries_.emplace_back(std::move(key), std::move(value));
}

Value Value::undefined(std::string hint) {
    Value v;
    v.data_ = UndefinedHint{std::move(hint)};
    return v;
}

Value Value::list(ValueList items, bool tuple) {
    auto data = std::make_shared<ListData>();
    for (const Value& item : items) {
        data->depth = std::max(data->depth, item.depth() + 1);
        data->holdsNamespace = data->holdsNamespace || item.holdsNamespace();
    }
    data->items = std::move(items);
    data->tuple = tuple;
    Value v;
    v.data_ = ListPtr(std::move(data));
    return v;
}

Value Value::dict(ValueDict entries) {
    Value v;
    v.data_ = DictPtr(std::make_shared<const ValueDict>(std::move(entries)));
    return v;
}

Value Value::makeNamespace(ValueDict attributes) {
    Value v;
    v.data_ = NamespacePtr(std::make_shared<Namespace>(Namespace{std::move(attributes)}));
    return v;
}

Value Value::callable(Callable callable) {
    Value v;
    v.data_ = CallablePtr(std::make_shared<const Callable>(std::move(callable)));
    return v;
}

int64_t Value::integer() const {
    return kind() == Kind::Bool ? int64_t{boolean()} : std::get<int64_t>(data_);
}

double Value::number() const {
    return kind() == Kind::Float ? std::get<double>(data_) : static_cast<double>(integer());
}

int Value::depth() const {
    switch (kind()) {
    case Kind::List:
        return std::get<ListPtr>(data_)->depth;
    case Kind::Dict:
        return dictionary().depth();
    case Kind::Namespace:
        return 1;
    default:
        return 0;
    }
}

bool Value::holdsNamespace() const {
    switch (kind()) {
    case Kind::List:
        return std::get<ListPtr>(data_)->holdsNamespace;
    case Kind::Dict:
        return dictionary().holdsNamespace();
    case Kind::Namespace:
        return true;
    default:
        return false;
    }
}

bool Value::truthy() const {
    switch (kind()) {
    case Kind::Undefined:
    case Kind::None:
        return false;
    case Kind::Bool:
        return boolean();
    case Kind::Int:
        return integer() != 0;
    case Kind::Float:
        return number() != 0.0;
    case Kind::String:
        return !string().empty();
    case Kind::List:
        return !items().empty();
    case Kind::Dict:
        return dictionary().size() != 0;
    case Kind::Namespace:
    case Kind::Callable:
        return true;
    }
    return false;
}

bool Value::equals(const Value& other) const {
    if (isNumber() && other.isNumber()) {
        if (isInteger() && other.isInteger()) return integer() == other.integer();
        return number() == other.number();
    }
    if (kind() != other.kind()) return false;
    switch (kind()) {
    case Kind::Undefined:
    case Kind::None:
        return true;
    case Kind::String:
        return string() == other.string();
    case Kind::List: {
        if (isTuple() != other.isTuple() || items().size() != other.items().size()) return false;
        for (size_t i = 0; i < items().size(); ++i)
            if (!items()[i].equals(other.items()[i])) return false;
        return true;
    }
    case Kind::Dict: {
        const ValueDict& a = dictionary();
        const ValueDict& b = other.dictionary();
        if (a.size() != b.size()) return false;
        for (const auto& [key, value] : a.entries()) {
            const Value* match = b.find(key);
            if (!match || !value.equals(*match)) return false;
        }
        return true;
    }
    case Kind::Namespace:
        return &namespaceObject() == &other.namespaceObject();
    case Kind::Callable:
        return &callableObject() == &other.callableObject();
    default:
        return false;
    }
}

const char* Value::typeName() const {
    switch (kind()) {
    case Kind::Undefined:
        return "Undefined";
    case Kind::None:
        return "NoneType";
    case Kind::Bool:
        return "bool";
    case Kind::Int:
        return "int";
    case Kind::Float:
        return "float";
    case Kind::String:
        return "str";
    case Kind::List:
        return isTuple() ? "tuple" : "list";
    case Kind::Dict:
        return "dict";
    case Kind::Namespace:
        return "Namespace";
    case Kind::Callable:
        return "function";
    }
    return "object";
}

} // namespace matryx::jinja
