#include "quant/row_workers.h"

#include <algorithm>
#include <thread>
#include <vector>

namespace matryx {

uint64_t rowWorkers(uint64_t rows, uint64_t rowLength, int threads) noexcept {
    const uint64_t most = static_cast<uint64_t>(std::max(threads, 1));
    return std::clamp<uint64_t>(rows * rowLength / kMinValuesPerWorker, 1, std::min(most, std::max<uint64_t>(rows, 1)));
}

Status runOnRows(uint64_t rows, uint64_t rowLength, int threads, const RowWork& work) {
    if (rows == 0) return {};
    const uint64_t workers = rowWorkers(rows, rowLength, threads);
    const uint64_t share = (rows + workers - 1) / workers;
    std::vector<Status> results(static_cast<size_t>(workers));
    const auto run = [&](uint64_t w) {
        const uint64_t first = std::min(rows, w * share), count = std::min(rows, first + share) - first;
        if (count > 0) results[w] = work(w, first, count);
    };
    std::vector<std::thread> pool;
    for (uint64_t w = 1; w < workers; ++w)
        pool.emplace_back(run, w);
    run(0);
    for (auto& thread : pool)
        thread.join();
    for (auto& s : results)
        if (!s) return s;
    return {};
}

} // namespace matryx
