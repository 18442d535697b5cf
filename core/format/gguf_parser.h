#pragma once

// Part of the GGUF reader: parses one GGUF file held in a ByteSource into a Model (header,
// metadata, tensor infos; no tensor data is read). Not a public API: use gguf_reader.h.

#include "base/byte_source.h"
#include "base/error.h"
#include "format/model.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace matryx {

struct GgufParsed {
    Model model;                        // sources = {the source}, every tensor's source = 0
    std::vector<uint64_t> valueOffsets; // byte offset of kv[i].value (metadata entry i)
    std::vector<uint64_t> nameOffsets;  // byte offset of tensor_infos[i].name
};

// Fails with an Error naming the source's name, the field and its byte offset.
Result<GgufParsed> parseGguf(std::shared_ptr<const ByteSource> source);

} // namespace matryx
