#include "format/safetensors_reader.h"
#include "format/safetensors_test_util.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace matryx {

namespace {

using test::safetensorsSource;

Error readError(std::string_view header, size_t dataBytes = 0,
                std::optional<uint64_t> headerSize = std::nullopt) {
    auto model = readSafetensorsSource(safetensorsSource(header, dataBytes, headerSize));
    EXPECT_FALSE(model.ok()) << "expected an error for header " << header;
    return model ? Error{} : model.error();
}

struct DtypeCase {
    const char* dtype;
    TensorType type;
    uint64_t elementBytes;
};

class SafetensorsDtype : public ::testing::TestWithParam<DtypeCase> {};

} // namespace

TEST_P(SafetensorsDtype, ReadsTypeShapeAndOffsets) {
    const auto& c = GetParam();
    const uint64_t bytes = 6 * c.elementBytes;
    const std::string header = std::string(R"({"t":{"dtype":")") + c.dtype +
                               R"(","shape":[2,3],"data_offsets":[0,)" + std::to_string(bytes) + "]}}";
    auto model = readSafetensorsSource(safetensorsSource(header, bytes));
    ASSERT_TRUE(model.ok()) << model.error().toString();
    ASSERT_EQ(model->tensors.size(), 1u);
    const auto& t = model->tensors[0];
    EXPECT_EQ(t.name, "t");
    EXPECT_EQ(t.type, c.type);
    EXPECT_EQ(t.shape, (std::vector<int64_t>{3, 2})); // ggml order: row length first
    EXPECT_EQ(t.offset, 8 + header.size());
    EXPECT_EQ(t.bytes, bytes);
    EXPECT_EQ(model->data(t).size(), bytes);
    EXPECT_EQ(model->format, ModelFormat::Safetensors);
}

INSTANTIATE_TEST_SUITE_P(
    AllDtypes, SafetensorsDtype,
    ::testing::Values(DtypeCase{"F64", TensorType::F64, 8}, DtypeCase{"F32", TensorType::F32, 4},
                      DtypeCase{"F16", TensorType::F16, 2}, DtypeCase{"BF16", TensorType::BF16, 2},
                      DtypeCase{"I8", TensorType::I8, 1}, DtypeCase{"U8", TensorType::U8, 1},
                      DtypeCase{"I16", TensorType::I16, 2}, DtypeCase{"I32", TensorType::I32, 4},
                      DtypeCase{"I64", TensorType::I64, 8}, DtypeCase{"BOOL", TensorType::Bool, 1},
                      DtypeCase{"F8_E4M3", TensorType::F8_E4M3, 1},
                      DtypeCase{"F8_E5M2", TensorType::F8_E5M2, 1}),
    [](const auto& info) { return std::string(info.param.dtype); });

TEST(SafetensorsReader, ListsTensorsInDataOffsetOrder) {
    const std::string header = R"({"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},)"
                               R"("empty":{"dtype":"F16","shape":[0,4],"data_offsets":[8,8]},)"
                               R"("a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]},)"
                               R"("scalar":{"dtype":"I32","shape":[],"data_offsets":[16,20]}})";
    auto model = readSafetensorsSource(safetensorsSource(header, 20));
    ASSERT_TRUE(model.ok()) << model.error().toString();
    ASSERT_EQ(model->tensors.size(), 4u);
    EXPECT_EQ(model->tensors[0].name, "a");
    EXPECT_EQ(model->tensors[1].name, "empty");
    EXPECT_EQ(model->tensors[2].name, "b");
    EXPECT_EQ(model->tensors[3].name, "scalar");
    EXPECT_EQ(model->tensors[1].shape, (std::vector<int64_t>{4, 0}));
    EXPECT_EQ(model->tensors[1].bytes, 0u);
    EXPECT_TRUE(model->tensors[3].shape.empty());
    EXPECT_EQ(model->tensors[3].elements(), 1u);
    EXPECT_EQ(model->tensors[3].offset, 8 + header.size() + 16);
}

