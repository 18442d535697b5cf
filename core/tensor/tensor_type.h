#pragma once

// The element types a tensor can be stored in. Ids 0..42 are ggml's (ggml.h, enum
// ggml_type); they are what GGUF files store. Ids from 1000 are storage types that
// safetensors has and ggml lacks; they never appear in a GGUF file.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace matryx {

enum class TensorType : uint32_t {
    F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3,
    // 4, 5: Q4_2, Q4_3, removed from ggml
    Q5_0 = 6, Q5_1 = 7, Q8_0 = 8, Q8_1 = 9,
    Q2_K = 10, Q3_K = 11, Q4_K = 12, Q5_K = 13, Q6_K = 14, Q8_K = 15,
    IQ2_XXS = 16, IQ2_XS = 17, IQ3_XXS = 18, IQ1_S = 19, IQ4_NL = 20, IQ3_S = 21, IQ2_S = 22, IQ4_XS = 23,
    I8 = 24, I16 = 25, I32 = 26, I64 = 27, F64 = 28, IQ1_M = 29, BF16 = 30,
    // 31..33: Q4_0_4_4, Q4_0_4_8, Q4_0_8_8, removed from GGUF files
    TQ1_0 = 34, TQ2_0 = 35,
    // 36..38: IQ4_NL_4_4, IQ4_NL_4_8, IQ4_NL_8_8, removed
    MXFP4 = 39, NVFP4 = 40, Q1_0 = 41, Q2_0 = 42,

    // Not ggml types: safetensors-only storage.
    U8 = 1000, Bool = 1001, F8_E4M3 = 1002, F8_E5M2 = 1003,
};

struct TypeTraits {
    TensorType type;
    std::string_view name;  // as gguf-py spells it: "Q4_K", "BF16", "IQ2_XXS"
    uint32_t blockSize;     // elements per block (1 for plain types)
    uint32_t blockBytes;    // bytes per block
    bool quantized;         // stored in blocks with scales
    bool ggml;              // may be written to GGUF
};

// Traits of a known type; nullptr for ids ggml never defined or has removed.
const TypeTraits* typeTraits(uint32_t id) noexcept;
const TypeTraits& typeTraits(TensorType type) noexcept;
// All known types, ggml ones first in id order.
std::span<const TypeTraits> allTypeTraits() noexcept;
// Case-insensitive lookup: "q4_k", "Q4_K", "bf16".
std::optional<TensorType> typeFromName(std::string_view name) noexcept;

inline std::string_view typeName(TensorType type) noexcept { return typeTraits(type).name; }

// Why an id is not a usable type, for error messages ("removed from ggml (was Q4_2)", "unknown").
std::string_view unknownTypeReason(uint32_t id) noexcept;

// Bytes for n elements, or nullopt if n is not a whole number of blocks or the size overflows.
std::optional<uint64_t> bytesFor(TensorType type, uint64_t elements) noexcept;

} // namespace matryx
