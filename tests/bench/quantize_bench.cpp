// bench_quantize: f32 input throughput (MB/s) of quantize() per type, on 1 and 2 threads, without
// and (for the types that use it) with an importance vector. The peer is ggml itself: when
// llama-cpp-python's libggml-base is found (MATRYX_GGML_BASE, or the reference venv under
// ~/.cache/matryx), ggml_quantize_chunk runs on the same rows in the same process, on one thread
// and on two threads that each take half the rows (as llama-quantize splits a tensor), and a ratio
// table follows the benchmark output. Before timing ggml, each type's bytes are compared with
// Matryx's; where they differ the peer is reported as an error, never as a ratio. On a machine
// shared with other work, repeat and take medians: --benchmark_repetitions=5. The rows are Gaussian with
// a few outlier columns, 4096 values each, 8 MiB in all (past L2). On a busy machine run it with
// OMP_WAIT_POLICY=passive.
//
//   bench_quantize [--benchmark_filter=Q4_K] [--benchmark_min_time=0.5] [--benchmark_repetitions=5]

#include "tensor/quantize.h"
#include "tensor/tensor_type.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace matryx;

constexpr int64_t kRowLength = 4096;
constexpr int64_t kRows = 512;

struct Input {
    std::vector<float> rows;
    std::vector<float> importance;
};

const Input& input() {
    static const Input in = [] {
        Input i;
        i.rows.resize(size_t(kRows * kRowLength));
        i.importance.resize(size_t(kRowLength));
        std::mt19937 rng(42);
        std::normal_distribution<float> normal(0.0f, 0.02f);
        std::lognormal_distribution<float> spread(0.0f, 1.5f);
        for (float& v : i.rows)
            v = normal(rng);
        for (int64_t r = 0; r < kRows; ++r)
            for (int64_t c = 7; c < kRowLength; c += 509)
                i.rows[size_t(r * kRowLength + c)] *= 40.0f;
        for (float& w : i.importance)
            w = spread(rng);
        return i;
    }();
    return in;
}

void setThroughput(benchmark::State& state) {
    using benchmark::Counter;
    state.counters["MB/s"] =
        Counter(double(kRows * kRowLength) * sizeof(float) / 1e6, Counter::kIsIterationInvariantRate);
}

void benchMatryx(benchmark::State& state, const TypeTraits* t, bool weighted) {
    const Input& in = input();
    std::vector<std::byte> dst(*bytesFor(t->type, in.rows.size()));
    const int threads = int(state.range(0));
    const float* importance = weighted ? in.importance.data() : nullptr;
    for (auto _ : state) {
        if (Status s = quantize(t->type, in.rows, kRowLength, dst, importance, threads); !s) {
            state.SkipWithError(s.error().toString().c_str());
            return;
        }
        benchmark::DoNotOptimize(dst.data());
        benchmark::ClobberMemory();
    }
    setThroughput(state);
}

using QuantizeChunk = size_t (*)(int type, const float* src, void* dst, int64_t start, int64_t nrows,
                                 int64_t nPerRow, const float* imatrix);

