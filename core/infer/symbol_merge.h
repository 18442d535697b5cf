#pragma once

// The merge loop the subword tokenizers share (BPE by merge rank, SentencePiece by token score):
// a text starts as one symbol per UTF-8 character, and the adjacent pair that goes first is
// merged, again and again, until no pair may merge. Of pairs with equal rank the leftmost goes
// first, as in llama.cpp.

#include <cstdint>
#include <optional>
#include <queue>
#include <string_view>
#include <vector>

namespace matryx {

struct MergeSymbol {
    uint32_t start;  // byte offset in the text
    uint32_t length; // bytes; 0 once merged into its left neighbour
    int prev;        // neighbours in the text as it is merged, -1 at either end
    int next;
};

// One symbol per UTF-8 character of `text`; a sequence cut short by the end is one symbol.
std::vector<MergeSymbol> utf8Symbols(std::string_view text);

// Merges `symbols` in place. pairRank(left, right) gives the rank of two adjacent symbols, or
// nullopt when they may not merge; First{}(a, b) says whether rank a goes before rank b
// (std::less: low ranks first; std::greater: high scores first).
// Flattened: the loop runs once per pre-tokenized word, and left to its own inlining budget the
// compiler calls the string and hash-map code of pairRank out of line (7% more instructions).
template <class Rank, class First, class PairRank>
[[gnu::flatten]] void mergeSymbols(std::vector<MergeSymbol>& symbols, PairRank pairRank) {
    struct Pair {
        int left;
        int right;
        Rank rank;
        uint32_t size; // both lengths when ranked: a pair is stale once either side has changed
    };
    struct Later {
        bool operator()(const Pair& a, const Pair& b) const noexcept {
            return First{}(b.rank, a.rank) || (a.rank == b.rank && a.left > b.left);
        }
    };
    std::priority_queue<Pair, std::vector<Pair>, Later> queue;
    const auto addPair = [&](int left, int right) {
        if (left < 0 || right < 0)
            return;
        const MergeSymbol& l = symbols[static_cast<size_t>(left)];
        const MergeSymbol& r = symbols[static_cast<size_t>(right)];
        if (const std::optional<Rank> rank = pairRank(l, r))
            queue.push({left, right, *rank, l.length + r.length});
    };
    for (int i = 1; i < static_cast<int>(symbols.size()); ++i)
        addPair(i - 1, i);

    while (!queue.empty()) {
        const Pair pair = queue.top();
        queue.pop();
        MergeSymbol& left = symbols[static_cast<size_t>(pair.left)];
        MergeSymbol& right = symbols[static_cast<size_t>(pair.right)];
        if (left.length == 0 || right.length == 0 || left.length + right.length != pair.size)
            continue;
        left.length += right.length;
        right.length = 0;
        left.next = right.next;
        if (right.next >= 0)
            symbols[static_cast<size_t>(right.next)].prev = pair.left;
        addPair(left.prev, pair.left);
        addPair(pair.left, left.next);
    }
}

} // namespace matryx
