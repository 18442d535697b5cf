#include "format/gguf_builder.h"
#include "format/gguf_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>

namespace matryx {

namespace {

using test::GgufBuilder;
using test::GgufBytes;

std::shared_ptr<const ByteSource> sourceOf(const test::GgufLayout& layout) {
    return ByteSource::own(layout.bytes, "test.gguf");
}

Model readOk(const test::GgufLayout& layout) {
    auto model = readGgufSource(sourceOf(layout));
    EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.error().toString());
    return model.ok() ? std::move(model.value()) : Model{};
}

void expectData(const Model& model, const test::GgufLayout& layout) {
    ASSERT_EQ(model.tensors.size(), layout.tensors.size());
    for (size_t i = 0; i < layout.tensors.size(); ++i) {
        const auto& t = model.tensors[i];
        EXPECT_EQ(t.offset, layout.tensors[i].data) << t.name;
        EXPECT_EQ(t.bytes, layout.tensors[i].bytes) << t.name;
        const auto data = model.data(t);
        ASSERT_EQ(data.size(), t.bytes) << t.name;
        for (size_t j = 0; j < data.size(); ++j)
            ASSERT_EQ(data[j], GgufBuilder::dataByte(i, j)) << t.name << " byte " << j;
    }
}

} // namespace

TEST(GgufReader, ReadsEveryValueTypeWithExactTypes) {
    GgufBytes nested;
    nested.arrayHeader(test::kArray, 2);
    nested.arrayHeader(test::kI16, 2).put<int16_t>(-1).put<int16_t>(2);
    nested.arrayHeader(test::kI16, 0);
    const auto layout =
        GgufBuilder()
            .kv("u8", test::kU8, GgufBytes().put<uint8_t>(200).bytes)
            .kv("i8", test::kI8, GgufBytes().put<int8_t>(-5).bytes)
            .kv("u16", test::kU16, GgufBytes().put<uint16_t>(60000).bytes)
            .kv("i16", test::kI16, GgufBytes().put<int16_t>(-300).bytes)
            .kvU32("u32", 4000000000u)
            .kv("i32", test::kI32, GgufBytes().put<int32_t>(-2000000000).bytes)
            .kv("f32", test::kF32, GgufBytes().put(0.1f).bytes)
            .kv("bool", test::kBool, GgufBytes().put<uint8_t>(1).bytes)
            .kvString("string", "h\xc3\xa9llo")
            .kv("u64", test::kU64, GgufBytes().put<uint64_t>((uint64_t{1} << 63) + 5).bytes)
            .kv("i64", test::kI64, GgufBytes().put<int64_t>(-(int64_t{1} << 62)).bytes)
            .kv("f64", test::kF64, GgufBytes().put(1e-300).bytes)
            .kv("strings", test::kArray, GgufBytes().arrayHeader(test::kString, 2).str("a").str("").bytes)
            .kv("nested", test::kArray, nested.bytes)
            .build();
    const Model model = readOk(layout);
    const std::vector<std::pair<std::string, MetaValue>> expected = {
        {"u8", MetaValue::fromUnsigned(MetaType::U8, 200)},
        {"i8", MetaValue::fromSigned(MetaType::I8, -5)},
        {"u16", MetaValue::fromUnsigned(MetaType::U16, 60000)},
        {"i16", MetaValue::fromSigned(MetaType::I16, -300)},
        {"u32", MetaValue::u32(4000000000u)},
        {"i32", MetaValue::i32(-2000000000)},
        {"f32", MetaValue::f32(0.1f)},
        {"bool", MetaValue::boolean(true)},
        {"string", MetaValue::string("h\xc3\xa9llo")},
        {"u64", MetaValue::u64((uint64_t{1} << 63) + 5)},
        {"i64", MetaValue::fromSigned(MetaType::I64, -(int64_t{1} << 62))},
        {"f64", MetaValue::fromFloat(MetaType::F64, 1e-300)},
        {"strings", MetaValue::stringArray({"a", ""})},
        {"nested",
         MetaValue::array(MetaType::Array,
                          {MetaValue::array(MetaType::I16, {MetaValue::fromSigned(MetaType::I16, -1),
                                                            MetaValue::fromSigned(MetaType::I16, 2)}),
                           MetaValue::array(MetaType::I16, {})})},
    };
    ASSERT_EQ(model.metadata.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(model.metadata.entries()[i].first, expected[i].first);
        EXPECT_EQ(model.metadata.entries()[i].second, expected[i].second) << expected[i].first;
    }
    EXPECT_EQ(*model.metadata.find("f32")->toDouble(), static_cast<double>(0.1f));
    EXPECT_EQ(model.ggufVersion, 3u);
    EXPECT_EQ(model.alignment, 32u);
    EXPECT_EQ(model.format, ModelFormat::Gguf);
}

