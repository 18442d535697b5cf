#pragma once

// Metadata as JSON, two ways.
//
// Plain: numbers, strings, booleans and arrays, for display and `--json` output. Types are not
// kept; strings that are not valid UTF-8 have their bad bytes replaced by U+FFFD, so the result
// always dumps without throwing.
//
// Typed: a lossless text encoding of one value with its GGUF type, used for safetensors
// "__metadata__" (whose values must be strings):
//   {"type":"UINT32","value":30}
//   {"type":"FLOAT32","value":1e-05}            shortest text that reads back to the same float
//   {"type":"FLOAT32","value":{"bits":"7f800000"}}   infinities and NaNs, as raw IEEE bits
//   {"type":"STRING","value":"llama"}
//   {"type":"STRING","value":{"base64":"/w=="}}       strings that are not valid UTF-8
//   {"type":"ARRAY","element":"INT32","value":[1,2,3]}
//   {"type":"ARRAY","element":"ARRAY","value":[{"type":"ARRAY","element":"UINT8","value":[1]}]}
// Type names are gguf-py's (metaTypeName). Decoding checks every type, range and nesting level.
//
// Exposes nlohmann::json, so matryx_format links nlohmann_json PUBLIC.

#include "base/error.h"
#include "format/metadata.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

namespace matryx {

nlohmann::json toPlainJson(const MetaValue& value);
// An object of key -> plain value (nlohmann::json sorts keys; iterate Metadata for file order).
nlohmann::json toPlainJson(const Metadata& metadata);

// The typed encoding of a value (compact JSON text, valid UTF-8).
std::string encodeTypedValue(const MetaValue& value);

// Decodes the typed encoding. Errors name `field` and say what is wrong; their file and offset
// are left for the caller to fill in.
Result<MetaValue> decodeTypedValue(std::string_view text, std::string_view field);

bool isValidUtf8(std::string_view text) noexcept;

} // namespace matryx
