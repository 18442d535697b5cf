#include "format/metadata.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <limits>

namespace matryx {

std::string_view metaTypeName(MetaType type) noexcept {
    static constexpr std::array<std::string_view, 13> names = {
        "UINT8", "INT8", "UINT16", "INT16", "UINT32", "INT32", "FLOAT32",
        "BOOL", "STRING", "ARRAY", "UINT64", "INT64", "FLOAT64",
    };
    const auto i = static_cast<uint32_t>(type);
    return i < names.size() ? names[i] : std::string_view("INVALID");
}

bool isValidMetaType(uint32_t id) noexcept { return id <= static_cast<uint32_t>(MetaType::F64); }

MetaValue MetaValue::array(MetaType elementType, std::vector<MetaValue> items) {
    auto arr = std::make_shared<MetaArray>();
    arr->elementType = elementType;
    arr->items = std::move(items);
    return {MetaType::Array, std::shared_ptr<const MetaArray>(std::move(arr))};
}

MetaValue MetaValue::stringArray(std::vector<std::string> items) {
    std::vector<MetaValue> values;
    values.reserve(items.size());
    for (auto& s : items)
        values.push_back(string(std::move(s)));
    return array(MetaType::String, std::move(values));
}

bool MetaValue::isInteger() const noexcept {
    switch (type_) {
    case MetaType::U8: case MetaType::I8: case MetaType::U16: case MetaType::I16:
    case MetaType::U32: case MetaType::I32: case MetaType::U64: case MetaType::I64:
        return true;
    default:
        return false;
    }
}

std::optional<uint64_t> MetaValue::toUnsigned() const noexcept {
    if (const auto* u = std::get_if<uint64_t>(&value_))
        return *u;
    if (const auto* i = std::get_if<int64_t>(&value_))
        if (*i >= 0)
            return static_cast<uint64_t>(*i);
    return std::nullopt;
}

std::optional<int64_t> MetaValue::toSigned() const noexcept {
    if (const auto* i = std::get_if<int64_t>(&value_))
        return *i;
    if (const auto* u = std::get_if<uint64_t>(&value_))
        if (*u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            return static_cast<int64_t>(*u);
    return std::nullopt;
}

std::optional<double> MetaValue::toDouble() const noexcept {
    if (const auto* d = std::get_if<double>(&value_))
        return *d;
    if (const auto* u = std::get_if<uint64_t>(&value_))
        return static_cast<double>(*u);
    if (const auto* i = std::get_if<int64_t>(&value_))
        return static_cast<double>(*i);
    return std::nullopt;
}

std::optional<bool> MetaValue::toBool() const noexcept {
    if (const auto* b = std::get_if<bool>(&value_))
        return *b;
    return std::nullopt;
}

const std::string* MetaValue::toString() const noexcept { return std::get_if<std::string>(&value_); }

MetaType MetaValue::arrayType() const noexcept {
    if (const auto* a = std::get_if<std::shared_ptr<const MetaArray>>(&value_))
        return (*a)->elementType;
    return MetaType::U8;
}

const std::vector<MetaValue>& MetaValue::items() const noexcept {
    static const std::vector<MetaValue> empty;
    if (const auto* a = std::get_if<std::shared_ptr<const MetaArray>>(&value_))
        return (*a)->items;
    return empty;
}

namespace {

std::string quoted(const std::string& s, size_t maxChars) {
    std::string out = "\"";
    for (size_t i = 0; i < s.size() && i < maxChars; ++i) {
        const char c = s[i];
        if (c == '\n')
            out += "\\n";
        else if (c == '"')
            out += "\\\"";
        else
            out += c;
    }
    if (s.size() > maxChars)
        out += "...";
    out += '"';
    return out;
}

std::string formatDouble(double v) {
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15)
        return std::to_string(static_cast<long long>(v)) + ".0";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

} // namespace

std::string MetaValue::display(size_t maxItems) const {
    switch (type_) {
    case MetaType::String:
        return quoted(std::get<std::string>(value_), 200);
    case MetaType::Bool:
        return std::get<bool>(value_) ? "true" : "false";
    case MetaType::F32:
    case MetaType::F64:
        return formatDouble(std::get<double>(value_));
    case MetaType::Array: {
        const auto& list = items();
        std::string out = "[";
        for (size_t i = 0; i < list.size() && i < maxItems; ++i) {
            if (i)
                out += ", ";
            out += list[i].display(maxItems);
        }
        if (list.size() > maxItems)
            out += ", ... " + std::to_string(list.size()) + " items";
        out += "]";
        return out;
    }
    default:
        if (const auto* u = std::get_if<uint64_t>(&value_))
            return std::to_string(*u);
        return std::to_string(std::get<int64_t>(value_));
    }
}

bool operator==(const MetaValue& a, const MetaValue& b) {
    if (a.type_ != b.type_)
        return false;
    if (a.type_ == MetaType::Array)
        return a.arrayType() == b.arrayType() && a.items() == b.items();
    return a.value_ == b.value_;
}

const MetaValue* Metadata::find(std::string_view key) const {
    const auto it = index_.find(std::string(key));
    return it == index_.end() ? nullptr : &entries_[it->second].second;
}

void Metadata::set(std::string key, MetaValue value) {
    if (const auto it = index_.find(key); it != index_.end()) {
        entries_[it->second].second = std::move(value);
        return;
    }
    index_.emplace(key, entries_.size());
    entries_.emplace_back(std::move(key), std::move(value));
}

bool Metadata::erase(std::string_view key) {
    const auto it = index_.find(std::string(key));
    if (it == index_.end())
        return false;
    entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(it->second));
    index_.clear();
    for (size_t i = 0; i < entries_.size(); ++i)
        index_.emplace(entries_[i].first, i);
    return true;
}

std::optional<uint64_t> Metadata::getUnsigned(std::string_view key) const {
    const auto* v = find(key);
    return v ? v->toUnsigned() : std::nullopt;
}

std::optional<double> Metadata::getDouble(std::string_view key) const {
    const auto* v = find(key);
    return v ? v->toDouble() : std::nullopt;
}

std::optional<std::string> Metadata::getString(std::string_view key) const {
    const auto* v = find(key);
    if (!v || !v->toString())
        return std::nullopt;
    return *v->toString();
}

} // namespace matryx
