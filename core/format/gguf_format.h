#pragma once

// The GGUF byte layout (versions 2 and 3) and its constants. All numbers are little-endian;
// big-endian GGUF files exist but are refused.
//
//   offset  size  field
//   0       4     magic "GGUF" (bytes 47 47 55 46)
//   4       4     version (u32): 2 or 3. Version 1 (u32 counts and lengths) is refused.
//   8       8     n_tensors (u64)
//   16      8     n_kv (u64)
//   24      ...   n_kv key/value pairs:
//                   key    string
//                   type   u32 value type (MetaType: 0..12)
//                   value  encoded by type (below)
//   ...     ...   n_tensors tensor infos:
//                   name    string
//                   n_dims  u32, 0..4 (0 is a scalar holding one element)
//                   dims    n_dims x i64, dims[0] is the row length; each >= 0
//                   type    u32 ggml type id (TensorType)
//                   offset  u64, relative to the data section, a multiple of the alignment
//   ...     ...   zero padding up to a multiple of the alignment (counted from byte 0)
//   data    ...   the data section: tensor bytes at their offsets, each padded with zeros
//                 to the alignment (writers pad after the last tensor too; ggml reads the
//                 whole padded section)
//
// Encodings:
//   string  u64 byte length, then that many bytes (UTF-8, not NUL-terminated)
//   U8, I8, Bool: 1 byte; U16, I16: 2; U32, I32, F32: 4; U64, I64, F64: 8.
//           Bool is written as 0 or 1; any non-zero byte reads as true (as in ggml).
//   array   u32 element type, u64 count, then count elements encoded without a type tag.
//           An element of type Array is itself (u32 element type, u64 count, elements).
//           llama.cpp reads no nested arrays; gguf-py writes and reads them.
//
// general.alignment (U32, a non-zero power of two) sets the alignment; default 32.
// Split models ("name-00001-of-00003.gguf") carry split.no (U16, 0-based), split.count (U16)
// and split.tensors.count (I32, tensors over all shards); see gguf_split.h.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace matryx::gguf {

inline constexpr std::array<std::byte, 4> kMagic = {std::byte{'G'}, std::byte{'G'}, std::byte{'U'},
                                                    std::byte{'F'}};
inline constexpr uint32_t kMinVersion = 2;
inline constexpr uint32_t kMaxVersion = 3;
inline constexpr uint32_t kWriteVersion = 3;
inline constexpr uint64_t kDefaultAlignment = 32;
inline constexpr uint32_t kMaxDims = 4;

// Byte offsets of the fixed header fields.
inline constexpr uint64_t kOffsetMagic = 0;
inline constexpr uint64_t kOffsetVersion = 4;
inline constexpr uint64_t kOffsetTensorCount = 8;
inline constexpr uint64_t kOffsetKvCount = 16;
inline constexpr uint64_t kHeaderSize = 24;

// Smallest possible encodings, used to refuse counts that cannot fit in the bytes left
// before anything is allocated for them.
inline constexpr uint64_t kMinKvBytes = 8 + 1 + 4 + 1;         // key length, 1-byte key, type, U8 value
inline constexpr uint64_t kMinTensorInfoBytes = 8 + 4 + 4 + 8; // empty name, n_dims 0, type, offset
inline constexpr uint64_t kArrayHeaderBytes = 4 + 8;           // element type, count

// Nested arrays deeper than this are refused (reading and writing): no real file nests at
// all, and the cap bounds the reader's recursion.
inline constexpr int kMaxArrayDepth = 8;

// Memory guards. Parsed values take more memory than their bytes in the file (48 bytes per
// metadata value, about 140 per tensor info), so counts are also capped, far above any real
// model (vocabularies hold up to ~1M values; models have up to ~10k tensors): a hostile file
// cannot make the reader allocate gigabytes.
inline constexpr uint64_t kMaxMetadataValues = uint64_t{1} << 26; // keys plus array items
inline constexpr uint64_t kMaxTensors = uint64_t{1} << 20;

// llama.cpp refuses tensor names of 64 bytes or more (GGML_MAX_NAME includes the NUL), so
// the writer does too. The reader accepts longer names: they are still inspectable.
inline constexpr size_t kMaxWrittenNameBytes = 63;

inline constexpr std::string_view kKeyAlignment = "general.alignment";
inline constexpr std::string_view kKeySplitNo = "split.no";
inline constexpr std::string_view kKeySplitCount = "split.count";
inline constexpr std::string_view kKeySplitTensorsCount = "split.tensors.count";

inline constexpr bool isPowerOfTwo(uint64_t v) noexcept {
    return v != 0 && (v & (v - 1)) == 0;
}

// v rounded up to a multiple of the power of two `alignment`; callers keep v far from 2^64.
inline constexpr uint64_t alignUp(uint64_t v, uint64_t alignment) noexcept {
    return (v + alignment - 1) & ~(alignment - 1);
}

} // namespace matryx::gguf
