#pragma once

// The attention keys and values of every processed position, in fp16 like llama.cpp's default
// cache. Per layer, keys are stored one row per position (kvHeads * headDimK values) and values
// transposed, one row per value dimension holding every position, as llama.cpp stores them
// without flash attention: both products of attention then read contiguous rows.

#include "base/error.h"

#include <cstdint>
#include <vector>

namespace matryx {

class KvCache {
public:
    KvCache() = default;

    // Room for `positions` positions of `layers` layers. Fails with an Error (not an exception)
    // when the memory cannot be had.
    static Result<KvCache> create(int64_t layers, int64_t positions, int64_t keyWidth, int64_t valueWidth);

    int64_t positions() const noexcept { return positions_; }
    int64_t keyWidth() const noexcept { return keyWidth_; }
    int64_t valueWidth() const noexcept { return valueWidth_; }
    uint64_t bytes() const noexcept { return (keys_.size() + values_.size()) * sizeof(uint16_t); }

    // Keys of `position`: keyWidth fp16 values.
    uint16_t* keys(int64_t layer, int64_t position) noexcept {
        return keys_.data() + size_t((layer * positions_ + position) * keyWidth_);
    }
    const uint16_t* keys(int64_t layer, int64_t position) const noexcept {
        return keys_.data() + size_t((layer * positions_ + position) * keyWidth_);
    }
    // Row `dimension` of the transposed values: one fp16 value per position.
    uint16_t* values(int64_t layer, int64_t dimension) noexcept {
        return values_.data() + size_t((layer * valueWidth_ + dimension) * positions_);
    }
    const uint16_t* values(int64_t layer, int64_t dimension) const noexcept {
        return values_.data() + size_t((layer * valueWidth_ + dimension) * positions_);
    }

    // Stores one position's keys and values (f32, rounded to fp16).
    void store(int64_t layer, int64_t position, const float* keys, const float* values) noexcept;

private:
    int64_t positions_ = 0, keyWidth_ = 0, valueWidth_ = 0;
    std::vector<uint16_t> keys_, values_;
};

} // namespace matryx
