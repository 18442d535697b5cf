#include "format/gguf_builder.h"
#include "format/gguf_reader.h"
#include "format/gguf_test_support.h"
#include "format/gguf_writer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

namespace matryx {

namespace {

using test::ScratchFolder;

std::vector<OutputTensor> severalTypes() {
    return {
        {"f32", TensorType::F32, {16, 3}},
        {"f16", TensorType::F16, {32}},
        {"q4_0", TensorType::Q4_0, {64, 2}},
        {"q8_0", TensorType::Q8_0, {32, 3, 2}},
        {"q4_k", TensorType::Q4_K, {256}},
        {"q6_k", TensorType::Q6_K, {256, 2}},
        {"bf16", TensorType::BF16, {8, 2}},
        {"i32", TensorType::I32, {5}},
        {"scalar", TensorType::F32, {}},
        {"empty", TensorType::F16, {0, 4}},
        {"iq2_xxs", TensorType::IQ2_XXS, {256, 1, 1, 2}},
    };
}

std::vector<std::byte> fileBytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::byte> bytes(chars.size());
    std::memcpy(bytes.data(), chars.data(), chars.size());
    return bytes;
}

// Producer that copies the tensors of a model that was read.
TensorProducer copyFrom(const Model& model) {
    return [&model](size_t index, std::span<std::byte> out) -> Status {
        const auto data = model.data(model.tensors[index]);
        if (data.size() != out.size()) return makeError("copy", "size", std::nullopt, "size differs");
        std::copy(data.begin(), data.end(), out.begin());
        return {};
    };
}

std::vector<OutputTensor> outputsOf(const Model& model) {
    std::vector<OutputTensor> out;
    for (const auto& t : model.tensors)
        out.push_back({t.name, t.type, t.shape});
    return out;
}

} // namespace

TEST(GgufWriter, RoundTripsEveryValueTypeAndTensorTypeAtAlignment64) {
    ScratchFolder dir;
    const Metadata metadata = test::everyValueType();
    const auto tensors = severalTypes();
    WriteOptions options;
    options.alignment = 64;
    ASSERT_TRUE(
        writeGguf(dir / "a.gguf", metadata, tensors, test::patternProducer(), options, Progress::none()));

    auto first = readGguf(dir / "a.gguf");
    ASSERT_TRUE(first.ok()) << first.error().toString();
    Metadata expected = metadata;
    expected.set("general.alignment", MetaValue::u32(64));
    EXPECT_EQ(first->metadata, expected);
    EXPECT_EQ(first->metadata.entries().back().first, "general.alignment");
    EXPECT_EQ(first->alignment, 64u);
    EXPECT_EQ(first->ggufVersion, 3u);
    ASSERT_EQ(first->tensors.size(), tensors.size());
    for (size_t i = 0; i < tensors.size(); ++i) {
        const auto& t = first->tensors[i];
        EXPECT_EQ(t.name, tensors[i].name);
        EXPECT_EQ(t.type, tensors[i].type);
        EXPECT_EQ(t.shape, tensors[i].shape);
        EXPECT_EQ(t.offset % 64, 0u) << t.name;
        const auto data = first->data(t);
        ASSERT_EQ(data.size(), t.bytes);
        for (size_t j = 0; j < data.size(); ++j)
            ASSERT_EQ(data[j], test::producedByte(i, j)) << t.name << " byte " << j;
    }
    EXPECT_EQ(first->tensors[3].bytes, 6u * 34u); // Q8_0: 6 blocks of 34 bytes
    EXPECT_EQ(first->tensors[4].bytes, 144u);     // Q4_K: one block
    EXPECT_EQ(std::filesystem::file_size(dir / "a.gguf") % 64, 0u);

    // Written again from what was read: the same bytes.
    ASSERT_TRUE(writeGguf(dir / "b.gguf", first->metadata, outputsOf(*first), copyFrom(*first), options,
                          Progress::none()));
    EXPECT_EQ(fileBytes(dir / "a.gguf"), fileBytes(dir / "b.gguf"));
    auto second = readGguf(dir / "b.gguf");
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second->metadata, first->metadata);
}

