#pragma once

// Part of the GGUF reader: parses the key/value section (see gguf_format.h). Not a public API.

#include "base/error.h"
#include "format/byte_cursor.h"
#include "format/gguf_format.h"
#include "format/metadata.h"

#include <cstdint>
#include <string>
#include <vector>

namespace matryx {

struct GgufMetadata {
    Metadata metadata;                  // in file order, so entry i is kv[i]
    std::vector<uint64_t> valueOffsets; // byte offset of each kv[i].value, for later errors
    uint64_t alignment = 32;            // general.alignment, checked, or the default
};

// Reads `count` key/value pairs at the cursor. Refuses empty and duplicate keys, unknown value
// types, arrays nested deeper than gguf::kMaxArrayDepth, counts and lengths that cannot fit in
// the bytes left, more than `maxValues` values (keys plus array items) in all, and a
// general.alignment that is not a U32 power of two. Errors name `file`, the field
// ("kv[3].value[7]") and its byte offset.
Result<GgufMetadata> parseGgufMetadata(ByteCursor& cursor, uint64_t count, const std::string& file,
                                       uint64_t maxValues = gguf::kMaxMetadataValues);

} // namespace matryx
