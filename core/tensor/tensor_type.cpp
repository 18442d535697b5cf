#include "tensor/tensor_type.h"

#include <array>
#include <cctype>

namespace matryx {

namespace {

using T = TensorType;
constexpr uint32_t QK_K = 256;

constexpr std::array kTraits = {
    TypeTraits{T::F32, "F32", 1, 4, false, true},
    TypeTraits{T::F16, "F16", 1, 2, false, true},
    TypeTraits{T::Q4_0, "Q4_0", 32, 2 + 16, true, true},
    TypeTraits{T::Q4_1, "Q4_1", 32, 2 + 2 + 16, true, true},
    TypeTraits{T::Q5_0, "Q5_0", 32, 2 + 4 + 16, true, true},
    TypeTraits{T::Q5_1, "Q5_1", 32, 2 + 2 + 4 + 16, true, true},
    TypeTraits{T::Q8_0, "Q8_0", 32, 2 + 32, true, true},
    TypeTraits{T::Q8_1, "Q8_1", 32, 2 + 2 + 32, true, true},
    TypeTraits{T::Q2_K, "Q2_K", QK_K, 2 + 2 + QK_K / 16 + QK_K / 4, true, true},
    TypeTraits{T::Q3_K, "Q3_K", QK_K, 2 + QK_K / 4 + QK_K / 8 + 12, true, true},
    TypeTraits{T::Q4_K, "Q4_K", QK_K, 2 + 2 + QK_K / 2 + 12, true, true},
    TypeTraits{T::Q5_K, "Q5_K", QK_K, 2 + 2 + QK_K / 2 + QK_K / 8 + 12, true, true},
    TypeTraits{T::Q6_K, "Q6_K", QK_K, 2 + QK_K / 2 + QK_K / 4 + QK_K / 16, true, true},
    TypeTraits{T::Q8_K, "Q8_K", QK_K, 4 + QK_K + QK_K / 8, true, true},
    TypeTraits{T::IQ2_XXS, "IQ2_XXS", QK_K, 2 + QK_K / 4, true, true},
    TypeTraits{T::IQ2_XS, "IQ2_XS", QK_K, 2 + QK_K / 4 + QK_K / 32, true, true},
    TypeTraits{T::IQ3_XXS, "IQ3_XXS", QK_K, 2 + QK_K / 4 + QK_K / 8, true, true},
    TypeTraits{T::IQ1_S, "IQ1_S", QK_K, 2 + QK_K / 8 + QK_K / 16, true, true},
    TypeTraits{T::IQ4_NL, "IQ4_NL", 32, 2 + 16, true, true},
    TypeTraits{T::IQ3_S, "IQ3_S", QK_K, 2 + QK_K / 4 + QK_K / 8 + QK_K / 32 + 4, true, true},
    TypeTraits{T::IQ2_S, "IQ2_S", QK_K, 2 + QK_K / 4 + QK_K / 16, true, true},
    TypeTraits{T::IQ4_XS, "IQ4_XS", QK_K, 2 + 2 + QK_K / 2 + QK_K / 64, true, true},
    TypeTraits{T::I8, "I8", 1, 1, false, true},
    TypeTraits{T::I16, "I16", 1, 2, false, true},
    TypeTraits{T::I32, "I32", 1, 4, false, true},
    TypeTraits{T::I64, "I64", 1, 8, false, true},
    TypeTraits{T::F64, "F64", 1, 8, false, true},
    TypeTraits{T::IQ1_M, "IQ1_M", QK_K, QK_K / 8 + QK_K / 16 + QK_K / 32, true, true},
    TypeTraits{T::BF16, "BF16", 1, 2, false, true},
    TypeTraits{T::TQ1_0, "TQ1_0", QK_K, 2 + 4 * 13, true, true},
    TypeTraits{T::TQ2_0, "TQ2_0", QK_K, 2 + 64, true, true},
    TypeTraits{T::MXFP4, "MXFP4", 32, 1 + 16, true, true},
    TypeTraits{T::NVFP4, "NVFP4", 64, 4 + 32, true, true},
    TypeTraits{T::Q1_0, "Q1_0", 128, 2 + 16, true, true},
    TypeTraits{T::Q2_0, "Q2_0", 64, 2 + 16, true, true},
    TypeTraits{T::U8, "U8", 1, 1, false, false},
    TypeTraits{T::Bool, "BOOL", 1, 1, false, false},
    TypeTraits{T::F8_E4M3, "F8_E4M3", 1, 1, false, false},
    TypeTraits{T::F8_E5M2, "F8_E5M2", 1, 1, false, false},
};

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

} // namespace

const TypeTraits* typeTraits(uint32_t id) noexcept {
    for (const auto& t : kTraits)
        if (static_cast<uint32_t>(t.type) == id)
            return &t;
    return nullptr;
}

const TypeTraits& typeTraits(TensorType type) noexcept {
    // Every enumerator has an entry (checked by the type table test).
    return *typeTraits(static_cast<uint32_t>(type));
}

std::span<const TypeTraits> allTypeTraits() noexcept { return kTraits; }

std::optional<TensorType> typeFromName(std::string_view name) noexcept {
    for (const auto& t : kTraits)
        if (equalsIgnoreCase(t.name, name))
            return t.type;
    return std::nullopt;
}

std::string_view unknownTypeReason(uint32_t id) noexcept {
    switch (id) {
    case 4: return "removed from ggml (was Q4_2)";
    case 5: return "removed from ggml (was Q4_3)";
    case 31: return "removed from GGUF files (was Q4_0_4_4; repack at load time instead)";
    case 32: return "removed from GGUF files (was Q4_0_4_8; repack at load time instead)";
    case 33: return "removed from GGUF files (was Q4_0_8_8; repack at load time instead)";
    case 36: return "removed from ggml (was IQ4_NL_4_4)";
    case 37: return "removed from ggml (was IQ4_NL_4_8)";
    case 38: return "removed from ggml (was IQ4_NL_8_8)";
    default: return "not a ggml type id";
    }
}

std::optional<uint64_t> bytesFor(TensorType type, uint64_t elements) noexcept {
    const auto& t = typeTraits(type);
    if (elements % t.blockSize != 0)
        return std::nullopt;
    const uint64_t blocks = elements / t.blockSize;
    if (blocks > UINT64_MAX / t.blockBytes)
        return std::nullopt;
    return blocks * t.blockBytes;
}

} // namespace matryx