// The builder lays files out from gguf_format.h on its own; writing what was read from one
// must give its bytes back exactly.
TEST(GgufWriter, ReproducesIndependentlyBuiltFiles) {
    for (const uint64_t alignment : {32u, 64u, 128u}) {
        test::GgufBuilder builder;
        builder.alignment(alignment).kvString("general.architecture", "llama");
        if (alignment != 32) builder.kvU32("general.alignment", static_cast<uint32_t>(alignment));
        builder
            .kv("tokens", test::kArray,
                test::GgufBytes().arrayHeader(test::kString, 2).str("x").str("yz").bytes)
            .tensor("a", 0, {3, 2}, 24)
            .tensor("b", 8 /*Q8_0*/, {32}, 34)
            .tensor("c", 1, {1}, 2);
        const auto layout = builder.build();
        auto model = readGgufSource(ByteSource::own(layout.bytes, "built.gguf"));
        ASSERT_TRUE(model.ok()) << model.error().toString();

        ScratchFolder dir;
        WriteOptions options;
        options.alignment = alignment;
        ASSERT_TRUE(writeGguf(dir / "copy.gguf", model->metadata, outputsOf(*model), copyFrom(*model),
                              options, Progress::none()));
        EXPECT_EQ(fileBytes(dir / "copy.gguf"), layout.bytes) << "alignment " << alignment;
    }
}

TEST(GgufWriter, ReportsEachTensorByName) {
    ScratchFolder dir;
    test::RecordingProgress progress;
    const std::vector<OutputTensor> tensors = {{"one", TensorType::F32, {4}}, {"two", TensorType::F32, {12}}};
    ASSERT_TRUE(writeGguf(dir / "p.gguf", {}, tensors, test::patternProducer(), {}, progress));
    ASSERT_EQ(progress.stages.size(), 3u);
    EXPECT_EQ(progress.stages[0], "one");
    EXPECT_EQ(progress.stages[1], "two");
    EXPECT_EQ(progress.fractions[0], 0.0);
    EXPECT_EQ(progress.fractions[1], 0.25);
    EXPECT_EQ(progress.fractions[2], 1.0);
}

TEST(GgufWriter, CancelAfterTheFirstTensorLeavesNoFile) {
    ScratchFolder dir;
    test::RecordingProgress progress(1);
    int produced = 0;
    const TensorProducer produce = [&](size_t index, std::span<std::byte> out) {
        ++produced;
        return test::patternProducer()(index, out);
    };
    const auto status =
        writeGguf(dir / "c.gguf", test::everyValueType(), severalTypes(), produce, {}, progress);
    ASSERT_FALSE(status.ok());
    EXPECT_TRUE(status.error().cancelled);
    EXPECT_EQ(status.error().file, (dir / "c.gguf").string());
    EXPECT_EQ(produced, 1);
    EXPECT_TRUE(dir.entries().empty());
}

TEST(GgufWriter, ProducerErrorsPropagateAndLeaveNoFile) {
    ScratchFolder dir;
    const TensorProducer produce = [](size_t index, std::span<std::byte> out) -> Status {
        if (index == 2) return makeError("source.safetensors", "q4_0", 77, "cannot read");
        return test::patternProducer()(index, out);
    };
    const auto status = writeGguf(dir / "e.gguf", {}, severalTypes(), produce, {}, Progress::none());
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().file, "source.safetensors");
    EXPECT_EQ(status.error().offset, 77u);
    EXPECT_EQ(status.error().message, "cannot read");
    EXPECT_FALSE(status.error().cancelled);
    EXPECT_TRUE(dir.entries().empty());
}

TEST(GgufWriter, RefusesToOverwriteUnlessAsked) {
    ScratchFolder dir;
    const std::vector<OutputTensor> tensors = {{"a", TensorType::F32, {2}}};
    ASSERT_TRUE(writeGguf(dir / "o.gguf", {}, tensors, test::patternProducer(), {}, Progress::none()));
    EXPECT_FALSE(writeGguf(dir / "o.gguf", {}, tensors, test::patternProducer(), {}, Progress::none()).ok());
    WriteOptions overwrite;
    overwrite.overwrite = Overwrite::Yes;
    Metadata m;
    m.set("x", MetaValue::u32(1));
    ASSERT_TRUE(writeGguf(dir / "o.gguf", m, tensors, test::patternProducer(), overwrite, Progress::none()));
    auto model = readGguf(dir / "o.gguf");
    ASSERT_TRUE(model.ok());
    EXPECT_EQ(model->metadata.getUnsigned("x"), 1u);
}

namespace {

Error writeError(const Metadata& metadata, const std::vector<OutputTensor>& tensors,
                 uint64_t alignment = 32) {
    ScratchFolder dir;
    WriteOptions options;
    options.alignment = alignment;
    const auto status =
        writeGguf(dir / "bad.gguf", metadata, tensors, test::patternProducer(), options, Progress::none());
    EXPECT_FALSE(status.ok());
    EXPECT_TRUE(dir.entries().empty());
    return status.ok() ? Error{} : status.error();
}

} // namespace

