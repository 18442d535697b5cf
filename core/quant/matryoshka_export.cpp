#include "quant/matryoshka_export.h"

#include "quant/matryoshka_slice.h"
#include "quant/type_fallback.h"
#include "tensor/float_convert.h"
#include "tensor/quantize.h"

#include <cstring>
#include <vector>

namespace matryx {

namespace {

constexpr MatryoshkaExport kExports[] = {
    {8, TensorType::Q8_0, false}, {6, TensorType::Q6_K, false}, {5, TensorType::Q5_1, true},
    {4, TensorType::Q4_1, true},  {3, TensorType::Q3_K, false}, {2, TensorType::Q2_K, false},
};

void storeFp16(std::byte* at, uint16_t h) noexcept { std::memcpy(at, &h, sizeof h); }

// Q4_1 block: d, m, then 16 bytes holding value j in the low nibble and value j + 16 in the high one.
// Q5_1 block: d, m, a 32-bit word with each value's fifth bit, then the low nibbles as in Q4_1.
// d = s * 2^(8-bits) is exact in fp16 because the scale is at most kMaxMatryoshkaScale.
void packGroup(int bits, const int8_t* codes, uint16_t scale, uint16_t min, std::byte* block) noexcept {
    uint8_t q[kMatryoshkaGroup];
    for (int j = 0; j < kMatryoshkaGroup; ++j)
        q[j] = sliceCode(matryoshkaCode(codes[j]), bits);
    storeFp16(block, f32ToFp16(sliceStep(scale, bits)));
    storeFp16(block + 2, min);
    std::byte* qs = block + 4;
    if (bits == 5) {
        uint32_t qh = 0;
        for (int j = 0; j < kMatryoshkaGroup; ++j)
            qh |= uint32_t((q[j] >> 4) & 1u) << j;
        std::memcpy(block + 4, &qh, sizeof qh);
        qs = block + 8;
    }
    for (int j = 0; j < kMatryoshkaGroup / 2; ++j)
        qs[j] = std::byte(uint8_t((q[j] & 0x0f) | (q[j + 16] & 0x0f) << 4));
}

} // namespace

std::span<const MatryoshkaExport> matryoshkaExports() noexcept { return kExports; }

std::optional<MatryoshkaExport> matryoshkaExport(int bits) noexcept {
    for (const auto& e : kExports)
        if (e.bits == bits) return e;
    return std::nullopt;
}

TensorType matryoshkaExportType(int bits, int64_t rowLength) noexcept {
    const auto e = matryoshkaExport(bits);
    return e ? rowFallbackType(e->type, rowLength) : TensorType::F32;
}

Status exportSlice(int bits, TensorType type, const int8_t* codes, const uint16_t* scales, const uint16_t* mins,
                   int64_t rows, int64_t rowLength, std::span<std::byte> dst) {
    const auto e = matryoshkaExport(bits);
    if (!e || rowLength <= 0 || rowLength % kMatryoshkaGroup != 0 || rows < 0 ||
        type != matryoshkaExportType(bits, rowLength))
        return makeError("<memory>", "bits", std::nullopt,
                         "no export of the " + std::to_string(bits) + "-bit slice as " +
                             std::string(typeName(type)) + " for rows of " + std::to_string(rowLength));
    const auto rowBytes = bytesFor(type, static_cast<uint64_t>(rowLength));
    if (!rowBytes || *rowBytes * static_cast<uint64_t>(rows) != dst.size())
        return makeError("<memory>", "dst", std::nullopt, "the output buffer does not fit the rows");
    const int64_t groups = rows * (rowLength / kMatryoshkaGroup);
    if (e->exact && type == e->type) {
        const uint64_t blockBytes = typeTraits(type).blockBytes;
        for (int64_t g = 0; g < groups; ++g)
            packGroup(bits, codes + g * kMatryoshkaGroup, scales[g], mins[g], dst.data() + g * blockBytes);
        return {};
    }
    std::vector<float> values(static_cast<size_t>(rowLength));
    const int64_t groupsPerRow = rowLength / kMatryoshkaGroup;
    for (int64_t r = 0; r < rows; ++r) {
        sliceValues(codes + r * rowLength, scales + r * groupsPerRow, mins + r * groupsPerRow, rowLength, bits,
                    values.data());
        if (auto s = quantize(type, values, rowLength, dst.subspan(static_cast<size_t>(r * *rowBytes), *rowBytes));
            !s)
            return s;
    }
    return {};
}

} // namespace matryx
