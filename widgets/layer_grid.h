#pragma once

// The layers-by-kinds layout the layer heatmap and the plan grid share: one row per block
// ("blk.N."), one column per tensor kind of the blocks' matrices, in the order a block computes
// them (attn_q, attn_k, attn_v, attn_qkv, attn_output, ffn_gate, ffn_up, ffn_down), other kinds
// after them alphabetically. Tensors outside the blocks and 1-D tensors have no cell.

#include <QStringList>

#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace matryx {

struct LayerGrid {
    int layers = 0;
    QStringList kinds;
    std::vector<int> cells; // layers x kinds, row-major by layer: index into the tensors given, -1 blank

    // The tensor index of a cell; -1 for a blank cell or one outside the grid.
    int at(int layer, int kind) const noexcept;

    // Lays out tensors given by name and shape (ggml order), in the caller's order.
    static LayerGrid build(const std::vector<std::pair<std::string_view, std::span<const int64_t>>>& tensors);

    // The same for any list of objects with `name` and `shape` members.
    template <class Tensors> static LayerGrid of(const Tensors& tensors) {
        std::vector<std::pair<std::string_view, std::span<const int64_t>>> items;
        items.reserve(tensors.size());
        for (const auto& t : tensors)
            items.emplace_back(t.name, t.shape);
        return build(items);
    }
};

} // namespace matryx
