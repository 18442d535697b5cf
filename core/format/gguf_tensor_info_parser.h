#pragma once

// Part of the GGUF reader: parses the tensor infos and checks where their data lies (see
// gguf_format.h). Not a public API.

#include "base/error.h"
#include "format/byte_cursor.h"
#include "format/model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace matryx {

// Reads `count` tensor infos at the cursor, then places the data section at the next multiple
// of `alignment` and turns every offset into an absolute one (TensorInfo::source is 0).
// Refuses duplicate names, more than 4 dimensions, negative dimensions, shapes whose element
// count overflows, unknown, removed or non-ggml type ids, rows that are not whole blocks,
// offsets that are not aligned, data past the end of the file and tensors whose bytes overlap.
// Errors name `file`, the field ("tensor_infos[3].offset") and its byte offset.
struct GgufTensorInfos {
    std::vector<TensorInfo> tensors;
    std::vector<uint64_t> nameOffsets; // byte offset of tensor_infos[i].name, for later errors
};

Result<GgufTensorInfos> parseGgufTensorInfos(ByteCursor& cursor, uint64_t count, uint64_t alignment,
                                             const std::string& file);

} // namespace matryx
