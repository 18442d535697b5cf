// Streaming quantization of a synthetic model: time and peak resident memory of quantizeModel,
// next to llama-quantize on the same file when its path is given.
//
//   bench_quantize_pipeline [--gib N] [--type PRESET] [--threads N] [--dir D] [--llama-quantize PATH]
//
// Writes a llama-shaped F16 GGUF of about N GiB (default 8) into D (default the temporary folder):
// blocks of 4096 x 4096 attention and 4096 x 11008 feed-forward matrices with pseudo-random
// values, then quantizes it in a child process whose peak RSS (getrusage) is printed. The goal is
// a peak that does not grow with the model: one output tensor and one f32 chunk, plus the pages
// of the mapped source that the kernel keeps resident (file-backed, reclaimable).

#include "format/gguf_reader.h"
#include "format/gguf_writer.h"
#include "quant/quantize_pipeline.h"
#include "tensor/float_convert.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

using namespace matryx;
namespace fs = std::filesystem;

struct Args {
    double gib = 8;
    std::string type = "Q4_K_M";
    int threads = 0;
    fs::path dir = fs::temp_directory_path();
    std::string llamaQuantize;
};

Status writeSynthetic(const fs::path& path, double gib) {
    constexpr int64_t embd = 4096, ff = 11008, vocab = 32000;
    const uint64_t perBlock = 2 * (4 * embd * embd + 3 * embd * ff);
    const int blocks = std::max<int>(1, static_cast<int>(gib * double(1ull << 30) / double(perBlock)));
    Metadata md;
    md.set("general.architecture", MetaValue::string("llama"));
    md.set("llama.block_count", MetaValue::u32(static_cast<uint32_t>(blocks)));
    md.set("llama.attention.head_count", MetaValue::u32(32));
    md.set("llama.attention.head_count_kv", MetaValue::u32(32));
    // What llama.cpp's loader needs before it quantizes.
    md.set("llama.context_length", MetaValue::u32(4096));
    md.set("llama.embedding_length", MetaValue::u32(static_cast<uint32_t>(embd)));
    md.set("llama.feed_forward_length", MetaValue::u32(static_cast<uint32_t>(ff)));
    md.set("llama.rope.dimension_count", MetaValue::u32(128));
    md.set("llama.attention.layer_norm_rms_epsilon", MetaValue::f32(1e-5f));
    std::vector<OutputTensor> tensors = {{"token_embd.weight", TensorType::F16, {embd, vocab}},
                                         {"output_norm.weight", TensorType::F32, {embd}},
                                         {"output.weight", TensorType::F16, {embd, vocab}}};
    for (int b = 0; b < blocks; ++b) {
        const std::string p = "blk." + std::to_string(b) + ".";
        tensors.push_back({p + "attn_norm.weight", TensorType::F32, {embd}});
        for (const char* n : {"attn_q", "attn_k", "attn_v", "attn_output"})
            tensors.push_back({p + n + ".weight", TensorType::F16, {embd, embd}});
        tensors.push_back({p + "ffn_gate.weight", TensorType::F16, {embd, ff}});
        tensors.push_back({p + "ffn_up.weight", TensorType::F16, {embd, ff}});
        tensors.push_back({p + "ffn_down.weight", TensorType::F16, {ff, embd}});
        tensors.push_back({p + "ffn_norm.weight", TensorType::F32, {embd}});
    }
    uint32_t state = 12345;
    std::vector<float> values;
    const auto produce = [&](size_t i, std::span<std::byte> out) {
        const size_t n = out.size() / (tensors[i].type == TensorType::F32 ? 4 : 2);
        values.resize(n);
        for (auto& v : values) {
            state = state * 1664525u + 1013904223u;
            v = (static_cast<float>(state >> 8) / 16777216.0f - 0.5f) * 0.1f;
        }
        return convertFromFloat(tensors[i].type, values.data(), out.data(), static_cast<int64_t>(n));
    };
    WriteOptions options;
    options.overwrite = Overwrite::Yes;
    return writeGguf(path, md, tensors, produce, options, Progress::none());
}

struct ChildResult {
    bool ok = false;
    double seconds = 0;
    long peakKiB = 0;
};

// Runs fn in a child process: its exit status, wall time and peak RSS.
template <class Fn> ChildResult inChild(Fn fn) {
    std::fflush(stdout);
    std::fflush(stderr);
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) _exit(fn() ? 0 : 1);
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    ChildResult r;
    r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.peakKiB = usage.ru_maxrss;
    return r;
}

} // namespace

int main(int argc, char** argv) {
    Args a;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--gib")
            a.gib = std::stod(v);
        else if (k == "--type")
            a.type = v;
        else if (k == "--threads")
            a.threads = std::stoi(v);
        else if (k == "--dir")
            a.dir = v;
        else if (k == "--llama-quantize")
            a.llamaQuantize = v;
        else {
            std::fprintf(stderr, "unknown option %s\n", k.c_str());
            return 2;
        }
    }
    const auto preset = findLlamaFileType(a.type);
    if (!preset) {
        std::fprintf(stderr, "unknown preset %s\n", a.type.c_str());
        return 2;
    }
    const fs::path source = a.dir / "matryx-bench-source.gguf", out = a.dir / "matryx-bench-out.gguf";
    std::printf("writing a synthetic F16 model of ~%.1f GiB to %s\n", a.gib, source.c_str());
    if (auto s = writeSynthetic(source, a.gib); !s) {
        std::fprintf(stderr, "%s\n", s.error().toString().c_str());
        return 1;
    }
    auto model = readGguf(source);
    if (!model) return 1;
    std::printf("source: %zu tensors, %.2f GiB, %.2f G parameters\n", model->tensors.size(),
                double(model->fileSize()) / double(1ull << 30), double(model->parameterCount()) / 1e9);

    const ChildResult ours = inChild([&] {
        auto plan = Plan::fromPreset(*preset).resolve(*model);
        if (!plan) return false;
        QuantizeOptions options;
        options.overwrite = Overwrite::Yes;
        options.threads = a.threads;
        return bool(quantizeModel(*model, *plan, out, options, Progress::none()));
    });
    std::printf("%-16s %10s %12s\n", "quantizer", "seconds", "peak RSS MiB");
    std::printf("%-16s %10.2f %12.1f%s\n", "Matryx", ours.seconds, double(ours.peakKiB) / 1024.0,
                ours.ok ? "" : "  FAILED");
    if (!a.llamaQuantize.empty()) {
        const std::string threads =
            std::to_string(a.threads > 0 ? a.threads : int(sysconf(_SC_NPROCESSORS_ONLN)));
        const ChildResult theirs = inChild([&] {
            if (!std::freopen("/dev/null", "w", stdout) || !std::freopen("/dev/null", "w", stderr))
                return false;
            execl(a.llamaQuantize.c_str(), a.llamaQuantize.c_str(), source.c_str(), out.c_str(),
                  a.type.c_str(), threads.c_str(), static_cast<char*>(nullptr));
            return false;
        });
        std::printf("%-16s %10.2f %12.1f%s\n", "llama-quantize", theirs.seconds,
                    double(theirs.peakKiB) / 1024.0, theirs.ok ? "" : "  FAILED");
        if (ours.ok && theirs.ok)
            std::printf("time ratio Matryx / llama.cpp: %.2f\n", ours.seconds / theirs.seconds);
    }
    fs::remove(source);
    fs::remove(out);
    return ours.ok ? 0 : 1;
}
