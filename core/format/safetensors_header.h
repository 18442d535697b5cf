#pragma once

// Parses the JSON header of a safetensors file (layout in safetensors_format.h) into plain
// records, in one streaming pass: no JSON document is built, so memory stays proportional to
// the names and numbers kept, whatever the header's shape. Checks the JSON types of every
// field; sizes and offsets are checked by the reader, which knows the file.

#include "base/error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace matryx {

struct SafetensorsHeaderEntry {
    std::string name;
    std::string dtype;
    std::vector<uint64_t> shape; // as written: outermost dimension first
    uint64_t begin = 0;          // data_offsets, relative to the data section
    uint64_t end = 0;
};

struct SafetensorsHeader {
    std::vector<SafetensorsHeaderEntry> tensors;               // in header order
    std::vector<std::pair<std::string, std::string>> metadata; // "__metadata__", in header order
};

// `text` is the header as it lies at byte `baseOffset` (8) of `file`. Fails on invalid JSON (at
// the byte where parsing stopped), on a top level that is not an object, on duplicate tensor
// names or keys, on fields of the wrong JSON type or missing ("tensors[\"x\"].data_offsets"),
// and on more than kSafetensorsMaxDims dimensions. Unknown fields of a tensor are ignored.
Result<SafetensorsHeader> parseSafetensorsHeader(std::string_view text, const std::string& file,
                                                 uint64_t baseOffset);

// `tensors["name"]`, the field name errors use for a tensor entry.
std::string safetensorsTensorField(std::string_view name);

} // namespace matryx
