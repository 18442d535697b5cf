#pragma once

// The row order llama.cpp gives the query and key projections of the llama architecture.
//
// Hugging Face's llama checkpoints rotate each head's first half of dimensions against its
// second half (rotate_half); llama.cpp's RoPE kernel rotates adjacent pairs. Its converter
// (convert_hf_to_gguf.py, LlamaModel.permute) therefore reorders the rows of attn_q and attn_k
// (weights and biases) per head: with d rows per head, HF row h*d + s*d/2 + i (s in {0, 1},
// i < d/2) becomes GGUF row h*d + 2*i + s. The head count is the attention head count for q
// and the KV head count for k (grouped-query attention).
//
// Only the llama architecture (incl. Mistral) is stored this way; qwen2 and gemma keep the HF
// order. Rows are moved whole, so any row layout works (plain or block-quantized types).

#include "base/error.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace matryx {

// True for the GGUF architectures whose q/k rows llama.cpp permutes ("llama").
bool hasPermutedQkRows(std::string_view ggufArch) noexcept;

// HF order -> GGUF order. `in` and `out` hold `rows` rows of equal size and must not overlap.
// Fails (and leaves `out` untouched) unless rows is a multiple of 2 * heads and the sizes agree.
Status permuteQkRowsToGguf(std::span<const std::byte> in, std::span<std::byte> out, uint64_t rows,
                           uint64_t heads);

// GGUF order -> HF order: the inverse of permuteQkRowsToGguf.
Status permuteQkRowsToHf(std::span<const std::byte> in, std::span<std::byte> out, uint64_t rows,
                         uint64_t heads);

} // namespace matryx
