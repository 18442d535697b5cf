#include "format/gguf_reader.h"
#include "format/gguf_split.h"
#include "format/gguf_test_support.h"
#include "format/gguf_writer.h"

#include <gtest/gtest.h>

namespace matryx {

namespace {

using test::ScratchFolder;

std::vector<OutputTensor> fiveTensors() {
    return {{"t0", TensorType::F32, {8}},
            {"t1", TensorType::Q8_0, {32, 2}},
            {"t2", TensorType::F16, {16}},
            {"t3", TensorType::F32, {4, 4}},
            {"t4", TensorType::Q4_0, {64}}};
}

Metadata splitKeys(uint16_t no, uint16_t count, int32_t tensors) {
    Metadata m;
    m.set("split.no", MetaValue::fromUnsigned(MetaType::U16, no));
    m.set("split.count", MetaValue::fromUnsigned(MetaType::U16, count));
    m.set("split.tensors.count", MetaValue::i32(tensors));
    return m;
}

// Three shards written one by one with writeGguf, tensors {0,1}, {2,3}, {4}, as gguf-split lays
// them out: model metadata in the first shard only.
void writeShardsByHand(const ScratchFolder& dir, const Metadata& model, std::vector<Metadata> keys = {}) {
    const auto tensors = fiveTensors();
    const size_t ranges[3][2] = {{0, 2}, {2, 4}, {4, 5}};
    for (uint16_t k = 0; k < 3; ++k) {
        Metadata m = k < keys.size() ? keys[k] : splitKeys(k, 3, 5);
        if (k == 0)
            for (const auto& [key, value] : model)
                m.set(key, value);
        const size_t begin = ranges[k][0];
        const std::span<const OutputTensor> part(tensors.data() + begin, ranges[k][1] - begin);
        const TensorProducer produce = [begin](size_t i, std::span<std::byte> out) {
            return test::patternProducer()(begin + i, out);
        };
        ASSERT_TRUE(writeGguf(ggufShardPath(dir / "model", k, 3), m, part, produce, {}, Progress::none()));
    }
}

void expectFiveTensors(const Model& model, const std::vector<uint32_t>& sources) {
    const auto tensors = fiveTensors();
    ASSERT_EQ(model.tensors.size(), tensors.size());
    for (size_t i = 0; i < tensors.size(); ++i) {
        const auto& t = model.tensors[i];
        EXPECT_EQ(t.name, tensors[i].name);
        EXPECT_EQ(t.type, tensors[i].type);
        EXPECT_EQ(t.shape, tensors[i].shape);
        EXPECT_EQ(t.source, sources[i]) << t.name;
        const auto data = model.data(t);
        ASSERT_EQ(data.size(), t.bytes);
        for (size_t j = 0; j < data.size(); ++j)
            ASSERT_EQ(data[j], test::producedByte(i, j)) << t.name << " byte " << j;
    }
}

} // namespace

TEST(GgufSplit, ParsesShardNamesAsLlamaCppWritesThem) {
    const auto shard = parseGgufShardName("/models/my-model-Q4_K-00002-of-00003.gguf");
    ASSERT_TRUE(shard);
    EXPECT_EQ(shard->prefix, std::filesystem::path("/models/my-model-Q4_K"));
    EXPECT_EQ(shard->index, 1u);
    EXPECT_EQ(shard->count, 3u);
    EXPECT_EQ(ggufShardPath(shard->prefix, 0, 3),
              std::filesystem::path("/models/my-model-Q4_K-00001-of-00003.gguf"));
    EXPECT_EQ(ggufShardPath("m", 99999, 123456), std::filesystem::path("m-100000-of-123456.gguf"));
    EXPECT_TRUE(parseGgufShardName("m-100000-of-123456.gguf"));
    for (const char* name :
         {"model.gguf", "model-2-of-3.gguf", "model-00004-of-00003.gguf", "model-00000-of-00003.gguf",
          "-00001-of-00002.gguf", "model-00001-of-00002.bin", "model-00001-of-000002.gguf",
          "model-0000x-of-00002.gguf", "model-00001-of-00002.gguf.part"})
        EXPECT_FALSE(parseGgufShardName(name)) << name;
}

TEST(GgufSplit, OpensShardsWrittenByHandAsOneModelFromAnyShard) {
    ScratchFolder dir;
    const Metadata metadata = test::everyValueType();
    writeShardsByHand(dir, metadata);
    for (uint32_t k = 0; k < 3; ++k) {
        auto model = readGguf(ggufShardPath(dir / "model", k, 3));
        ASSERT_TRUE(model.ok()) << model.error().toString();
        EXPECT_EQ(model->path, ggufShardPath(dir / "model", 0, 3));
        EXPECT_EQ(model->metadata, metadata); // split.* keys removed
        EXPECT_EQ(model->sources.size(), 3u);
        expectFiveTensors(*model, {0, 0, 1, 1, 2});
    }
}

TEST(GgufSplit, MissingShardIsNamed) {
    ScratchFolder dir;
    writeShardsByHand(dir, {});
    std::filesystem::remove(ggufShardPath(dir / "model", 2, 3));
    auto model = readGguf(ggufShardPath(dir / "model", 0, 3));
    ASSERT_FALSE(model.ok());
    EXPECT_EQ(model.error().file, ggufShardPath(dir / "model", 2, 3).string());
    EXPECT_EQ(model.error().message, "shard 3 of 3 of the split model is missing");
}

TEST(GgufSplit, ShardNumberMustMatchTheName) {
    ScratchFolder dir;
    writeShardsByHand(dir, {}, {splitKeys(0, 3, 5), splitKeys(2, 3, 5), splitKeys(2, 3, 5)});
    auto model = readGguf(ggufShardPath(dir / "model", 0, 3));
    ASSERT_FALSE(model.ok());
    EXPECT_EQ(model.error().file, ggufShardPath(dir / "model", 1, 3).string());
    EXPECT_EQ(model.error().field, "kv[0].value");
    EXPECT_TRUE(model.error().offset.has_value());
    EXPECT_NE(model.error().message.find("split.no is 2"), std::string::npos);
}

TEST(GgufSplit, ShardsMustAgreeOnCounts) {
    ScratchFolder dir;
    writeShardsByHand(dir, {}, {splitKeys(0, 3, 5), splitKeys(1, 3, 5), splitKeys(2, 4, 5)});
    auto model = readGguf(ggufShardPath(dir / "model", 0, 3));
    ASSERT_FALSE(model.ok());
    EXPECT_EQ(model.error().field, "kv[1].value");
    EXPECT_NE(model.error().message.find("split.count is 4"), std::string::npos);

    ScratchFolder other;
    writeShardsByHand(other, {}, {splitKeys(0, 3, 6), splitKeys(1, 3, 6), splitKeys(2, 3, 6)});
    model = readGguf(ggufShardPath(other / "model", 0, 3));
    ASSERT_FALSE(model.ok());
    EXPECT_EQ(model.error().file, ggufShardPath(other / "model", 0, 3).string());
    EXPECT_EQ(model.error().field, "kv[2].value");
    EXPECT_NE(model.error().message.find("hold 5 tensors"), std::string::npos);
}

TEST(GgufSplit, ShardWithoutSplitKeysIsRefused) {
    ScratchFolder dir;
    Metadata none;
    none.set("x", MetaValue::u32(1));
    writeShardsByHand(dir, {}, {splitKeys(0, 3, 5), none});
    auto model = readGguf(ggufShardPath(dir / "model", 0, 3));
    ASSERT_FALSE(model.ok());
    EXPECT_EQ(model.error().field, "split.no");
    EXPECT_NE(model.error().message.find("key missing"), std::string::npos);
}

TEST(GgufSplit, LoneShardUnderAPlainNameIsRefused) {
    ScratchFolder dir;
    writeShardsByHand(dir, {});
    std::filesystem::rename(ggufShardPath(dir / "model", 1, 3), dir / "renamed.gguf");
    auto model = readGguf(dir / "renamed.gguf");
    ASSERT_FALSE(model.ok());
    EXPECT_EQ(model.error().field, "kv[1].value");
    EXPECT_NE(model.error().message.find("shard 2 of 3"), std::string::npos) << model.error().message;
    EXPECT_NE(model.error().message.find("-00002-of-00003.gguf"), std::string::npos) << model.error().message;
}

TEST(GgufSplit, TensorInTwoShardsIsRefused) {
    ScratchFolder dir;
    const std::vector<OutputTensor> a = {{"same", TensorType::F32, {4}}};
    ASSERT_TRUE(writeGguf(ggufShardPath(dir / "m", 0, 2), splitKeys(0, 2, 2), a, test::patternProducer(), {},
                          Progress::none()));
    ASSERT_TRUE(writeGguf(ggufShardPath(dir / "m", 1, 2), splitKeys(1, 2, 2), a, test::patternProducer(), {},
                          Progress::none()));
    auto model = readGguf(ggufShardPath(dir / "m", 0, 2));
    ASSERT_FALSE(model.ok());
    EXPECT_EQ(model.error().field, "tensor_infos[0].name");
    EXPECT_NE(model.error().message.find("also in shard 1"), std::string::npos);
}

TEST(GgufSplit, WriterSplitsByTensorCountAndReadsBack) {
    ScratchFolder dir;
    const Metadata metadata = test::everyValueType();
    GgufSplitOptions split;
    split.maxTensorsPerShard = 2;
    test::RecordingProgress progress;
    auto paths =
        writeGgufSplit(dir / "model", metadata, fiveTensors(), test::patternProducer(), {}, split, progress);
    ASSERT_TRUE(paths.ok()) << paths.error().toString();
    ASSERT_EQ(paths->size(), 3u);
    EXPECT_EQ((*paths)[2], ggufShardPath(dir / "model", 2, 3));
    EXPECT_EQ(progress.stages, (std::vector<std::string>{"t0", "t1", "t2", "t3", "t4", "model"}));

    auto model = readGguf((*paths)[1]);
    ASSERT_TRUE(model.ok()) << model.error().toString();
    EXPECT_EQ(model->metadata, metadata);
    expectFiveTensors(*model, {0, 0, 1, 1, 2});

    // The second shard alone holds the split keys and nothing else.
    auto second = readGgufSource(ByteSource::mapFile((*paths)[1]).value());
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second->metadata, splitKeys(1, 3, 5));
}

TEST(GgufSplit, WriterSplitsBySize) {
    ScratchFolder dir;
    GgufSplitOptions split;
    split.maxShardBytes = 100; // t0 32 + t1 68 | t2 32 + t3 64 | t4 36
    auto paths = writeGgufSplit(dir / "model", {}, fiveTensors(), test::patternProducer(), {}, split,
                                Progress::none());
    ASSERT_TRUE(paths.ok()) << paths.error().toString();
    ASSERT_EQ(paths->size(), 3u);
    auto model = readGguf((*paths)[0]);
    ASSERT_TRUE(model.ok()) << model.error().toString();
    expectFiveTensors(*model, {0, 0, 1, 1, 2});
}

TEST(GgufSplit, CancelledSplitLeavesNoShard) {
    ScratchFolder dir;
    GgufSplitOptions split;
    split.maxTensorsPerShard = 1;
    test::RecordingProgress progress(3);
    auto paths =
        writeGgufSplit(dir / "model", {}, fiveTensors(), test::patternProducer(), {}, split, progress);
    ASSERT_FALSE(paths.ok());
    EXPECT_TRUE(paths.error().cancelled);
    EXPECT_TRUE(dir.entries().empty());
}

} // namespace matryx
