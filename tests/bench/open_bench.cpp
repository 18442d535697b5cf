// Opening a model reads only its header: time openModel() on one file, in process.
//   bench_open FILE [REPEATS]   prints the median and minimum milliseconds and the tensor count.

#include "format/model_reader.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_open FILE [REPEATS]\n");
        return 2;
    }
    const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 20;
    std::vector<double> ms;
    size_t tensors = 0;
    for (int i = 0; i < repeats + 1; ++i) { // the first run warms the page cache
        const auto start = std::chrono::steady_clock::now();
        auto model = matryx::openModel(argv[1]);
        const auto stop = std::chrono::steady_clock::now();
        if (!model) {
            std::fprintf(stderr, "%s\n", model.error().toString().c_str());
            return 2;
        }
        tensors = model->tensors.size();
        if (i > 0)
            ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("{\"median_ms\": %.4f, \"min_ms\": %.4f, \"tensors\": %zu}\n", ms[ms.size() / 2], ms.front(), tensors);
    return 0;
}
