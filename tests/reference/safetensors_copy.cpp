// Reads a safetensors file or a Hugging Face folder with Matryx and writes its tensors, bytes
// and types unchanged, to a new safetensors file with Matryx's writer, for the reference check
// that the Python safetensors library loads what Matryx writes.
// usage: safetensors_copy IN OUT [--sample-metadata]
//   --sample-metadata adds one metadata value of every GGUF type (see kSamples below), which
//   the check decodes from "__metadata__" and compares with its own expectations.

#include "format/hf_folder_reader.h"
#include "format/safetensors_reader.h"
#include "format/safetensors_writer.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string_view>

using namespace matryx;

namespace {

Metadata sampleMetadata() {
    Metadata m;
    m.set("sample.u8", MetaValue::fromUnsigned(MetaType::U8, 200));
    m.set("sample.i8", MetaValue::fromSigned(MetaType::I8, -100));
    m.set("sample.u16", MetaValue::fromUnsigned(MetaType::U16, 60000));
    m.set("sample.i16", MetaValue::fromSigned(MetaType::I16, -30000));
    m.set("sample.u32", MetaValue::u32(4000000000u));
    m.set("sample.i32", MetaValue::i32(-2000000000));
    m.set("sample.u64", MetaValue::u64(18446744073709551615ull));
    m.set("sample.i64", MetaValue::fromSigned(MetaType::I64, -9223372036854775807ll - 1));
    m.set("sample.f32", MetaValue::f32(1e-5f));
    m.set("sample.f64", MetaValue::fromFloat(MetaType::F64, 0.1));
    m.set("sample.bool", MetaValue::boolean(true));
    m.set("sample.string", MetaValue::string("h\xc3\xa9llo \"world\"\n"));
    m.set("sample.tokens", MetaValue::stringArray({"<s>", "\xe2\x96\x81the", ""}));
    m.set("sample.scores",
          MetaValue::array(MetaType::F32, {MetaValue::f32(-1000.0f), MetaValue::f32(0.25f)}));
    m.set("sample.nested",
          MetaValue::array(MetaType::Array, {MetaValue::array(MetaType::I32, {MetaValue::i32(-1)})}));
    return m;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: safetensors_copy IN OUT [--sample-metadata]\n";
        return 1;
    }
    const std::filesystem::path in = argv[1];
    auto model = std::filesystem::is_directory(in) ? readHfFolder(in) : readSafetensors(in);
    if (!model) {
        std::cerr << model.error().toString() << "\n";
        return 2;
    }
    Metadata metadata = model->metadata;
    if (argc > 3 && std::string_view(argv[3]) == "--sample-metadata")
        for (const auto& [key, value] : sampleMetadata())
            metadata.set(key, value);

    std::vector<OutputTensor> tensors;
    for (const auto& t : model->tensors)
        tensors.push_back({t.name, t.type, t.shape});
    const TensorProducer copy = [&](size_t i, std::span<std::byte> out) -> Status {
        const auto data = model->data(model->tensors[i]);
        std::copy(data.begin(), data.end(), out.begin());
        return {};
    };
    WriteOptions options;
    options.overwrite = Overwrite::Yes;
    if (auto status = writeSafetensors(argv[2], metadata, tensors, copy, options, Progress::none());
        !status) {
        std::cerr << status.error().toString() << "\n";
        return 2;
    }
    return 0;
}
