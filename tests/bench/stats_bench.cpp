// bench_stats: computeTensorStats throughput, in GB/s of tensor bytes read, for a 4096 x 4096
// weight matrix stored as Q4_K, Q8_0, F16 and F32, on 1 and 2 threads, in two modes:
//   summary  TensorStatsOptions::summary(): moments, extremes, outlier count (what a whole-model
//            overview runs);
//   full     the defaults: also both 256-bin histograms, the top 32 values, per-row and
//            per-column maxima (what the tensor inspector runs).
// The weights are normal (σ = 0.02) with a few planted outliers, quantized with Matryx's ggml
// quantizers. stats_bench.py beside this file runs the same tensors through gguf-py's
// dequantization and numpy as the peer (bench_stats --dump DIR writes them) and prints the ratio.
// On a machine busy with other work, run it with OMP_WAIT_POLICY=passive.
//
//   bench_stats [--benchmark_filter=Q4_K] [--benchmark_min_time=0.5]
//   bench_stats --dump DIR

#include "tensor/float_convert.h"
#include "tensor/quantize.h"
#include "tensor/tensor_stats.h"
#include "tensor/tensor_type.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace matryx;

constexpr int64_t kRowLength = 4096;
constexpr int64_t kRows = 4096;
const TensorType kTypes[] = {TensorType::Q4_K, TensorType::Q8_0, TensorType::F16, TensorType::F32};

std::vector<float> weights() {
    std::vector<float> w(size_t(kRows * kRowLength));
    std::mt19937 rng(42);
    std::normal_distribution<float> normal(0.0f, 0.02f);
    for (float& x : w)
        x = normal(rng);
    for (size_t i = 0; i < w.size(); i += 100003) // outliers, as real weight matrices have
        w[i] = (i % 2 ? 1.0f : -1.0f) * 0.5f;
    return w;
}

// One input per type, built on first use and kept for the process.
const std::vector<std::byte>& tensorBytes(TensorType type) {
    static std::map<TensorType, std::vector<std::byte>> cache;
    if (auto it = cache.find(type); it != cache.end()) return it->second;
    static const std::vector<float> w = weights();
    std::vector<std::byte> bytes(*bytesFor(type, w.size()));
    if (type == TensorType::F32) {
        std::memcpy(bytes.data(), w.data(), bytes.size());
    } else if (type == TensorType::F16) {
        for (size_t i = 0; i < w.size(); ++i) {
            const uint16_t h = f32ToFp16(w[i]);
            std::memcpy(bytes.data() + 2 * i, &h, 2);
        }
    } else if (Status s = quantize(type, w, kRowLength, bytes, nullptr, 2); !s) {
        std::fprintf(stderr, "bench_stats: %s\n", s.error().toString().c_str());
        std::exit(1);
    }
    return cache.emplace(type, std::move(bytes)).first->second;
}

void benchStats(benchmark::State& state, TensorType type, bool full) {
    const auto& bytes = tensorBytes(type);
    const std::vector<int64_t> shape = {kRowLength, kRows};
    TensorStatsOptions o = full ? TensorStatsOptions{} : TensorStatsOptions::summary();
    o.threads = int(state.range(0));
    for (auto _ : state) {
        auto r = computeTensorStats(type, bytes, shape, o);
        if (!r) {
            state.SkipWithError(r.error().toString().c_str());
            return;
        }
        benchmark::DoNotOptimize(r->mean);
    }
    using benchmark::Counter;
    state.counters["GB/s"] = Counter(double(bytes.size()) / 1e9, Counter::kIsIterationInvariantRate);
}

int dump(const std::string& dir) {
    for (const TensorType t : kTypes) {
        const auto& bytes = tensorBytes(t);
        const std::string path = dir + "/" + std::string(typeName(t)) + ".bin";
        std::ofstream out(path, std::ios::binary);
        out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        if (!out) {
            std::fprintf(stderr, "bench_stats: cannot write %s\n", path.c_str());
            return 1;
        }
        std::printf("%s %lld %lld\n", path.c_str(), static_cast<long long>(kRowLength),
                    static_cast<long long>(kRows));
    }
    return 0;
}

class RateReporter : public benchmark::ConsoleReporter {
public:
    std::map<std::string, double> rates;
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& r : runs)
            if (const auto c = r.counters.find("GB/s"); c != r.counters.end() && !r.error_occurred)
                rates[r.benchmark_name()] = c->second.value;
    }
};

} // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::strcmp(argv[1], "--dump") == 0) return dump(argv[2]);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    for (const TensorType t : kTypes)
        for (const bool full : {false, true}) {
            const std::string name = std::string(full ? "full/" : "summary/") + std::string(typeName(t));
            benchmark::RegisterBenchmark(name.c_str(), benchStats, t, full)
                ->ArgName("threads")
                ->Arg(1)
                ->Arg(2)
                ->UseRealTime()
                ->Unit(benchmark::kMillisecond);
        }
    RateReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();

    std::printf("\n%-6s %-8s %10s %10s\n", "type", "mode", "1t GB/s", "2t GB/s");
    for (const TensorType t : kTypes)
        for (const char* mode : {"summary", "full"}) {
            const std::string base = std::string(mode) + "/" + std::string(typeName(t)) + "/threads:";
            const auto get = [&](int n) {
                const auto it = reporter.rates.find(base + std::to_string(n) + "/real_time");
                return it == reporter.rates.end() ? -1.0 : it->second;
            };
            std::printf("%-6s %-8s %10.3f %10.3f\n", std::string(typeName(t)).c_str(), mode, get(1), get(2));
        }
    return 0;
}