void* openGgml() {
    std::vector<std::filesystem::path> candidates;
    if (const char* env = std::getenv("MATRYX_GGML_BASE")) candidates.emplace_back(env);
    if (const char* home = std::getenv("HOME")) {
        std::error_code ec;
        const std::filesystem::path lib = std::filesystem::path(home) / ".cache/matryx/venv/lib";
        for (const auto& entry : std::filesystem::directory_iterator(lib, ec))
            candidates.push_back(entry.path() / "site-packages/llama_cpp/lib/libggml-base.so");
    }
    for (const auto& path : candidates)
        if (void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {
            std::printf("peer: ggml from %s\n", path.c_str());
            return handle;
        }
    std::printf("peer: libggml-base not found (set MATRYX_GGML_BASE); Matryx only\n");
    return nullptr;
}

// ggml_quantize_chunk over rows [first, first + count) of the input into their place in dst.
void ggmlRows(QuantizeChunk chunk, const TypeTraits& t, std::byte* dst, int64_t first, int64_t count,
              const float* importance) {
    const int64_t rowBytes = int64_t(*bytesFor(t.type, kRowLength));
    chunk(int(t.type), input().rows.data() + first * kRowLength, dst + first * rowBytes, 0, count, kRowLength,
          importance);
}

// The peer is only timed where its bytes equal ours; a mismatch is reported instead.
bool sameBytes(QuantizeChunk chunk, const TypeTraits& t, bool weighted) {
    static std::map<std::pair<TensorType, bool>, bool> checked;
    const auto known = checked.find({t.type, weighted});
    if (known != checked.end()) return known->second;
    const float* importance = weighted ? input().importance.data() : nullptr;
    std::vector<std::byte> ours(*bytesFor(t.type, input().rows.size())), theirs(ours.size());
    if (!quantize(t.type, input().rows, kRowLength, ours, importance)) return false;
    ggmlRows(chunk, t, theirs.data(), 0, kRows, importance);
    if (ours == theirs) return true;
    std::printf("%s%s: bytes differ from ggml; not timing the peer\n", std::string(t.name).c_str(),
                weighted ? " (importance)" : "");
    return false;
}

void benchGgml(benchmark::State& state, const TypeTraits* t, QuantizeChunk chunk, bool weighted) {
    std::vector<std::byte> dst(*bytesFor(t->type, input().rows.size()));
    const float* importance = weighted ? input().importance.data() : nullptr;
    const bool twoThreads = state.range(0) == 2;
    if (!sameBytes(chunk, *t, weighted)) {
        state.SkipWithError("ggml's bytes differ from Matryx's: not comparable");
        return;
    }
    for (auto _ : state) {
        if (twoThreads) {
            std::thread other(ggmlRows, chunk, std::cref(*t), dst.data(), kRows / 2, kRows - kRows / 2,
                              importance);
            ggmlRows(chunk, *t, dst.data(), 0, kRows / 2, importance);
            other.join();
        } else {
            ggmlRows(chunk, *t, dst.data(), 0, kRows, importance);
        }
        benchmark::DoNotOptimize(dst.data());
        benchmark::ClobberMemory();
    }
    setThroughput(state);
}

// Collects MB/s per run name for the ratio table; with --benchmark_repetitions, the median.
class RateReporter : public benchmark::ConsoleReporter {
public:
    std::map<std::string, double> rates;
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& r : runs) {
            const auto c = r.counters.find("MB/s");
            if (c == r.counters.end() || r.error_occurred) continue;
            if (r.run_type == Run::RT_Iteration && !rates.count(r.run_name.str()))
                rates[r.run_name.str()] = c->second.value;
            else if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median")
                rates[r.run_name.str()] = c->second.value;
        }
    }
};

std::string variant(const TypeTraits& t, bool weighted) {
    return std::string(t.name) + (weighted ? "+imatrix" : "");
}

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    void* ggml = openGgml();
    const auto chunk = ggml ? reinterpret_cast<QuantizeChunk>(dlsym(ggml, "ggml_quantize_chunk")) : nullptr;
    std::vector<std::pair<const TypeTraits*, bool>> variants;
    for (const TypeTraits& t : allTypeTraits()) {
        if (!canQuantize(t.type)) continue;
        for (bool weighted : {false, true}) {
            if (weighted && !usesImportance(t.type)) continue;
            variants.emplace_back(&t, weighted);
            const std::string name = variant(t, weighted);
            benchmark::RegisterBenchmark(("matryx/" + name).c_str(), benchMatryx, &t, weighted)
                ->ArgName("threads")
                ->Arg(1)
                ->Arg(2)
                ->UseRealTime()
                ->Unit(benchmark::kMillisecond);
            // ggml_quantize_chunk has no Q8_K case.
            if (chunk && t.type != TensorType::Q8_K)
                benchmark::RegisterBenchmark(("ggml/" + name).c_str(), benchGgml, &t, chunk, weighted)
                    ->ArgName("threads")
                    ->Arg(1)
                    ->Arg(2)
                    ->UseRealTime()
                    ->Unit(benchmark::kMillisecond);
        }
    }
    RateReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();

    const auto get = [&](const std::string& key) {
        const auto it = reporter.rates.find(key);
        return it == reporter.rates.end() ? -1.0 : it->second;
    };
    const auto cell = [](double v) {
        char text[32];
        std::snprintf(text, sizeof text, v < 0 ? "-" : v < 10 ? "%.2f" : "%.0f", v);
        return std::string(text);
    };
    std::printf("\nf32 input MB/s; ratio = Matryx / ggml on the same thread count\n");
    std::printf("%-16s %10s %10s %10s %10s %8s %8s\n", "type", "Matryx 1t", "ggml 1t", "Matryx 2t", "ggml 2t",
                "ratio 1t", "ratio 2t");
    for (const auto& [t, weighted] : variants) {
        const std::string name = variant(*t, weighted);
        const double m1 = get("matryx/" + name + "/threads:1/real_time");
        const double m2 = get("matryx/" + name + "/threads:2/real_time");
        const double g1 = get("ggml/" + name + "/threads:1/real_time");
        const double g2 = get("ggml/" + name + "/threads:2/real_time");
        if (m1 < 0 && m2 < 0) continue;
        std::printf("%-16s %10s %10s %10s %10s %8s %8s\n", name.c_str(), cell(m1).c_str(), cell(g1).c_str(),
                    cell(m2).c_str(), cell(g2).c_str(), m1 > 0 && g1 > 0 ? cell(m1 / g1).c_str() : "-",
                    m2 > 0 && g2 > 0 ? cell(m2 / g2).c_str() : "-");
    }
    return 0;
}
