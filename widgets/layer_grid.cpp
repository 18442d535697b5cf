#include "layer_grid.h"

#include "quant/tensor_kind.h"

#include <algorithm>
#include <map>

namespace matryx {

namespace {

const QStringList kKindOrder = {QStringLiteral("attn_q"),      QStringLiteral("attn_k"),
                                QStringLiteral("attn_v"),      QStringLiteral("attn_qkv"),
                                QStringLiteral("attn_output"), QStringLiteral("ffn_gate"),
                                QStringLiteral("ffn_up"),      QStringLiteral("ffn_down")};

bool isMatrix(std::span<const int64_t> shape) {
    return std::count_if(shape.begin(), shape.end(), [](int64_t d) { return d > 1; }) >= 2;
}

} // namespace

int LayerGrid::at(int layer, int kind) const noexcept {
    if (layer < 0 || layer >= layers || kind < 0 || kind >= kinds.size()) return -1;
    return cells[size_t(layer) * size_t(kinds.size()) + size_t(kind)];
}

LayerGrid LayerGrid::build(const std::vector<std::pair<std::string_view, std::span<const int64_t>>>& tensors) {
    LayerGrid grid;
    std::map<QString, std::map<int, int>> byKind; // kind -> layer -> tensor
    for (size_t i = 0; i < tensors.size(); ++i) {
        const TensorKind k = classifyTensor(tensors[i].first);
        if (!k.layer || !isMatrix(tensors[i].second)) continue;
        byKind[QString::fromStdString(k.kind)][*k.layer] = int(i);
        grid.layers = std::max(grid.layers, *k.layer + 1);
    }
    for (const QString& kind : kKindOrder)
        if (byKind.count(kind)) grid.kinds << kind;
    for (const auto& [kind, entries] : byKind)
        if (!kKindOrder.contains(kind)) grid.kinds << kind;
    grid.cells.assign(size_t(grid.layers) * size_t(grid.kinds.size()), -1);
    for (int k = 0; k < grid.kinds.size(); ++k)
        for (const auto& [layer, index] : byKind[grid.kinds[k]])
            grid.cells[size_t(layer) * size_t(grid.kinds.size()) + size_t(k)] = index;
    return grid;
}

} // namespace matryx
