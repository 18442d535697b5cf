#include "format/safetensors_reader.h"
#include "format/safetensors_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

namespace matryx {

namespace {

namespace fs = std::filesystem;

class SafetensorsWriter : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("matryx_st_writer_" +
                std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    size_t filesInDir() const {
        return size_t(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
    }

    fs::path dir_;
};

// Fills tensor i with bytes (i * 16 + k) so every byte of every tensor is distinct enough.
Status fillPattern(size_t index, std::span<std::byte> out) {
    for (size_t k = 0; k < out.size(); ++k)
        out[k] = std::byte((index * 16 + k) & 0xFF);
    return {};
}

class CancelAfter : public Progress {
public:
    explicit CancelAfter(int reports) : left_(reports) {}

protected:
    void onReport(double, std::string_view) override {
        if (--left_ <= 0) cancel();
    }

private:
    int left_;
};

Metadata everyType() {
    Metadata m;
    m.set("general.architecture", MetaValue::string("llama"));
    m.set("u8", MetaValue::fromUnsigned(MetaType::U8, 255));
    m.set("i8", MetaValue::fromSigned(MetaType::I8, -128));
    m.set("u16", MetaValue::fromUnsigned(MetaType::U16, 65535));
    m.set("i16", MetaValue::fromSigned(MetaType::I16, -32768));
    m.set("u32", MetaValue::u32(4294967295u));
    m.set("i32", MetaValue::i32(std::numeric_limits<int32_t>::min()));
    m.set("u64", MetaValue::u64(std::numeric_limits<uint64_t>::max()));
    m.set("i64", MetaValue::fromSigned(MetaType::I64, std::numeric_limits<int64_t>::min()));
    m.set("f32", MetaValue::f32(1e-5f));
    m.set("f32.tiny", MetaValue::f32(std::numeric_limits<float>::denorm_min()));
    m.set("f32.inf", MetaValue::f32(-std::numeric_limits<float>::infinity()));
    m.set("f64", MetaValue::fromFloat(MetaType::F64, 0.1));
    m.set("bool", MetaValue::boolean(true));
    m.set("text", MetaValue::string("line\n\"quoted\" \\ tab\t \x01 ünïcödé"));
    m.set("bytes", MetaValue::string(std::string("\xff\xfe\x00z", 4)));
    m.set("tokens", MetaValue::stringArray({"<s>", "", "\xe2\x96\x81the", std::string("\xc3", 1)}));
    m.set("scores", MetaValue::array(MetaType::F32, {MetaValue::f32(-1000.0f), MetaValue::f32(0.5f)}));
    m.set("empty", MetaValue::array(MetaType::I32, {}));
    m.set("nested",
          MetaValue::array(MetaType::Array,
                           {MetaValue::array(MetaType::U8, {MetaValue::fromUnsigned(MetaType::U8, 7)}),
                            MetaValue::stringArray({"x"})}));
    return m;
}

} // namespace

TEST_F(SafetensorsWriter, RoundTripKeepsTensorsAndTypedMetadata) {
    const std::vector<OutputTensor> tensors = {
        {"f32", TensorType::F32, {3, 2}},      {"f16", TensorType::F16, {5}},
        {"bf16", TensorType::BF16, {1, 1, 3}}, {"i8", TensorType::I8, {7}},
        {"flags", TensorType::Bool, {2}},      {"empty", TensorType::F32, {0, 4}},
        {"scalar", TensorType::I64, {}},       {"f8", TensorType::F8_E5M2, {3}},
    };
    const Metadata metadata = everyType();
    const auto path = dir_ / "out.safetensors";
    ASSERT_TRUE(writeSafetensors(path, metadata, tensors, fillPattern, {}, Progress::none()).ok());

    auto model = readSafetensors(path);
    ASSERT_TRUE(model.ok()) << model.error().toString();
    EXPECT_EQ(model->metadata, metadata);
    ASSERT_EQ(model->tensors.size(), tensors.size());
    for (size_t i = 0; i < tensors.size(); ++i) {
        const auto& t = model->tensors[i];
        EXPECT_EQ(t.name, tensors[i].name);
        EXPECT_EQ(t.type, tensors[i].type);
        EXPECT_EQ(t.shape, tensors[i].shape);
        std::vector<std::byte> expected(t.bytes);
        ASSERT_TRUE(fillPattern(i, expected).ok());
        const auto data = model->data(t);
        ASSERT_EQ(data.size(), expected.size());
        EXPECT_TRUE(std::equal(data.begin(), data.end(), expected.begin())) << t.name;
    }

    // Header padded with spaces to 8 bytes; tensors packed without gaps up to the end of file.
    const auto& first = model->tensors.front();
    EXPECT_EQ(first.offset % 8, 0u);
    const auto bytes = model->sources[0]->bytes();
    EXPECT_EQ(char(bytes[first.offset - 1]), ' ');
    uint64_t expectedOffset = first.offset;
    for (const auto& t : model->tensors) {
        EXPECT_EQ(t.offset, expectedOffset) << t.name;
        expectedOffset += t.bytes;
    }
    EXPECT_EQ(expectedOffset, bytes.size());
    EXPECT_EQ(filesInDir(), 1u);
}

TEST_F(SafetensorsWriter, WritesFormatPtAndPrefixedKeys) {
    Metadata m;
    m.set("llama.block_count", MetaValue::u32(30));
    const auto path = dir_ / "m.safetensors";
    ASSERT_TRUE(writeSafetensors(path, m, {}, fillPattern, {}, Progress::none()).ok());
    std::ifstream in(path, std::ios::binary);
    const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(content.find(R"("__metadata__":{"format":"pt","gguf:llama.block_count":)"
                           R"("{\"type\":\"UINT32\",\"value\":30}"})"),
              std::string::npos)
        << content;
}

TEST_F(SafetensorsWriter, RefusesQuantizedTypesWithoutWriting) {
    const std::vector<OutputTensor> tensors = {{"q", TensorType::Q4_0, {32}}};
    const auto status =
        writeSafetensors(dir_ / "q.safetensors", {}, tensors, fillPattern, {}, Progress::none());
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().field, R"(tensors["q"].type)");
    EXPECT_EQ(filesInDir(), 0u);
}

TEST_F(SafetensorsWriter, RefusesDuplicateAndReservedNames) {
    const std::vector<OutputTensor> dup = {{"a", TensorType::F32, {1}}, {"a", TensorType::F32, {1}}};
    EXPECT_FALSE(writeSafetensors(dir_ / "d.safetensors", {}, dup, fillPattern, {}, Progress::none()).ok());
    const std::vector<OutputTensor> reserved = {{"__metadata__", TensorType::F32, {1}}};
    EXPECT_FALSE(
        writeSafetensors(dir_ / "r.safetensors", {}, reserved, fillPattern, {}, Progress::none()).ok());
    const std::vector<OutputTensor> negative = {{"n", TensorType::F32, {-1}}};
    EXPECT_FALSE(
        writeSafetensors(dir_ / "n.safetensors", {}, negative, fillPattern, {}, Progress::none()).ok());
    EXPECT_EQ(filesInDir(), 0u);
}

TEST_F(SafetensorsWriter, CancelLeavesNothing) {
    const std::vector<OutputTensor> tensors = {{"a", TensorType::F32, {4}}, {"b", TensorType::F32, {4}}};
    CancelAfter progress(1);
    const auto status = writeSafetensors(dir_ / "c.safetensors", {}, tensors, fillPattern, {}, progress);
    ASSERT_FALSE(status.ok());
    EXPECT_TRUE(status.error().cancelled);
    EXPECT_EQ(filesInDir(), 0u);
}

TEST_F(SafetensorsWriter, ProducerFailureLeavesNothing) {
    const std::vector<OutputTensor> tensors = {{"a", TensorType::F32, {4}}, {"b", TensorType::F32, {4}}};
    const TensorProducer failing = [](size_t index, std::span<std::byte> out) -> Status {
        if (index == 1) return makeError("src", "b", std::nullopt, "cannot dequantize");
        return fillPattern(index, out);
    };
    const auto status = writeSafetensors(dir_ / "f.safetensors", {}, tensors, failing, {}, Progress::none());
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().message, "cannot dequantize");
    EXPECT_EQ(filesInDir(), 0u);
}

TEST_F(SafetensorsWriter, KeepsAnExistingFileUnlessOverwriteIsAsked) {
    const auto path = dir_ / "keep.safetensors";
    std::ofstream(path) << "precious";
    const std::vector<OutputTensor> tensors = {{"a", TensorType::F32, {1}}};
    EXPECT_FALSE(writeSafetensors(path, {}, tensors, fillPattern, {}, Progress::none()).ok());
    std::ifstream in(path);
    std::string content;
    in >> content;
    EXPECT_EQ(content, "precious");
    WriteOptions overwrite;
    overwrite.overwrite = Overwrite::Yes;
    EXPECT_TRUE(writeSafetensors(path, {}, tensors, fillPattern, overwrite, Progress::none()).ok());
    EXPECT_TRUE(readSafetensors(path).ok());
}

} // namespace matryx
