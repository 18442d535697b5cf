#include "format/hf_rope_permute.h"

#include <cstring>

namespace matryx {

namespace {

Status permute(std::span<const std::byte> in, std::span<std::byte> out, uint64_t rows, uint64_t heads,
               bool toGguf) {
    if (heads == 0 || rows == 0 || rows % (2 * heads) != 0)
        return makeError({}, "heads", std::nullopt,
                         std::to_string(rows) + " rows cannot be split into " + std::to_string(heads) +
                             " heads of an even number of rows");
    if (in.size() != out.size() || in.size() % rows != 0)
        return makeError({}, "rows", std::nullopt,
                         "buffer sizes do not hold " + std::to_string(rows) + " equal rows");
    const uint64_t rowBytes = in.size() / rows;
    const uint64_t headRows = rows / heads;
    const uint64_t half = headRows / 2;
    for (uint64_t h = 0; h < heads; ++h) {
        for (uint64_t s = 0; s < 2; ++s) {
            for (uint64_t i = 0; i < half; ++i) {
                const uint64_t hfRow = h * headRows + s * half + i;
                const uint64_t ggufRow = h * headRows + 2 * i + s;
                const uint64_t from = toGguf ? hfRow : ggufRow;
                const uint64_t to = toGguf ? ggufRow : hfRow;
                std::memcpy(out.data() + to * rowBytes, in.data() + from * rowBytes, rowBytes);
            }
        }
    }
    return {};
}

} // namespace

bool hasPermutedQkRows(std::string_view ggufArch) noexcept {
    return ggufArch == "llama";
}

Status permuteQkRowsToGguf(std::span<const std::byte> in, std::span<std::byte> out, uint64_t rows,
                           uint64_t heads) {
    return permute(in, out, rows, heads, true);
}

Status permuteQkRowsToHf(std::span<const std::byte> in, std::span<std::byte> out, uint64_t rows,
                         uint64_t heads) {
    return permute(in, out, rows, heads, false);
}

} // namespace matryx
