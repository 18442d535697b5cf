#include "tensor/tensor_chunks.h"

#include <algorithm>
#include <string>

namespace matryx {

namespace {

Error planError(std::string field, std::string message) {
    return makeError("<memory>", std::move(field), std::nullopt, std::move(message));
}

} // namespace

Result<TensorChunks> TensorChunks::plan(TensorType type, std::span<const std::byte> data,
                                        std::span<const int64_t> shape) {
    const TypeTraits* traits = typeTraits(uint32_t(type));
    const DequantizeBlocksFn fn = traits ? dequantizeBlocksFunction(type) : nullptr;
    if (!fn) return planError("type", "cannot dequantize type id " + std::to_string(uint32_t(type)));
    const std::string name(traits->name);

    uint64_t elements = 1;
    for (size_t i = 0; i < shape.size(); ++i) {
        const std::string field = "shape[" + std::to_string(i) + "]";
        if (shape[i] < 0) return planError(field, "negative dimension " + std::to_string(shape[i]));
        const auto d = uint64_t(shape[i]);
        if (d != 0 && elements > UINT64_MAX / d) return planError(field, "element count overflows 64 bits");
        elements *= d;
    }
    const uint64_t rowLength = shape.empty() ? 1 : uint64_t(shape[0]);
    if (elements != 0 && rowLength % traits->blockSize != 0)
        return planError("shape[0]", name + ": row length " + std::to_string(rowLength) +
                                         " is not a whole number of " + std::to_string(traits->blockSize) +
                                         "-element blocks");
    const auto expected = bytesFor(type, elements);
    if (!expected || *expected != data.size())
        return planError("tensor data", name + ": " + std::to_string(data.size()) + " bytes of data, " +
                                            (expected ? std::to_string(*expected) : std::string("too many")) +
                                            " expected for " + std::to_string(elements) + " elements");

    TensorChunks c;
    c.data_ = data;
    c.fn_ = fn;
    c.blockSize_ = traits->blockSize;
    c.blockBytes_ = traits->blockBytes;
    c.elements_ = elements;
    c.rowLength_ = rowLength;
    c.rows_ = rowLength == 0 ? 0 : elements / rowLength;
    if (elements == 0) {
        c.chunks_ = 0;
    } else if (rowLength <= kTarget) {
        c.rowsPerChunk_ = kTarget / rowLength;
        c.chunks_ = (c.rows_ + c.rowsPerChunk_ - 1) / c.rowsPerChunk_;
    } else {
        c.rowsPerChunk_ = 0;
        c.piecesPerRow_ = (rowLength + kTarget - 1) / kTarget;
        c.chunks_ = c.rows_ * c.piecesPerRow_;
    }
    return c;
}

TensorChunk TensorChunks::chunk(uint64_t index) const noexcept {
    TensorChunk c;
    if (rowsPerChunk_ != 0) {
        c.row = index * rowsPerChunk_;
        c.rows = std::min(rowsPerChunk_, rows_ - c.row);
        c.first = c.row * rowLength_;
        c.count = c.rows * rowLength_;
    } else {
        c.row = index / piecesPerRow_;
        c.column = (index % piecesPerRow_) * kTarget;
        c.count = std::min(kTarget, rowLength_ - c.column);
        c.first = c.row * rowLength_ + c.column;
    }
    return c;
}

void TensorChunks::dequantize(const TensorChunk& c, float* out) const noexcept {
    // Rows are whole blocks and pieces start at multiples of kTarget, so c.first is block-aligned.
    fn_(data_.data() + c.first / blockSize_ * blockBytes_, out, int64_t(c.count / blockSize_));
}

} // namespace matryx
