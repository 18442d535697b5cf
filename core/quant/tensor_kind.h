#pragma once

// Where a tensor sits in a model, from its GGUF name: "blk.12.attn_v.weight" is layer 12, kind
// "attn_v", part "weight"; "token_embd.weight" has no layer and kind "token_embd". Plans, presets
// and the layer heatmap all group tensors this way.

#include <optional>
#include <string>
#include <string_view>

namespace matryx {

struct TensorKind {
    std::optional<int> layer; // block index for "blk.N.*"
    std::string kind;         // "attn_q", "ffn_down", "token_embd", "output", "output_norm", ...
    std::string part;         // "weight", "bias", "scale", or "" when the name has no such suffix

    friend bool operator==(const TensorKind&, const TensorKind&) = default;
};

// Never fails: names that follow no convention become kind = whole name, no layer, no part.
TensorKind classifyTensor(std::string_view ggufName);

} // namespace matryx
