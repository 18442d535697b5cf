#pragma once

// Model metadata as GGUF defines it: an ordered list of key → typed value, where values are
// scalars, strings or (nested) arrays. Safetensors and Hugging Face folders are imported into
// the same form under llama.cpp's key names, so every reader and writer shares one model.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace matryx {

// GGUF value type ids (gguf.h, enum gguf_type).
enum class MetaType : uint32_t {
    U8 = 0, I8 = 1, U16 = 2, I16 = 3, U32 = 4, I32 = 5, F32 = 6, Bool = 7,
    String = 8, Array = 9, U64 = 10, I64 = 11, F64 = 12,
};

std::string_view metaTypeName(MetaType type) noexcept; // "UINT32", "STRING", ... as gguf-py
bool isValidMetaType(uint32_t id) noexcept;

class MetaValue;

struct MetaArray {
    MetaType elementType = MetaType::U8;
    std::vector<MetaValue> items;
};

// A typed value. Integers keep their GGUF width and signedness; F32 values are held as double
// but were read from (and are written back as) float, so round trips are exact.
class MetaValue {
public:
    MetaValue() : MetaValue(MetaType::U8, uint64_t{0}) {}

    static MetaValue fromUnsigned(MetaType type, uint64_t v) { return {type, v}; }
    static MetaValue fromSigned(MetaType type, int64_t v) { return {type, v}; }
    static MetaValue fromFloat(MetaType type, double v) { return {type, v}; }
    static MetaValue u32(uint32_t v) { return {MetaType::U32, uint64_t{v}}; }
    static MetaValue u64(uint64_t v) { return {MetaType::U64, v}; }
    static MetaValue i32(int32_t v) { return {MetaType::I32, int64_t{v}}; }
    static MetaValue f32(float v) { return {MetaType::F32, double{v}}; }
    static MetaValue boolean(bool v) { return {MetaType::Bool, v}; }
    static MetaValue string(std::string v) { return {MetaType::String, std::move(v)}; }
    static MetaValue array(MetaType elementType, std::vector<MetaValue> items);
    static MetaValue stringArray(std::vector<std::string> items);

    MetaType type() const noexcept { return type_; }
    bool isArray() const noexcept { return type_ == MetaType::Array; }
    bool isString() const noexcept { return type_ == MetaType::String; }
    bool isInteger() const noexcept;
    bool isFloat() const noexcept { return type_ == MetaType::F32 || type_ == MetaType::F64; }

    // Converting accessors: nullopt when the value is of another kind or does not fit.
    std::optional<uint64_t> toUnsigned() const noexcept;
    std::optional<int64_t> toSigned() const noexcept;
    std::optional<double> toDouble() const noexcept; // integers and floats
    std::optional<bool> toBool() const noexcept;
    const std::string* toString() const noexcept;   // nullptr unless a string

    // Arrays: element type and items (empty for non-arrays).
    MetaType arrayType() const noexcept;
    const std::vector<MetaValue>& items() const noexcept;

    // Short human-readable rendering; arrays longer than maxItems are folded ("[a, b, ... 49152 items]").
    std::string display(size_t maxItems = 8) const;

    friend bool operator==(const MetaValue& a, const MetaValue& b);

private:
    using Storage = std::variant<uint64_t, int64_t, double, bool, std::string, std::shared_ptr<const MetaArray>>;
    MetaValue(MetaType type, Storage value) : type_(type), value_(std::move(value)) {}

    MetaType type_;
    Storage value_;
};

// Ordered key → value map; keys are unique.
class Metadata {
public:
    using Entry = std::pair<std::string, MetaValue>;

    const MetaValue* find(std::string_view key) const;
    bool contains(std::string_view key) const { return find(key) != nullptr; }
    // Replaces the value of an existing key in place, or appends.
    void set(std::string key, MetaValue value);
    bool erase(std::string_view key);

    std::optional<uint64_t> getUnsigned(std::string_view key) const;
    std::optional<double> getDouble(std::string_view key) const;
    std::optional<std::string> getString(std::string_view key) const;

    const std::vector<Entry>& entries() const noexcept { return entries_; }
    size_t size() const noexcept { return entries_.size(); }
    bool empty() const noexcept { return entries_.empty(); }
    auto begin() const noexcept { return entries_.begin(); }
    auto end() const noexcept { return entries_.end(); }

    friend bool operator==(const Metadata& a, const Metadata& b) { return a.entries_ == b.entries_; }

private:
    std::vector<Entry> entries_;
    std::unordered_map<std::string, size_t> index_;
};

} // namespace matryx
