// libFuzzer target for the safetensors reader (readSafetensorsSource over a borrowed buffer) and
// the typed metadata decoder, which the reader reaches through "__metadata__".
//
// Built a second time with MATRYX_FUZZ_WRITE_SEEDS, the same file is a small program that
// writes the seed corpus and a dictionary:
//   fuzz_safetensors_seeds DIR   then   fuzz_safetensors -dict=DIR/safetensors.dict DIR
//
// A read that succeeds must hand out tensor views that lie inside the buffer and do not
// overlap; anything else traps.

#include "base/byte_source.h"
#include "format/metadata_json.h"
#include "format/safetensors_reader.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#ifndef MATRYX_FUZZ_WRITE_SEEDS

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
    auto model = matryx::readSafetensorsSource(matryx::ByteSource::borrow(bytes, "fuzz"));
    if (model) {
        std::vector<std::pair<uint64_t, uint64_t>> ranges;
        for (const auto& t : model->tensors) {
            const auto view = model->data(t);
            if (view.size() != t.bytes || (t.bytes > 0 && (view.data() < bytes.data() ||
                                                           view.data() + view.size() > bytes.data() + size)))
                __builtin_trap();
            if (t.bytes > 0) ranges.emplace_back(t.offset, t.offset + t.bytes);
        }
        std::sort(ranges.begin(), ranges.end());
        for (size_t i = 1; i < ranges.size(); ++i)
            if (ranges[i].first < ranges[i - 1].second) __builtin_trap();
    }
    const auto typed =
        matryx::decodeTypedValue(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
    if (typed) (void)matryx::encodeTypedValue(*typed);
    return 0;
}

#else

#include "format/safetensors_writer.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace {

void writeRaw(const std::filesystem::path& path, std::string_view header, size_t dataBytes) {
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i)
        out[size_t(i)] = char((header.size() >> (8 * i)) & 0xFF);
    out += header;
    for (size_t i = 0; i < dataBytes; ++i)
        out += char(i * 37);
    std::ofstream(path, std::ios::binary) << out;
}

} // namespace

int main(int argc, char** argv) {
    using namespace matryx;
    if (argc != 2) {
        std::cerr << "usage: fuzz_safetensors_seeds DIR\n";
        return 1;
    }
    const std::filesystem::path dir = argv[1];
    std::filesystem::create_directories(dir);

    writeRaw(dir / "empty", "{}", 0);
    writeRaw(
        dir / "plain",
        R"({"__metadata__":{"format":"pt"},"b":{"dtype":"BF16","shape":[2,2],"data_offsets":[16,24]},)"
        R"("a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"s":{"dtype":"I64","shape":[],"data_offsets":[24,32]},)"
        R"("z":{"dtype":"BOOL","shape":[0,3],"data_offsets":[32,32]}})",
        32);
    writeRaw(dir / "unknown_fields",
             R"({"x":{"dtype":"F8_E4M3","shape":[3],"data_offsets":[0,3],"extra":{"k":[1,[2,{"n":null}]]}}})",
             3);

    Metadata m;
    m.set("general.architecture", MetaValue::string("llama"));
    m.set("llama.block_count", MetaValue::u32(2));
    m.set("llama.rope.freq_base", MetaValue::f32(10000.0f));
    m.set("tokenizer.ggml.tokens", MetaValue::stringArray({"<s>",
                                                           "\xe2\x96\x81"
                                                           "a",
                                                           std::string("\xff", 1)}));
    m.set("tokenizer.ggml.scores",
          MetaValue::array(MetaType::F32, {MetaValue::f32(-1.0f), MetaValue::f32(0.0f)}));
    m.set("nested",
          MetaValue::array(MetaType::Array,
                           {MetaValue::array(MetaType::I8, {MetaValue::fromSigned(MetaType::I8, -3)})}));
    const std::vector<OutputTensor> tensors = {{"token_embd.weight", TensorType::F16, {4, 3}},
                                               {"output_norm.weight", TensorType::F32, {4}}};
    const TensorProducer zeros = [](size_t, std::span<std::byte> out) -> Status {
        std::fill(out.begin(), out.end(), std::byte{0});
        return {};
    };
    WriteOptions options;
    options.overwrite = Overwrite::Yes;
    if (auto s = writeSafetensors(dir / "typed", m, tensors, zeros, options, Progress::none()); !s) {
        std::cerr << s.error().toString() << "\n";
        return 2;
    }
    std::ofstream(dir / "typed_value") << encodeTypedValue(*m.find("nested"));

    std::ofstream dict(dir / "safetensors.dict");
    for (const char* word : {"\"dtype\"",
                             "\"shape\"",
                             "\"data_offsets\"",
                             "\"__metadata__\"",
                             "\"F32\"",
                             "\"F16\"",
                             "\"BF16\"",
                             "\"F64\"",
                             "\"I8\"",
                             "\"U8\"",
                             "\"I16\"",
                             "\"I32\"",
                             "\"I64\"",
                             "\"BOOL\"",
                             "\"F8_E4M3\"",
                             "\"F8_E5M2\"",
                             "\"gguf:",
                             "\"type\"",
                             "\"value\"",
                             "\"element\"",
                             "\"ARRAY\"",
                             "\"STRING\"",
                             "\"UINT32\"",
                             "\"FLOAT32\"",
                             "\"bits\"",
                             "\"base64\"",
                             "18446744073709551615",
                             "9223372036854775807",
                             "-1",
                             "null",
                             "\\u0000"}) {
        std::string escaped;
        for (const char c : std::string_view(word)) {
            if (c == '"' || c == '\\') escaped += '\\';
            escaped += c;
        }
        dict << "\"" << escaped << "\"\n";
    }
    return 0;
}

#endif
