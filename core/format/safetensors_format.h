#pragma once

// The safetensors file layout, as the reader and the writer share it:
//
//   offset 0      uint64 little-endian N: the size of the JSON header in bytes
//   offset 8      N bytes of UTF-8 JSON, optionally padded with spaces:
//                   { "__metadata__": { "key": "string value", ... },            (optional)
//                     "name": { "dtype": "F32", "shape": [rows, cols],
//                               "data_offsets": [begin, end] }, ... }
//   offset 8 + N  the data section; begin/end are relative to its start, end exclusive.
//
// Shapes list the outermost dimension first (the reverse of ggml's order). Multi-byte values
// are little-endian. Matryx writes every metadata value under "gguf:<key>" in the typed JSON
// encoding of metadata_json.h, so that the GGUF value types survive a round trip.

#include "tensor/tensor_type.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace matryx {

// The Python safetensors library refuses larger headers; so does Matryx.
inline constexpr uint64_t kSafetensorsMaxHeaderSize = 100ull * 1024 * 1024;
// Header and data section start are kept 8-byte aligned by the writer.
inline constexpr uint64_t kSafetensorsHeaderAlignment = 8;
// Prefix of metadata keys holding a typed (GGUF) value.
inline constexpr std::string_view kSafetensorsTypedKeyPrefix = "gguf:";
// Tensors with more dimensions are refused (ggml has 4; real checkpoints stay well below 8).
inline constexpr size_t kSafetensorsMaxDims = 8;

// The TensorType a safetensors dtype name is read into; nullopt for dtypes Matryx cannot hold
// (U16, U32, U64, F8_E8M0, F4, complex, ...).
std::optional<TensorType> tensorTypeFromSafetensorsDtype(std::string_view dtype) noexcept;

// The dtype name a TensorType is written as; empty for ggml's block-quantized types, which
// safetensors cannot store.
std::string_view safetensorsDtypeName(TensorType type) noexcept;

} // namespace matryx
