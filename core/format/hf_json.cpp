#include "format/hf_json.h"

#include "base/byte_source.h"

#include <cmath>
#include <exception>
#include <limits>
#include <optional>

namespace matryx {

namespace {

// nlohmann's non-throwing parse reports failure without a position; on that (rare) path the
// text is parsed once more by this handler, which only remembers where the parser gave up.
struct ErrorLocator {
    using json = nlohmann::json;
    size_t position = 0;
    std::string message;

    bool null() { return true; }
    bool boolean(bool) { return true; }
    bool number_integer(json::number_integer_t) { return true; }
    bool number_unsigned(json::number_unsigned_t) { return true; }
    bool number_float(json::number_float_t, const json::string_t&) { return true; }
    bool string(json::string_t&) { return true; }
    bool binary(json::binary_t&) { return true; }
    bool start_object(std::size_t) { return true; }
    bool key(json::string_t&) { return true; }
    bool end_object() { return true; }
    bool start_array(std::size_t) { return true; }
    bool end_array() { return true; }
    bool parse_error(std::size_t pos, const std::string&, const nlohmann::detail::exception& ex) {
        position = pos;
        message = ex.what();
        return false;
    }
};

std::string withoutExceptionPrefix(std::string message) {
    // "[json.exception.parse_error.101] parse error at ..." -> "parse error at ..."
    if (!message.empty() && message.front() == '[')
        if (const auto end = message.find("] "); end != std::string::npos) message.erase(0, end + 2);
    return message;
}

} // namespace

std::optional<size_t> findJsonNestingOverflow(std::string_view text, size_t maxDepth) noexcept {
    size_t depth = 0;
    bool inString = false;
    bool escaped = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth) return i;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return std::nullopt;
}

const nlohmann::json* jsonMember(const nlohmann::json& obj, std::string_view key) noexcept {
    if (!obj.is_object()) return nullptr;
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return nullptr;
    return &*it;
}

const nlohmann::json* jsonMember(const nlohmann::json* obj, std::string_view key) noexcept {
    return obj ? jsonMember(*obj, key) : nullptr;
}

std::optional<std::string> jsonString(const nlohmann::json* value) {
    if (!value || !value->is_string()) return std::nullopt;
    return value->get<std::string>();
}

std::optional<bool> jsonBool(const nlohmann::json* value) noexcept {
    if (!value || !value->is_boolean()) return std::nullopt;
    return value->get<bool>();
}

std::optional<int64_t> jsonInteger(const nlohmann::json* value) noexcept {
    if (!value) return std::nullopt;
    if (value->is_number_unsigned()) {
        const uint64_t u = value->get<uint64_t>();
        if (u > uint64_t(std::numeric_limits<int64_t>::max())) return std::nullopt;
        return int64_t(u);
    }
    if (value->is_number_integer()) return value->get<int64_t>();
    if (value->is_number_float()) {
        const double d = value->get<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e18) return int64_t(d);
    }
    return std::nullopt;
}

std::optional<double> jsonNumber(const nlohmann::json* value) noexcept {
    if (!value || !value->is_number()) return std::nullopt;
    return value->get<double>();
}

Result<nlohmann::json> parseJsonText(std::string_view text, const std::string& file, std::string_view field,
                                     uint64_t baseOffset, size_t maxDepth) {
    if (const auto at = findJsonNestingOverflow(text, maxDepth))
        return makeError(file, std::string(field), baseOffset + *at,
                         "JSON nested deeper than " + std::to_string(maxDepth) + " levels");
    try {
        auto doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
        if (!doc.is_discarded()) return doc;
        ErrorLocator locator;
        nlohmann::json::sax_parse(text.begin(), text.end(), &locator);
        const uint64_t at = locator.position > 0 ? locator.position - 1 : 0;
        return makeError(file, std::string(field), baseOffset + at,
                         "invalid JSON: " + withoutExceptionPrefix(locator.message));
    } catch (const std::exception& e) {
        // Only allocation failures can get here; they must not leave the reader.
        return makeError(file, std::string(field), baseOffset, std::string("cannot parse JSON: ") + e.what());
    }
}

Result<nlohmann::json> readJsonFile(const std::filesystem::path& path, uint64_t maxBytes, size_t maxDepth) {
    const std::string name = path.string();
    std::error_code ec;
    const uint64_t size = std::filesystem::file_size(path, ec);
    if (ec) return makeError(name, {}, std::nullopt, "cannot read: " + ec.message());
    if (size > maxBytes)
        return makeError(name, {}, 0,
                         "file of " + std::to_string(size) + " bytes is larger than the " +
                             std::to_string(maxBytes) + " bytes allowed for it");
    if (size == 0) return makeError(name, {}, 0, "empty file where JSON was expected");
    auto source = ByteSource::mapFile(path);
    if (!source) return std::move(source).error();
    const auto bytes = (*source)->bytes();
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return parseJsonText(text, name, {}, 0, maxDepth);
}

} // namespace matryx
