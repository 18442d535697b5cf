#include "infer/symbol_merge.h"

#include "infer/utf8.h"

#include <algorithm>

namespace matryx {

std::vector<MergeSymbol> utf8Symbols(std::string_view text) {
    std::vector<MergeSymbol> symbols;
    for (size_t offset = 0; offset < text.size();) {
        const size_t length = std::min(text.size() - offset, utf8SequenceLength(text[offset]));
        const int index = static_cast<int>(symbols.size());
        symbols.push_back({static_cast<uint32_t>(offset), static_cast<uint32_t>(length), index - 1,
                           offset + length == text.size() ? -1 : index + 1});
        offset += length;
    }
    return symbols;
}

} // namespace matryx
