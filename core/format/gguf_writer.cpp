#include "format/gguf_writer.h"

#include "format/gguf_file_writer.h"

#include <memory>

namespace matryx {

Status writeGguf(const std::filesystem::path& path, const Metadata& metadata,
                 std::span<const OutputTensor> tensors, const TensorProducer& produce,
                 const WriteOptions& options, Progress& progress) {
    const std::string file = path.string();
    auto plan = planGgufFile(file, metadata, tensors, options.alignment);
    if (!plan) return std::move(plan).error();
    auto out = AtomicFile::create(path, options.overwrite);
    if (!out) return std::move(out).error();

    // One buffer, sized to the largest tensor, is reused for every tensor.
    const auto bufferSize = static_cast<size_t>(plan->largestTensor);
    const auto buffer = std::make_unique_for_overwrite<std::byte[]>(bufferSize);
    GgufWriteProgress counter{progress, 0, 0};
    for (const uint64_t size : plan->sizes)
        counter.total += size;
    if (auto s = streamGgufFile(**out, *plan, tensors, 0, produce, {buffer.get(), bufferSize}, counter); !s)
        return s;
    if (!progress.report(1.0, path.filename().string())) return cancelledError(file);
    return (*out)->commit();
}

} // namespace matryx
