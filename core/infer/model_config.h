#pragma once

// The hyperparameters of a decoder-only transformer, read from GGUF metadata under llama.cpp's
// key names (safetensors and Hugging Face folders are imported into the same keys), for the
// architectures the forward pass implements:
//
//   llama (Llama 2/3, Mistral, SmolLM)  RMSNorm, SwiGLU, RoPE on adjacent pairs, optional biases,
//                                       llama3 frequency factors (rope_freqs.weight)
//   qwen2                               as llama with q/k/v biases and NeoX RoPE (first half
//                                       rotated against second half)
//   gemma2                              embeddings scaled by sqrt(n_embd), norms after attention
//                                       and feed-forward too, GeGLU, query scale 1/sqrt(head_dim),
//                                       attention and final logit soft-capping, sliding-window
//                                       attention on every other layer
//   gemma3                              gemma2 without soft-capping (unless a final cap is set),
//                                       per-head RMSNorm of queries and keys, five local
//                                       (sliding-window, own RoPE base) layers per global one
//
// Keys read (prefix `<arch>.`): block_count, embedding_length, feed_forward_length,
// attention.head_count, attention.head_count_kv, attention.key_length, attention.value_length,
// attention.layer_norm_rms_epsilon, context_length, rope.freq_base, rope.freq_base_swa,
// rope.dimension_count, rope.scaling.type ("none" or "linear"), rope.scaling.factor,
// attention.sliding_window, attention.sliding_window_pattern, attn_logit_softcapping,
// final_logit_softcapping. Defaults are llama.cpp's.

#include "base/error.h"
#include "format/model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace matryx {

enum class ModelArch { Llama, Qwen2, Gemma2, Gemma3 };

// How RoPE pairs the dimensions of a head: adjacent (x[2i], x[2i+1]) for llama's GGUF row order,
// halves (x[i], x[i + n/2]) for the others and for llama checkpoints in Hugging Face row order.
enum class RopeOrder { Adjacent, Halves };

struct ModelConfig {
    ModelArch arch = ModelArch::Llama;
    std::string archName; // general.architecture as written

    int64_t layers = 0;
    int64_t embedding = 0;   // n_embd
    int64_t feedForward = 0; // n_ff
    int64_t heads = 0;
    int64_t kvHeads = 0;
    int64_t headDimK = 0; // key (and query) length per head
    int64_t headDimV = 0; // value length per head
    int64_t vocabulary = 0;
    int64_t trainedContext = 0; // context_length; 0 if absent
    float rmsEpsilon = 1e-5f;

    // RoPE
    int64_t ropeDims = 0; // rotated dimensions per head (the first ropeDims)
    RopeOrder ropeOrder = RopeOrder::Adjacent;
    float ropeFreqBase = 10000.0f;
    float ropeFreqScale = 1.0f;    // 1 / linear scaling factor
    float ropeFreqBaseSwa = 10000.0f; // sliding-window layers (gemma)
    float ropeFreqScaleSwa = 1.0f;

    // Attention
    float queryScale = 1.0f;      // applied to q before q·k (1/sqrt(headDimK) unless gemma says otherwise)
    float attnSoftcap = 0.0f;     // 0 = none
    float finalSoftcap = 0.0f;    // 0 = none
    int64_t slidingWindow = 0;    // 0 = none
    std::vector<bool> slidingLayers; // per layer: attends to the last slidingWindow positions only

    // Architecture features
    float embeddingScale = 1.0f; // sqrt(n_embd) for gemma
    bool postNorms = false;      // gemma2/3: post_attention_norm and post_ffw_norm
    bool qkNorm = false;         // gemma3: attn_q_norm / attn_k_norm per head
    bool gelu = false;           // GeGLU instead of SwiGLU
};

// Reads and checks the configuration (positive sizes, heads dividing evenly, bounds that keep
// buffer sizes far from overflow). `source` names the file in errors; the field is the key.
// Unknown architectures and unsupported RoPE scaling are errors that say so. The vocabulary size
// is token_embd's row count; the RoPE order follows the architecture and, for llama, the file
// format (Hugging Face checkpoints keep q/k rows unpermuted: their halves order is exactly what
// llama.cpp's permutation turns into adjacent pairs, so no rows are moved).
Result<ModelConfig> readModelConfig(const Model& model);

} // namespace matryx
