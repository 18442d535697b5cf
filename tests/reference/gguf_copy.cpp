// matryx-gguf-copy: reads a GGUF file (or a split model, from any shard) with readGguf and
// writes it again with writeGguf, copying each tensor's bytes through the producer. For the
// reference checks, which compare the copy with the original using gguf-py and llama.cpp.
//
//   matryx-gguf-copy IN OUT [--alignment N] [--split-max-tensors N]
// With --split-max-tensors, OUT is the prefix of the shards (OUT-00001-of-0000K.gguf ...),
// whose paths are printed one per line. Exit code 0 on success, 2 with the error on stderr.

#include "format/gguf_reader.h"
#include "format/gguf_split.h"
#include "format/gguf_writer.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace matryx;

namespace {

int fail(const Error& e) {
    std::fprintf(stderr, "%s\n", e.toString().c_str());
    return 2;
}

int usage() {
    std::fprintf(stderr, "usage: matryx-gguf-copy IN OUT [--alignment N] [--split-max-tensors N]\n");
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) return usage();
    uint64_t alignment = 0;
    size_t maxTensors = 0;
    for (int i = 3; i < argc; ++i) {
        if (i + 1 < argc && std::strcmp(argv[i], "--alignment") == 0)
            alignment = std::strtoull(argv[++i], nullptr, 10);
        else if (i + 1 < argc && std::strcmp(argv[i], "--split-max-tensors") == 0)
            maxTensors = std::strtoull(argv[++i], nullptr, 10);
        else
            return usage();
    }

    auto model = readGguf(argv[1]);
    if (!model) return fail(model.error());

    WriteOptions options;
    options.overwrite = Overwrite::Yes;
    options.alignment = alignment ? alignment : model->alignment;
    Metadata metadata = model->metadata;
    if (metadata.contains("general.alignment"))
        metadata.set("general.alignment", MetaValue::u32(static_cast<uint32_t>(options.alignment)));

    std::vector<OutputTensor> tensors;
    for (const TensorInfo& t : model->tensors)
        tensors.push_back({t.name, t.type, t.shape});
    const Model& source = *model;
    const TensorProducer produce = [&source](size_t index, std::span<std::byte> out) -> Status {
        const auto bytes = source.data(source.tensors[index]);
        if (bytes.size() != out.size())
            return makeError(source.path.string(), source.tensors[index].name, std::nullopt, "size mismatch");
        std::copy(bytes.begin(), bytes.end(), out.begin());
        return {};
    };

    if (maxTensors) {
        GgufSplitOptions split;
        split.maxTensorsPerShard = maxTensors;
        auto paths = writeGgufSplit(argv[2], metadata, tensors, produce, options, split, Progress::none());
        if (!paths) return fail(paths.error());
        for (const auto& p : *paths)
            std::printf("%s\n", p.string().c_str());
        return 0;
    }
    if (auto s = writeGguf(argv[2], metadata, tensors, produce, options, Progress::none()); !s)
        return fail(s.error());
    return 0;
}
