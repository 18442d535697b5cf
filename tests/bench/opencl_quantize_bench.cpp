// bench_opencl_quantize: f32 input throughput (MB/s) of the types with OpenCL kernels, in one run
// on the same rows: Matryx on the CPU (quantize(), all cores), Matryx on OpenCL (quantizeOpenCl()
// on the device `opencl` picks, or MATRYX_DEVICE=opencl:N) and ggml_quantize_chunk from
// llama-cpp-python's libggml-base (MATRYX_GGML_BASE, or the reference venv under ~/.cache/matryx)
// with the rows split over the same number of threads, as llama-quantize splits a tensor. Before
// timing, the three outputs of each type are compared; a peer whose bytes differ is reported, never
// timed. Each figure is the median of --repeats timed runs after one warm-up run.
//
//   bench_opencl_quantize [--rows N] [--repeats N] [--threads N]

#include "compute/compute_device.h"
#include "compute/opencl_quantize.h"
#include "tensor/quantize.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace matryx;

constexpr int64_t kRowLength = 4096;

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
    std::printf("peer: libggml-base not found (set MATRYX_GGML_BASE); no llama.cpp column\n");
    return nullptr;
}

// Median seconds of `repeats` runs after one warm-up; a negative value when a run fails.
double medianSeconds(int repeats, const std::function<bool()>& run) {
    if (!run()) return -1;
    std::vector<double> times;
    for (int i = 0; i < repeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        if (!run()) return -1;
        times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

std::string cell(double v, const char* format = "%.0f") {
    if (v <= 0) return "-";
    char text[32];
    std::snprintf(text, sizeof text, v < 10 ? "%.2f" : format, v);
    return text;
}

} // namespace

int main(int argc, char** argv) {
    int64_t rows = 1024;
    int repeats = 5;
    int threads = int(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--rows") rows = std::max<int64_t>(1, std::atoll(argv[i + 1]));
        else if (flag == "--repeats") repeats = std::max(1, std::atoi(argv[i + 1]));
        else if (flag == "--threads") threads = std::max(1, std::atoi(argv[i + 1]));
        else {
            std::fprintf(stderr, "usage: bench_opencl_quantize [--rows N] [--repeats N] [--threads N]\n");
            return 2;
        }
    }

    // Gaussian rows with a few outlier columns, as weight matrices have them.
    std::vector<float> x(static_cast<size_t>(rows * kRowLength)), importance(static_cast<size_t>(kRowLength));
    std::mt19937 rng(42);
    std::normal_distribution<float> normal(0.0f, 0.02f);
    std::lognormal_distribution<float> spread(0.0f, 1.5f);
    for (float& v : x)
        v = normal(rng);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 7; c < kRowLength; c += 509)
            x[size_t(r * kRowLength + c)] *= 40.0f;
    for (float& w : importance)
        w = spread(rng);

    DeviceRequest request{DeviceRequest::Kind::OpenCl, std::nullopt};
    if (const char* env = std::getenv("MATRYX_DEVICE"))
        if (auto parsed = parseDeviceRequest(env); parsed && parsed->kind == DeviceRequest::Kind::OpenCl)
            request = *parsed;
    auto device = ComputeDevice::open(request);
    std::shared_ptr<OpenClContext> context = device ? (*device)->openCl() : nullptr;
    std::printf("device: %s\n", device ? (*device)->description().c_str() : device.error().toString().c_str());
    void* ggml = openGgml();
    const auto chunk = ggml ? reinterpret_cast<QuantizeChunk>(dlsym(ggml, "ggml_quantize_chunk")) : nullptr;
    std::printf("%lld rows of %lld floats (%.0f MB), %d CPU threads, median of %d runs\n\n", (long long)rows,
                (long long)kRowLength, double(x.size()) * 4 / 1e6, threads, repeats);

    const double megabytes = double(x.size()) * sizeof(float) / 1e6;
    std::printf("%-12s %10s %10s %10s %12s %12s\n", "type", "CPU MB/s", "OpenCL", "llama.cpp", "OpenCL/CPU",
                "CPU/llama.cpp");
    const TensorType types[] = {TensorType::Q8_0, TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0,
                                TensorType::Q5_1, TensorType::Q4_K, TensorType::Q6_K};
    for (TensorType type : types) {
        for (bool weighted : {false, true}) {
            if (weighted && !openClCanQuantize(type, true)) continue;
            if (weighted && !usesImportance(type)) continue;
            const float* qw = weighted ? importance.data() : nullptr;
            const std::string name = std::string(typeName(type)) + (weighted ? "+imatrix" : "");
            std::vector<std::byte> cpu(*bytesFor(type, x.size())), gpu(cpu.size()), peer(cpu.size());

            const double tCpu = medianSeconds(repeats, [&] { return bool(quantize(type, x, kRowLength, cpu, qw, threads)); });
            double tGpu = -1;
            if (context) {
                tGpu = medianSeconds(repeats, [&] { return bool(quantizeOpenCl(*context, type, x, kRowLength, gpu, qw)); });
                if (tGpu > 0 && gpu != cpu) {
                    std::printf("%s: OpenCL bytes differ from the CPU's; not reported\n", name.c_str());
                    tGpu = -1;
                }
            }
            double tPeer = -1;
            if (chunk) {
                const int64_t rowBytes = int64_t(*bytesFor(type, kRowLength));
                const auto part = [&](int64_t first, int64_t count) {
                    chunk(int(type), x.data() + first * kRowLength, peer.data() + first * rowBytes, 0, count,
                          kRowLength, qw);
                };
                tPeer = medianSeconds(repeats, [&] {
                    std::vector<std::thread> pool;
                    const int64_t share = (rows + threads - 1) / threads;
                    for (int t = 1; t < threads; ++t)
                        if (t * share < rows) pool.emplace_back(part, t * share, std::min(share, rows - t * share));
                    part(0, std::min(share, rows));
                    for (auto& th : pool)
                        th.join();
                    return true;
                });
                if (peer != cpu) {
                    std::printf("%s: llama.cpp's bytes differ from Matryx's; not reported\n", name.c_str());
                    tPeer = -1;
                }
            }
            const auto rate = [&](double t) { return t > 0 ? megabytes / t : -1.0; };
            std::printf("%-12s %10s %10s %10s %12s %12s\n", name.c_str(), cell(rate(tCpu)).c_str(),
                        cell(rate(tGpu)).c_str(), cell(rate(tPeer)).c_str(),
                        tGpu > 0 ? cell(tCpu / tGpu).c_str() : "-", tPeer > 0 ? cell(tPeer / tCpu).c_str() : "-");
        }
    }
    std::printf("\nratios > 1: the first is faster (OpenCL/CPU = CPU time / OpenCL time)\n");
    return 0;
}
