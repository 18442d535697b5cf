#pragma once

// Splits the rows of one chunk of a tensor over worker threads, each taking a contiguous share.
// Work that treats rows independently therefore gives the same result whatever the split.

#include "base/error.h"

#include <cstdint>
#include <functional>

namespace matryx {

// Below this many values per worker, starting a thread costs more than it saves.
inline constexpr uint64_t kMinValuesPerWorker = 1u << 16;

// Calls work(worker, first, count) for consecutive shares of `rows` rows of rowLength values on
// up to `threads` threads (fewer when the chunk is small; the calling thread is one of them).
// `worker` is in [0, workers), so that callers can give each its own scratch. Returns the first
// failing share's error, in share order, after every share has finished.
using RowWork = std::function<Status(uint64_t worker, uint64_t first, uint64_t count)>;
Status runOnRows(uint64_t rows, uint64_t rowLength, int threads, const RowWork& work);

// How many workers runOnRows starts for these sizes: at least 1, at most max(threads, 1).
uint64_t rowWorkers(uint64_t rows, uint64_t rowLength, int threads) noexcept;

} // namespace matryx
