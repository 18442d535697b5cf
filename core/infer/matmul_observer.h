#pragma once

// A look at the input of every matrix product of the forward pass, before the activations are
// converted for the dot products: what activation statistics and importance matrices are made
// of. The forward pass holds at most one observer, none by default, and then pays nothing.

#include <cstdint>
#include <string>
#include <string_view>

namespace matryx {

class MatmulObserver {
public:
    virtual ~MatmulObserver() = default;

    // Called once per weight matrix per pass, before its product, on the thread that runs the
    // pass: `rows` activation rows of `columns` floats, row t at x + t * stride, multiplied by the
    // weight tensor named `weight` (its GGUF name, "blk.3.attn_q.weight"). Matrices that read the
    // same activations (query, key and value) are each reported with the same x. x is only valid
    // during the call.
    virtual void observe(std::string_view weight, const float* x, int64_t rows, int64_t columns,
                         int64_t stride) = 0;
};

// "blk.<layer>.<role>.weight", the GGUF name of a layer's matrix ("attn_q", "ffn_down", ...).
std::string layerWeightName(int64_t layer, std::string_view role);

} // namespace matryx