TEST(GgufWriter, RefusesNonGgmlTypes) {
    for (const TensorType type :
         {TensorType::U8, TensorType::Bool, TensorType::F8_E4M3, TensorType::F8_E5M2}) {
        const Error e = writeError({}, {{"ok", TensorType::F32, {1}}, {"x", type, {4}}});
        EXPECT_EQ(e.field, "tensors[1].type");
        EXPECT_NE(e.message.find("not a ggml type"), std::string::npos) << e.message;
    }
}

TEST(GgufWriter, RefusesBadAlignments) {
    EXPECT_EQ(writeError({}, {}, 48).field, "options.alignment");
    EXPECT_EQ(writeError({}, {}, 0).field, "options.alignment");
    EXPECT_EQ(writeError({}, {}, uint64_t{1} << 32).field, "options.alignment");
    Metadata m;
    m.set("general.alignment", MetaValue::u32(64));
    const Error e = writeError(m, {}, 32);
    EXPECT_EQ(e.field, "metadata['general.alignment']");
    EXPECT_NE(e.message.find("written with alignment 32"), std::string::npos);
    m.set("general.alignment", MetaValue::u64(32));
    EXPECT_NE(writeError(m, {}, 32).message.find("must be UINT32"), std::string::npos);
}

TEST(GgufWriter, KeepsAGeneralAlignmentThatAgreesWhereItIs) {
    ScratchFolder dir;
    Metadata m;
    m.set("general.alignment", MetaValue::u32(32));
    m.set("after", MetaValue::u32(1));
    ASSERT_TRUE(writeGguf(dir / "k.gguf", m, {}, test::patternProducer(), {}, Progress::none()));
    auto model = readGguf(dir / "k.gguf");
    ASSERT_TRUE(model.ok());
    EXPECT_EQ(model->metadata, m);
}

TEST(GgufWriter, RefusesTensorsTheReaderWouldRefuse) {
    EXPECT_EQ(writeError({}, {{"a", TensorType::F32, {1}}, {"a", TensorType::F32, {1}}}).field,
              "tensors[1].name");
    EXPECT_EQ(writeError({}, {{"", TensorType::F32, {1}}}).field, "tensors[0].name");
    EXPECT_EQ(writeError({}, {{std::string(64, 'n'), TensorType::F32, {1}}}).field, "tensors[0].name");
    EXPECT_EQ(writeError({}, {{"a", TensorType::F32, {1, 1, 1, 1, 1}}}).field, "tensors[0].shape");
    EXPECT_EQ(writeError({}, {{"a", TensorType::F32, {-1}}}).field, "tensors[0].shape");
    EXPECT_EQ(writeError({}, {{"a", TensorType::Q4_0, {16, 2}}}).field, "tensors[0].shape");
    EXPECT_EQ(writeError({}, {{"a", TensorType::F32, {INT64_MAX, 2}}}).field, "tensors[0].shape");
    EXPECT_EQ(writeError({}, {{"a", TensorType::F32, {int64_t{1} << 62}}}).field, "tensors[0].shape");
}

TEST(GgufWriter, RefusesValuesThatDoNotFitTheirType) {
    Metadata m;
    m.set("small", MetaValue::fromUnsigned(MetaType::U8, 256));
    EXPECT_EQ(writeError(m, {}).field, "metadata['small']");
    Metadata n;
    n.set("mixed", MetaValue::array(MetaType::U32, {MetaValue::u32(1), MetaValue::i32(2)}));
    const Error e = writeError(n, {});
    EXPECT_EQ(e.field, "metadata['mixed'][1]");
    EXPECT_NE(e.message.find("INT32 in an array of UINT32"), std::string::npos) << e.message;
    Metadata d;
    MetaValue deep = MetaValue::array(MetaType::U8, {});
    for (int i = 0; i < 8; ++i)
        deep = MetaValue::array(MetaType::Array, {deep});
    d.set("deep", deep);
    EXPECT_NE(writeError(d, {}).message.find("nested more than 8 deep"), std::string::npos);
    Metadata empty;
    empty.set("", MetaValue::u32(1));
    EXPECT_EQ(writeError(empty, {}).message, "empty key");
}

TEST(GgufWriter, NestingAtTheLimitRoundTrips) {
    ScratchFolder dir;
    Metadata m;
    MetaValue deep = MetaValue::array(MetaType::U8, {MetaValue::fromUnsigned(MetaType::U8, 9)});
    for (int i = 0; i < 7; ++i)
        deep = MetaValue::array(MetaType::Array, {deep});
    m.set("deep", deep);
    ASSERT_TRUE(writeGguf(dir / "n.gguf", m, {}, test::patternProducer(), {}, Progress::none()));
    auto model = readGguf(dir / "n.gguf");
    ASSERT_TRUE(model.ok()) << model.error().toString();
    EXPECT_EQ(model->metadata, m);
}

} // namespace matryx
