#pragma once

// Internal to matryx_tensor: how tensor statistics cut a tensor into chunks that are dequantized
// one at a time. A chunk is either a run of whole rows or, for rows longer than the target, a
// block-aligned piece of one row, so that per-row results never have two writers. The cut depends
// only on the tensor, never on the thread count, which is what makes the merged result the same
// for any number of threads.

#include "base/error.h"
#include "tensor/dequantize.h"
#include "tensor/tensor_type.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace matryx {

struct TensorChunk {
    uint64_t first = 0;  // flat index of the first element
    uint64_t count = 0;  // elements
    uint64_t row = 0;    // row of the first element
    uint64_t column = 0; // column of the first element (0 unless the chunk is a piece of a row)
    uint64_t rows = 0;   // whole rows covered; 0 for a piece of a row
};

class TensorChunks {
public:
    // Values per chunk at most; a multiple of every block size, small enough to stay in L2.
    static constexpr uint64_t kTarget = 16384;

    // Checks type, shape and data size as computeTensorStats documents; the error's file is
    // "<memory>" and its field names what is wrong.
    static Result<TensorChunks> plan(TensorType type, std::span<const std::byte> data,
                                     std::span<const int64_t> shape);

    uint64_t elements() const noexcept { return elements_; }
    uint64_t rowLength() const noexcept { return rowLength_; }
    uint64_t rows() const noexcept { return rows_; }
    uint64_t count() const noexcept { return chunks_; }
    bool splitsRows() const noexcept { return rowsPerChunk_ == 0; }

    TensorChunk chunk(uint64_t index) const noexcept;
    // Dequantizes the chunk into out, which holds at least kTarget floats.
    void dequantize(const TensorChunk& c, float* out) const noexcept;

private:
    std::span<const std::byte> data_;
    DequantizeBlocksFn fn_ = nullptr;
    uint64_t blockSize_ = 1;
    uint64_t blockBytes_ = 1;
    uint64_t elements_ = 0;
    uint64_t rowLength_ = 0;
    uint64_t rows_ = 0;
    uint64_t rowsPerChunk_ = 0; // 0: rows are split into pieces
    uint64_t piecesPerRow_ = 0;
    uint64_t chunks_ = 0;
};

} // namespace matryx
