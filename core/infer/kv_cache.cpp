#include "infer/kv_cache.h"

#include "tensor/float_convert.h"

#include <new>
#include <string>

namespace matryx {

Result<KvCache> KvCache::create(int64_t layers, int64_t positions, int64_t keyWidth, int64_t valueWidth) {
    KvCache cache;
    if (layers <= 0 || positions <= 0 || keyWidth <= 0 || valueWidth <= 0)
        return makeError("<kv cache>", "size", std::nullopt, "empty KV cache");
    const uint64_t keyCount = uint64_t(layers) * uint64_t(positions) * uint64_t(keyWidth);
    const uint64_t valueCount = uint64_t(layers) * uint64_t(positions) * uint64_t(valueWidth);
    try {
        cache.keys_.assign(size_t(keyCount), 0);
        cache.values_.assign(size_t(valueCount), 0);
    } catch (const std::bad_alloc&) {
        return makeError("<kv cache>", "size", std::nullopt,
                         "not enough memory for a KV cache of " + std::to_string(positions) + " positions (" +
                             std::to_string((keyCount + valueCount) * 2 >> 20) + " MiB)");
    }
    cache.positions_ = positions;
    cache.keyWidth_ = keyWidth;
    cache.valueWidth_ = valueWidth;
    return cache;
}

void KvCache::store(int64_t layer, int64_t position, const float* k, const float* v) noexcept {
    uint16_t* keyRow = keys(layer, position);
    for (int64_t i = 0; i < keyWidth_; ++i)
        keyRow[i] = f32ToFp16(k[i]);
    for (int64_t d = 0; d < valueWidth_; ++d)
        values(layer, d)[position] = f32ToFp16(v[d]);
}

} // namespace matryx
