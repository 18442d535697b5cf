// bench_dequantize: f32 output throughput of dequantize() per tensor type, on 1 and 2 threads,
// over 16 MiB of output (well past L2). The peer is ggml itself: when llama-cpp-python's
// libggml-base is found (MATRYX_GGML_BASE, or the reference venv under ~/.cache/matryx), its
// to_float runs on the same bytes, single-threaded as ggml calls it, and a ratio table follows the
// benchmark output. Input bytes are random with bit 6 of every byte cleared, which keeps every
// scale finite without knowing the layouts. On a machine busy with other work, run it with
// OMP_WAIT_POLICY=passive: spinning OpenMP workers lose their timeslice there and every
// multi-threaded call then waits for a scheduler tick.
//
//   bench_dequantize [--benchmark_filter=Q4_K] [--benchmark_min_time=0.5]

#include "tensor/dequantize.h"
#include "tensor/tensor_type.h"

#include <benchmark/benchmark.h>

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace matryx;

constexpr size_t kOutputBytes = size_t(16) << 20;

struct Buffers {
    std::vector<std::byte> src;
    std::vector<float> dst;
};

// One input per type, built on first use and kept for the process.
const Buffers& buffersFor(const TypeTraits& t) {
    static std::map<TensorType, Buffers> cache;
    auto it = cache.find(t.type);
    if (it != cache.end())
        return it->second;
    Buffers b;
    const size_t blocks = kOutputBytes / sizeof(float) / t.blockSize;
    b.src.resize(blocks * t.blockBytes);
    std::mt19937_64 rng(t.blockBytes * 131 + t.blockSize);
    for (auto& x : b.src)
        x = std::byte(uint8_t(rng()) & 0xbf);
    b.dst.resize(blocks * t.blockSize);
    return cache.emplace(t.type, std::move(b)).first->second;
}

void setThroughput(benchmark::State& state, size_t outBytes) {
    using benchmark::Counter;
    state.counters["GB/s"] = Counter(double(outBytes) / 1e9, Counter::kIsIterationInvariantRate);
}

void benchMatryx(benchmark::State& state, const TypeTraits* t) {
    const Buffers& b = buffersFor(*t);
    std::vector<float> dst(b.dst.size());
    const int threads = int(state.range(0));
    for (auto _ : state) {
        if (Status s = dequantize(t->type, b.src, dst, threads); !s) {
            state.SkipWithError(s.error().toString().c_str());
            return;
        }
        benchmark::DoNotOptimize(dst.data());
        benchmark::ClobberMemory();
    }
    setThroughput(state, dst.size() * sizeof(float));
}

// ggml_type_traits as ggml.h declares it in the llama.cpp version the reference venv ships.
struct GgmlTypeTraits {
    const char* typeName;
    int64_t blockSize;
    int64_t blockSizeInterleave;
    size_t typeSize;
    bool isQuantized;
    void (*toFloat)(const void*, float*, int64_t);
    void (*fromFloatRef)(const float*, void*, int64_t);
};
using ToFloat = void (*)(const void*, float*, int64_t);

void* openGgml() {
    std::vector<std::filesystem::path> candidates;
    if (const char* env = std::getenv("MATRYX_GGML_BASE"))
        candidates.emplace_back(env);
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

ToFloat ggmlToFloat(void* ggml, const TypeTraits& t) {
    if (!ggml || !t.ggml)
        return nullptr;
    using GetTraits = const GgmlTypeTraits* (*)(int);
    auto getTraits = reinterpret_cast<GetTraits>(dlsym(ggml, "ggml_get_type_traits"));
    if (!getTraits)
        return nullptr;
    const GgmlTypeTraits* g = getTraits(int(t.type));
    if (!g || g->blockSize != int64_t(t.blockSize) || g->typeSize != t.blockBytes)
        return nullptr;
    if (g->toFloat)
        return g->toFloat;
    if (t.type == TensorType::Q8_K) // exported, though not in the traits table
        return reinterpret_cast<ToFloat>(dlsym(ggml, "dequantize_row_q8_K"));
    return nullptr;
}

void benchGgml(benchmark::State& state, const TypeTraits* t, ToFloat toFloat) {
    const Buffers& b = buffersFor(*t);
    std::vector<float> dst(b.dst.size());
    for (auto _ : state) {
        toFloat(b.src.data(), dst.data(), int64_t(dst.size()));
        benchmark::DoNotOptimize(dst.data());
        benchmark::ClobberMemory();
    }
    setThroughput(state, dst.size() * sizeof(float));
}

// Collects GB/s per run name for the ratio table.
class RatioReporter : public benchmark::ConsoleReporter {
public:
    std::map<std::string, double> rates;
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& r : runs) {
            const auto c = r.counters.find("GB/s");
            if (c != r.counters.end() && !r.error_occurred)
                rates[r.benchmark_name()] = c->second.value;
        }
    }
};

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    void* ggml = openGgml();
    for (const TypeTraits& t : allTypeTraits()) {
        const std::string name(t.name);
        benchmark::RegisterBenchmark(("matryx/" + name).c_str(), benchMatryx, &t)
            ->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
        if (ToFloat fn = ggmlToFloat(ggml, t))
            benchmark::RegisterBenchmark(("ggml/" + name).c_str(), benchGgml, &t, fn)
                ->UseRealTime()->Unit(benchmark::kMillisecond);
    }
    RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();

    std::printf("\n%-9s %12s %12s %12s %10s\n", "type", "Matryx 1t", "Matryx 2t", "ggml 1t", "1t ratio");
    std::printf("%-9s %12s %12s %12s %10s\n", "", "GB/s", "GB/s", "GB/s", "Mx/ggml");
    for (const TypeTraits& t : allTypeTraits()) {
        const std::string name(t.name);
        const auto get = [&](const std::string& key) {
            const auto it = reporter.rates.find(key);
            return it == reporter.rates.end() ? -1.0 : it->second;
        };
        const double one = get("matryx/" + name + "/threads:1/real_time");
        const double two = get("matryx/" + name + "/threads:2/real_time");
        const double peer = get("ggml/" + name + "/real_time");
        if (one < 0 && two < 0)
            continue;
        const auto cell = [](double v) { return v < 0 ? std::string("-") : std::to_string(v).substr(0, 6); };
        std::printf("%-9s %12s %12s %12s %10s\n", name.c_str(), cell(one).c_str(), cell(two).c_str(),
                    cell(peer).c_str(), one > 0 && peer > 0 ? cell(one / peer).c_str() : "-");
    }
    return 0;
}
