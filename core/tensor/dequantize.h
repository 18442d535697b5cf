#pragma once

// Dequantization of tensor data of any TensorType to f32.
//
// The output is bit-exact with ggml's reference dequantizers (dequantize_row_* in ggml-quants.c)
// and with llama.cpp's gguf-py (gguf.quants.dequantize): same products in the same order, no
// fused multiply-add. Integer and boolean types convert by value (rounding to nearest even where
// an integer has more than 24 significant bits), F64 rounds to nearest even, and the 8-bit float
// types decode as PyTorch/safetensors define them. Input bytes are little-endian, laid out as
// ggml-common.h (block types) or as plain arrays (the rest). Any byte pattern is valid input:
// odd scales give infinities or NaNs in the output, never undefined behaviour.

#include "base/error.h"
#include "tensor/tensor_type.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace matryx {

// True for every type in the table (ggml's block types, plain floats and integers, U8, BOOL and
// F8_*); false only for values outside the TensorType enumeration.
bool canDequantize(TensorType type) noexcept;

// Converts src, holding dst.size() elements of `type`, to floats in dst. Fails, writing nothing,
// if dst.size() is not a whole number of blocks, if src.size() != bytesFor(type, dst.size()), or
// if the type cannot be dequantized. The work is split by blocks over up to `threads` OpenMP
// threads (values below 1 mean 1); the output does not depend on the thread count.
Status dequantize(TensorType type, std::span<const std::byte> src, std::span<float> dst, int threads = 1);

// The unchecked kernel for hot loops: reads `blocks` whole blocks of the type from src and writes
// blocks * typeTraits(type).blockSize floats to dst; both buffers must be that large. For plain
// types a block is one element. nullptr if canDequantize(type) is false.
using DequantizeBlocksFn = void (*)(const std::byte* src, float* dst, int64_t blocks) noexcept;
DequantizeBlocksFn dequantizeBlocksFunction(TensorType type) noexcept;

} // namespace matryx
