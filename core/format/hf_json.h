#pragma once

// Parsing of untrusted JSON text (Hugging Face sidecar files, typed metadata values) into an
// nlohmann::json document. Limits are checked before a document is built: the text size and
// the nesting depth (a deeply nested document costs far more memory than its text). Nothing
// here throws; errors name the file, the field and the byte offset of the problem.

#include "base/error.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace matryx {

inline constexpr size_t kJsonDefaultMaxDepth = 64;

// Parses `text`, which starts at byte `baseOffset` of `file`. Syntax errors and nesting deeper
// than maxDepth give an Error at the offending byte; `field` names what the text is.
Result<nlohmann::json> parseJsonText(std::string_view text, const std::string& file, std::string_view field,
                                     uint64_t baseOffset, size_t maxDepth = kJsonDefaultMaxDepth);

// Reads and parses a JSON file of at most maxBytes bytes (larger files are refused unread).
Result<nlohmann::json> readJsonFile(const std::filesystem::path& path, uint64_t maxBytes,
                                    size_t maxDepth = kJsonDefaultMaxDepth);

// Lenient member access for documents whose schema is loose (tokenizer_config.json and
// friends): nullptr / nullopt when `obj` is not an object, the key is missing, the value is
// null or of another JSON type.
const nlohmann::json* jsonMember(const nlohmann::json& obj, std::string_view key) noexcept;
const nlohmann::json* jsonMember(const nlohmann::json* obj, std::string_view key) noexcept;
std::optional<std::string> jsonString(const nlohmann::json* value);
std::optional<bool> jsonBool(const nlohmann::json* value) noexcept;
// Integers, and floats with an integral value (2048.0), that fit int64.
std::optional<int64_t> jsonInteger(const nlohmann::json* value) noexcept;
std::optional<double> jsonNumber(const nlohmann::json* value) noexcept;

// The byte offset of the first bracket that opens a level deeper than maxDepth, if any.
// Brackets inside strings do not count.
std::optional<size_t> findJsonNestingOverflow(std::string_view text, size_t maxDepth) noexcept;

} // namespace matryx