TEST(SafetensorsReader, AcceptsGapsPaddingAndUnknownFields) {
    const std::string header =
        R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8],)"
        R"("extra":{"deep":[[[[1,{"k":null}]]]]},"n":1.5}, "__metadata__":null}      )";
    auto model = readSafetensorsSource(safetensorsSource(header, 12));
    ASSERT_TRUE(model.ok()) << model.error().toString();
    EXPECT_EQ(model->tensors.size(), 1u);
    EXPECT_TRUE(model->metadata.empty());
}

TEST(SafetensorsReader, EmptyHeaderObjectIsAnEmptyModel) {
    auto model = readSafetensorsSource(safetensorsSource("{}"));
    ASSERT_TRUE(model.ok()) << model.error().toString();
    EXPECT_TRUE(model->tensors.empty());
}

TEST(SafetensorsReader, PlainMetadataBecomesStrings) {
    auto model =
        readSafetensorsSource(safetensorsSource(R"({"__metadata__":{"format":"pt","note":"hello"}})"));
    ASSERT_TRUE(model.ok()) << model.error().toString();
    EXPECT_EQ(model->metadata.getString("format"), "pt");
    EXPECT_EQ(model->metadata.getString("note"), "hello");
    EXPECT_EQ(model->metadata.entries()[0].first, "format");
}

TEST(SafetensorsReader, TypedMetadataIsDecodedAndFormatDropped) {
    const std::string header =
        R"({"__metadata__":{"format":"pt","gguf:llama.block_count":"{\"type\":\"UINT32\",\"value\":30}",)"
        R"("gguf:tokenizer.ggml.tokens":"{\"type\":\"ARRAY\",\"element\":\"STRING\",\"value\":[\"a\",\"b\"]}",)"
        R"("comment":"kept"}})";
    auto model = readSafetensorsSource(safetensorsSource(header));
    ASSERT_TRUE(model.ok()) << model.error().toString();
    const auto* count = model->metadata.find("llama.block_count");
    ASSERT_NE(count, nullptr);
    EXPECT_EQ(count->type(), MetaType::U32);
    EXPECT_EQ(count->toUnsigned(), 30u);
    EXPECT_EQ(*model->metadata.find("tokenizer.ggml.tokens"), MetaValue::stringArray({"a", "b"}));
    EXPECT_FALSE(model->metadata.contains("format"));
    EXPECT_EQ(model->metadata.getString("comment"), "kept");
}

TEST(SafetensorsReader, BadTypedMetadataNamesTheKey) {
    const Error e = readError(R"({"__metadata__":{"gguf:x":"{\"type\":\"UINT8\",\"value\":256}"}})");
    EXPECT_EQ(e.field, R"(__metadata__["gguf:x"])");
    EXPECT_EQ(e.offset, 8u);
    EXPECT_NE(e.message.find("out of range"), std::string::npos) << e.message;
}

TEST(SafetensorsReader, FileShorterThanHeaderSize) {
    auto model = readSafetensorsSource(ByteSource::own(std::vector<std::byte>(5), "short"));
    ASSERT_FALSE(model.ok());
    EXPECT_EQ(model.error().field, "header_size");
    EXPECT_EQ(model.error().offset, 0u);
    EXPECT_EQ(model.error().file, "short");
}

TEST(SafetensorsReader, HugeHeaderSizeIsRefusedBeforeReading) {
    const Error e = readError("{}", 0, uint64_t{1} << 62);
    EXPECT_EQ(e.field, "header_size");
    EXPECT_NE(e.message.find("limit"), std::string::npos) << e.message;
    const Error justOver = readError("{}", 0, 100ull * 1024 * 1024 + 1);
    EXPECT_EQ(justOver.field, "header_size");
}

