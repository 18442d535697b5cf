#pragma once

// The tensors of a decoder-only transformer, located and checked once: matrices are views into
// the Model's mapped files in their stored type (never copied), 1-D tensors (norms, biases, RoPE
// frequency factors) are copied to f32. Tensor names are GGUF's; safetensors and Hugging Face
// names are mapped through hf_name_map.h, and Gemma norms from such checkpoints get the 1 that
// llama.cpp's converter adds.

#include "base/error.h"
#include "compute/matmul.h"
#include "format/model.h"
#include "infer/model_config.h"

#include <vector>

namespace matryx {

struct LayerWeights {
    std::vector<float> attnNorm;
    MatrixView q, k, v, o;
    std::vector<float> qBias, kBias, vBias, oBias; // empty when the model has none
    std::vector<float> qNorm, kNorm;               // gemma3, one head long
    std::vector<float> postAttnNorm;               // gemma2/3
    std::vector<float> ffnNorm;
    MatrixView gate, up, down;
    std::vector<float> gateBias, upBias, downBias;
    std::vector<float> postFfnNorm; // gemma2/3
};

struct ModelWeights {
    MatrixView tokenEmbedding; // vocabulary rows of `embedding` values
    std::vector<float> outputNorm;
    MatrixView output; // the token embedding when the model ties them
    bool tiedOutput = false;
    std::vector<float> ropeFactors; // llama3 rope_freqs, ropeDims / 2 values; empty when absent
    std::vector<LayerWeights> layers;
};

// Finds every tensor the architecture needs, checks its shape against `config` and that a kernel
// can multiply its type. The views borrow `model`'s mapped data: keep the Model alive (and
// unmoved sources) while the weights are used. A missing or misshapen tensor is an error naming
// the file and the tensor ("blk.3.ffn_up.weight: expected 576 x 1536, found 576 x 1024").
Result<ModelWeights> loadModelWeights(const Model& model, const ModelConfig& config);

} // namespace matryx
