#include "format/safetensors_format.h"

#include <array>
#include <utility>

namespace matryx {

namespace {

using T = TensorType;

constexpr std::array<std::pair<std::string_view, TensorType>, 12> kDtypes = {{
    {"F64", T::F64},
    {"F32", T::F32},
    {"F16", T::F16},
    {"BF16", T::BF16},
    {"I64", T::I64},
    {"I32", T::I32},
    {"I16", T::I16},
    {"I8", T::I8},
    {"U8", T::U8},
    {"BOOL", T::Bool},
    {"F8_E4M3", T::F8_E4M3},
    {"F8_E5M2", T::F8_E5M2},
}};

} // namespace

std::optional<TensorType> tensorTypeFromSafetensorsDtype(std::string_view dtype) noexcept {
    // Dtype names are case-sensitive in the format: "f32" is not a dtype.
    for (const auto& [name, type] : kDtypes)
        if (name == dtype) return type;
    return std::nullopt;
}

std::string_view safetensorsDtypeName(TensorType type) noexcept {
    for (const auto& [name, t] : kDtypes)
        if (t == type) return name;
    return {};
}

} // namespace matryx