TEST(SafetensorsReader, HeaderPastEndOfFile) {
    const Error e = readError("{}", 0, 3);
    EXPECT_EQ(e.field, "header_size");
    EXPECT_NE(e.message.find("past the end"), std::string::npos) << e.message;
}

TEST(SafetensorsReader, BadJsonGivesTheBytePosition) {
    const Error e = readError(R"({"a": })");
    EXPECT_EQ(e.field, "header");
    EXPECT_EQ(e.offset, 8u + 6u); // the '}' where a value was expected
    const Error empty = readError("");
    EXPECT_EQ(empty.field, "header");
    const Error trailing = readError(R"({} x)");
    EXPECT_EQ(trailing.offset, 8u + 3u);
    const Error badUtf8 = readError("{\"\xff\":1}");
    EXPECT_EQ(badUtf8.field, "header");
}

TEST(SafetensorsReader, TopLevelMustBeAnObject) {
    EXPECT_EQ(readError("[]").field, "header");
    EXPECT_EQ(readError("42").field, "header");
}

TEST(SafetensorsReader, WrongJsonTypesNameTheField) {
    EXPECT_EQ(readError(R"({"x":[]})").field, R"(tensors["x"])");
    EXPECT_EQ(readError(R"({"x":"F32"})").field, R"(tensors["x"])");
    EXPECT_EQ(readError(R"({"x":{"dtype":32,"shape":[],"data_offsets":[0,4]}})").field,
              R"(tensors["x"].dtype)");
    EXPECT_EQ(readError(R"({"x":{"dtype":"F32","shape":"2","data_offsets":[0,4]}})").field,
              R"(tensors["x"].shape)");
    EXPECT_EQ(readError(R"({"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})").field,
              R"(tensors["x"].shape)");
    EXPECT_EQ(readError(R"({"x":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}})").field,
              R"(tensors["x"].shape)");
    EXPECT_EQ(readError(R"({"x":{"dtype":"F32","shape":[[1]],"data_offsets":[0,4]}})").field,
              R"(tensors["x"].shape)");
    EXPECT_EQ(readError(R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}})", 8).field,
              R"(tensors["x"].data_offsets)");
    EXPECT_EQ(readError(R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0]}})").field,
              R"(tensors["x"].data_offsets)");
    EXPECT_EQ(readError(R"({"x":{"dtype":"F32","shape":[1],"data_offsets":{"a":0}}})").field,
              R"(tensors["x"].data_offsets)");
    EXPECT_EQ(readError(R"({"__metadata__":{"k":1}})").field, R"(__metadata__["k"])");
    EXPECT_EQ(readError(R"({"__metadata__":{"k":{"a":"b"}}})").field, R"(__metadata__["k"])");
    EXPECT_EQ(readError(R"({"__metadata__":["a"]})").field, "__metadata__");
    EXPECT_EQ(readError(R"({"__metadata__":"a"})").field, "__metadata__");
}

TEST(SafetensorsReader, MissingFieldsAreNamed) {
    const Error e = readError(R"({"x":{"dtype":"F32","shape":[1]}})", 4);
    EXPECT_EQ(e.field, R"(tensors["x"].data_offsets)");
    EXPECT_NE(e.message.find("missing"), std::string::npos);
    EXPECT_EQ(readError(R"({"x":{"shape":[1],"data_offsets":[0,4]}})", 4).field, R"(tensors["x"].dtype)");
}

TEST(SafetensorsReader, DuplicatesAreRejected) {
    const Error names = readError(R"({"x":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},)"
                                  R"("x":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}})",
                                  2);
    EXPECT_EQ(names.field, R"(tensors["x"])");
    EXPECT_NE(names.message.find("twice"), std::string::npos);
    EXPECT_EQ(readError(R"({"x":{"dtype":"U8","dtype":"U8","shape":[1],"data_offsets":[0,1]}})", 1).field,
              R"(tensors["x"].dtype)");
    EXPECT_EQ(readError(R"({"__metadata__":{"k":"a","k":"b"}})").field, R"(__metadata__["k"])");
    EXPECT_EQ(readError(R"({"__metadata__":{},"__metadata__":{}})").field, "__metadata__");
}

