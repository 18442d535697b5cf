// GGUF -> safetensors -> GGUF keeps every metadata key with its type and every tensor's bytes.

#include "format/gguf_reader.h"
#include "format/gguf_writer.h"
#include "format/safetensors_reader.h"
#include "format/safetensors_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <limits>

namespace matryx {

namespace {

namespace fs = std::filesystem;

Metadata llamaLikeMetadata() {
    Metadata m;
    m.set("general.architecture", MetaValue::string("llama"));
    m.set("general.name", MetaValue::string("Tiny \xe2\x80\x94 test"));
    m.set("llama.block_count", MetaValue::u32(1));
    m.set("llama.context_length", MetaValue::u32(2048));
    m.set("llama.rope.freq_base", MetaValue::f32(100000.0f));
    m.set("llama.attention.layer_norm_rms_epsilon", MetaValue::f32(1e-5f));
    m.set("general.file_type", MetaValue::u32(1));
    m.set("general.quantization_version", MetaValue::u32(2));
    m.set("sample.u8", MetaValue::fromUnsigned(MetaType::U8, 255));
    m.set("sample.i16", MetaValue::fromSigned(MetaType::I16, -32768));
    m.set("sample.u64", MetaValue::u64(std::numeric_limits<uint64_t>::max()));
    m.set("sample.i64", MetaValue::fromSigned(MetaType::I64, std::numeric_limits<int64_t>::min()));
    m.set("sample.f64", MetaValue::fromFloat(MetaType::F64, 2.0 / 3.0));
    m.set("sample.bool", MetaValue::boolean(false));
    m.set("tokenizer.ggml.model", MetaValue::string("gpt2"));
    m.set("tokenizer.ggml.tokens",
          MetaValue::stringArray({"<|endoftext|>", "\xc4\xa0the", "a", std::string("\xe2\x82", 2)}));
    m.set("tokenizer.ggml.token_type",
          MetaValue::array(MetaType::I32,
                           {MetaValue::i32(3), MetaValue::i32(1), MetaValue::i32(1), MetaValue::i32(6)}));
    m.set("tokenizer.ggml.scores",
          MetaValue::array(MetaType::F32, {MetaValue::f32(0.0f), MetaValue::f32(-1.5f),
                                           MetaValue::f32(-3.25f), MetaValue::f32(-1000.0f)}));
    m.set("tokenizer.ggml.merges", MetaValue::stringArray({"\xc4\xa0 t", "h e"}));
    m.set("tokenizer.ggml.bos_token_id", MetaValue::u32(0));
    m.set("tokenizer.chat_template",
          MetaValue::string("{% for m in messages %}<|{{ m.role }}|>{% endfor %}"));
    return m;
}

Status pattern(size_t index, std::span<std::byte> out) {
    for (size_t k = 0; k < out.size(); ++k)
        out[k] = std::byte((index * 31 + k * 7) & 0xFF);
    return {};
}

} // namespace

TEST(SafetensorsGgufRoundTrip, KeepsMetadataTypesAndTensors) {
    const fs::path dir = fs::temp_directory_path() / "matryx_st_gguf_roundtrip";
    fs::remove_all(dir);
    fs::create_directories(dir);

    const std::vector<OutputTensor> tensors = {{"token_embd.weight", TensorType::F16, {8, 4}},
                                               {"output_norm.weight", TensorType::F32, {8}},
                                               {"blk.0.attn_q.weight", TensorType::BF16, {8, 8}}};
    ASSERT_TRUE(writeGguf(dir / "a.gguf", llamaLikeMetadata(), tensors, pattern, {}, Progress::none()).ok());
    auto first = readGguf(dir / "a.gguf");
    ASSERT_TRUE(first.ok()) << first.error().toString();

    const auto copyFrom = [](const Model& model) {
        return [&model](size_t i, std::span<std::byte> out) -> Status {
            const auto data = model.data(model.tensors[i]);
            std::copy(data.begin(), data.end(), out.begin());
            return {};
        };
    };
    std::vector<OutputTensor> firstTensors;
    for (const auto& t : first->tensors)
        firstTensors.push_back({t.name, t.type, t.shape});
    ASSERT_TRUE(writeSafetensors(dir / "b.safetensors", first->metadata, firstTensors, copyFrom(*first), {},
                                 Progress::none())
                    .ok());
    auto middle = readSafetensors(dir / "b.safetensors");
    ASSERT_TRUE(middle.ok()) << middle.error().toString();
    EXPECT_EQ(middle->metadata, first->metadata);

    std::vector<OutputTensor> middleTensors;
    for (const auto& t : middle->tensors)
        middleTensors.push_back({t.name, t.type, t.shape});
    ASSERT_TRUE(
        writeGguf(dir / "c.gguf", middle->metadata, middleTensors, copyFrom(*middle), {}, Progress::none())
            .ok());
    auto last = readGguf(dir / "c.gguf");
    ASSERT_TRUE(last.ok()) << last.error().toString();

    EXPECT_EQ(last->metadata, first->metadata);
    ASSERT_EQ(last->tensors.size(), first->tensors.size());
    for (size_t i = 0; i < first->tensors.size(); ++i) {
        const auto& a = first->tensors[i];
        const auto& b = last->tensors[i];
        EXPECT_EQ(b.name, a.name);
        EXPECT_EQ(b.type, a.type);
        EXPECT_EQ(b.shape, a.shape);
        const auto da = first->data(a);
        const auto db = last->data(b);
        EXPECT_TRUE(std::equal(da.begin(), da.end(), db.begin(), db.end())) << a.name;
    }
    fs::remove_all(dir);
}

} // namespace matryx