TEST(GgufReader, PlacesTensorsAtAbsoluteOffsets) {
    const auto layout = GgufBuilder()
                            .kvString("general.architecture", "llama")
                            .tensor("a", 0 /*F32*/, {8, 2}, 64)
                            .tensor("b", 2 /*Q4_0*/, {64}, 36)
                            .tensor("c", 1 /*F16*/, {4, 1, 1, 3}, 24)
                            .tensor("d", 12 /*Q4_K*/, {256, 2}, 288)
                            .build();
    const Model model = readOk(layout);
    ASSERT_EQ(model.tensors.size(), 4u);
    EXPECT_EQ(model.tensors[0].name, "a");
    EXPECT_EQ(model.tensors[0].type, TensorType::F32);
    EXPECT_EQ(model.tensors[0].shape, (std::vector<int64_t>{8, 2}));
    EXPECT_EQ(model.tensors[1].type, TensorType::Q4_0);
    EXPECT_EQ(model.tensors[2].shape, (std::vector<int64_t>{4, 1, 1, 3}));
    EXPECT_EQ(model.tensors[3].type, TensorType::Q4_K);
    EXPECT_EQ(model.tensors[0].offset % 32, 0u);
    EXPECT_GE(model.tensors[0].offset, layout.tensors[3].offset + 8);
    expectData(model, layout);
    EXPECT_EQ(model.sources.size(), 1u);
    EXPECT_EQ(model.architecture(), "llama");
}

TEST(GgufReader, HonoursGeneralAlignment) {
    const auto layout = GgufBuilder()
                            .alignment(64)
                            .kvU32("general.alignment", 64)
                            .tensor("a", 0, {3}, 12)
                            .tensor("b", 0, {5}, 20)
                            .build();
    const Model model = readOk(layout);
    EXPECT_EQ(model.alignment, 64u);
    EXPECT_EQ(model.tensors[1].offset - model.tensors[0].offset, 64u);
    expectData(model, layout);
}

TEST(GgufReader, ReadsVersion2) {
    const auto layout = GgufBuilder().version(2).kvU32("x", 1).tensor("a", 0, {2}, 8).build();
    const Model model = readOk(layout);
    EXPECT_EQ(model.ggufVersion, 2u);
    expectData(model, layout);
}

// ggml accepts n_dims 0 (a scalar) and zero-length dimensions (an empty tensor); so does Matryx.
TEST(GgufReader, AcceptsScalarsAndEmptyTensorsAsGgmlDoes) {
    const auto layout = GgufBuilder().tensor("scalar", 0, {}, 4).tensor("empty", 0, {0, 7}, 0).build();
    const Model model = readOk(layout);
    ASSERT_EQ(model.tensors.size(), 2u);
    EXPECT_TRUE(model.tensors[0].shape.empty());
    EXPECT_EQ(model.tensors[0].elements(), 1u);
    EXPECT_EQ(model.tensors[1].elements(), 0u);
    expectData(model, layout);
}

TEST(GgufReader, EmptyFileHeaderOnly) {
    const Model model = readOk(GgufBuilder().build());
    EXPECT_TRUE(model.metadata.empty());
    EXPECT_TRUE(model.tensors.empty());
}

TEST(GgufReader, BoolReadsNonZeroAsTrue) {
    const Model model = readOk(GgufBuilder().kv("b", test::kBool, GgufBytes().put<uint8_t>(7).bytes).build());
    EXPECT_EQ(model.metadata.find("b")->toBool(), true);
}

TEST(GgufReader, ReadsFromDiskAndRecognisesTheMagic) {
    const auto layout =
        GgufBuilder().kvString("general.architecture", "llama").tensor("a", 0, {4}, 16).build();
    const auto path = std::filesystem::temp_directory_path() / "matryx_gguf_reader_test.gguf";
    {
        std::ofstream out(path, std::ios::binary);
        out.write(reinterpret_cast<const char*>(layout.bytes.data()),
                  static_cast<std::streamsize>(layout.bytes.size()));
    }
    auto model = readGguf(path);
    ASSERT_TRUE(model.ok()) << model.error().toString();
    EXPECT_EQ(model->path, path);
    expectData(*model, layout);

    const auto reader = makeGgufReader();
    EXPECT_EQ(reader->name(), "GGUF");
    EXPECT_TRUE(reader->canRead(path, std::span(layout.bytes).first(16)));
    const std::array<std::byte, 4> other{std::byte{'P'}, std::byte{'K'}, std::byte{3}, std::byte{4}};
    EXPECT_FALSE(reader->canRead("x.safetensors", other));
    EXPECT_TRUE(reader->canRead("broken.GGUF", other)); // gets the GGUF error, not "unknown format"
    EXPECT_TRUE(reader->canRead("short.gguf", {}));
    std::filesystem::remove(path);

    auto missing = readGguf(path);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().file, path.string());
}

} // namespace matryx