TEST(SafetensorsReader, UnknownDtypes) {
    for (const char* dtype : {"U32", "f32", "Q4_0", "F8_E8M0", ""}) {
        const Error e = readError(
            std::string(R"({"x":{"dtype":")") + dtype + R"(","shape":[1],"data_offsets":[0,4]}})", 4);
        EXPECT_EQ(e.field, R"(tensors["x"].dtype)") << dtype;
        EXPECT_EQ(e.offset, 8u);
    }
}

TEST(SafetensorsReader, OffsetsMustBeInsideOrderedAndSized) {
    const Error outside = readError(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 4);
    EXPECT_EQ(outside.field, R"(tensors["x"].data_offsets)");
    EXPECT_NE(outside.message.find("past the data section"), std::string::npos) << outside.message;

    const Error reversed = readError(R"({"x":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}})", 8);
    EXPECT_EQ(reversed.field, R"(tensors["x"].data_offsets)");

    const Error mismatch = readError(R"({"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 16);
    EXPECT_EQ(mismatch.field, R"(tensors["x"].data_offsets)");
    EXPECT_NE(mismatch.message.find("needs 12"), std::string::npos) << mismatch.message;

    const Error overlap = readError(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                    R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                                    12);
    EXPECT_EQ(overlap.field, R"(tensors["b"].data_offsets)");
    EXPECT_NE(overlap.message.find("\"a\""), std::string::npos) << overlap.message;

    const Error huge =
        readError(R"({"x":{"dtype":"U8","shape":[1],"data_offsets":[18446744073709551615,0]}})");
    EXPECT_EQ(huge.field, R"(tensors["x"].data_offsets)");
}

TEST(SafetensorsReader, ShapesAreOverflowChecked) {
    EXPECT_EQ(readError(R"({"x":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,4]}})", 4)
                  .field,
              R"(tensors["x"].shape)");
    EXPECT_EQ(
        readError(R"({"x":{"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,4]}})", 4).field,
        R"(tensors["x"].shape)");
    EXPECT_EQ(
        readError(R"({"x":{"dtype":"U8","shape":[18446744073709551615],"data_offsets":[0,4]}})", 4).field,
        R"(tensors["x"].shape)");
    EXPECT_EQ(readError(R"({"x":{"dtype":"U8","shape":[1,1,1,1,1,1,1,1,1],"data_offsets":[0,1]}})", 1).field,
              R"(tensors["x"].shape)");
}

TEST(SafetensorsReader, ReadsFromDiskAndCanReadChecksTheHead) {
    const auto dir = std::filesystem::temp_directory_path() / "matryx_st_reader_test";
    std::filesystem::create_directories(dir);
    const auto path = dir / "m.safetensors";
    const auto bytes = test::safetensorsBytes(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 4);
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));

    auto model = readSafetensors(path);
    ASSERT_TRUE(model.ok()) << model.error().toString();
    EXPECT_EQ(model->path, path);
    EXPECT_EQ(model->tensors.at(0).name, "w");

    const auto reader = makeSafetensorsReader();
    EXPECT_TRUE(reader->canRead(path, {}));
    EXPECT_TRUE(reader->canRead(dir / "noext", std::span(bytes.data(), 16)));
    const std::vector<std::byte> gguf = {std::byte{'G'}, std::byte{'G'}, std::byte{'U'},
                                         std::byte{'F'}, std::byte{3},   std::byte{0},
                                         std::byte{0},   std::byte{0},   std::byte{0}};
    EXPECT_FALSE(reader->canRead(dir / "model.gguf", gguf));
    EXPECT_FALSE(reader->canRead(dir, {}));
    std::filesystem::remove_all(dir);
}

} // namespace matryx
