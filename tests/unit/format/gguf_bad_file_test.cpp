// One test per defect: each breaks one field of an otherwise valid file and checks the reader
// names that field at the byte where it starts.

#include "format/gguf_builder.h"
#include "format/gguf_format.h"
#include "format/gguf_metadata_parser.h"
#include "format/gguf_reader.h"

#include <gtest/gtest.h>

namespace matryx {

namespace {

using test::GgufBuilder;
using test::GgufBytes;
using test::GgufLayout;

constexpr uint64_t kHuge = uint64_t{1} << 60;

// kv[0..2] and three tensors; tensor 1 is Q4_0 (2 rows of 2 blocks of 18 bytes).
GgufBuilder standard() {
    return GgufBuilder()
        .kvString("general.architecture", "llama")
        .kvU32("llama.block_count", 2)
        .kv("tokenizer.ggml.tokens", test::kArray,
            GgufBytes().arrayHeader(test::kString, 3).str("a").str("bb").str("ccc").bytes)
        .tensor("token_embd.weight", 0, {8, 2}, 64)
        .tensor("blk.0.attn_q.weight", 2, {64, 2}, 72)
        .tensor("output_norm.weight", 1, {8}, 16);
}

Error readError(const std::vector<std::byte>& bytes) {
    auto model = readGgufSource(ByteSource::own(bytes, "bad.gguf"));
    EXPECT_FALSE(model.ok()) << "the defect was not noticed";
    return model.ok() ? Error{} : model.error();
}

void expectError(const GgufLayout& layout, const std::string& field, uint64_t offset,
                 const std::string& words) {
    const Error e = readError(layout.bytes);
    EXPECT_EQ(e.file, "bad.gguf");
    EXPECT_EQ(e.field, field) << e.toString();
    EXPECT_EQ(e.offset, offset) << e.toString();
    EXPECT_NE(e.message.find(words), std::string::npos) << e.toString();
    EXPECT_FALSE(e.cancelled);
}

} // namespace

TEST(GgufBadFile, StandardFileIsValid) {
    const auto layout = standard().build();
    auto model = readGgufSource(ByteSource::own(layout.bytes, "bad.gguf"));
    ASSERT_TRUE(model.ok()) << model.error().toString();
    EXPECT_EQ(model->tensors.size(), 3u);
}

TEST(GgufBadFile, TruncatedAnywhereBeforeTheLastTensorEnds) {
    const auto layout = standard().build();
    const uint64_t end = layout.tensors.back().data + layout.tensors.back().bytes;
    for (uint64_t n = 0; n < end; ++n) {
        const std::vector<std::byte> cut(layout.bytes.begin(),
                                         layout.bytes.begin() + static_cast<ptrdiff_t>(n));
        const Error e = readError(cut);
        EXPECT_FALSE(e.field.empty()) << "cut at " << n;
        ASSERT_TRUE(e.offset.has_value()) << "cut at " << n;
        EXPECT_LE(*e.offset, n) << "cut at " << n << ": " << e.toString();
    }
    // Only the zero padding after the last tensor may go missing.
    for (uint64_t n = end; n <= layout.bytes.size(); ++n) {
        const std::vector<std::byte> cut(layout.bytes.begin(),
                                         layout.bytes.begin() + static_cast<ptrdiff_t>(n));
        EXPECT_TRUE(readGgufSource(ByteSource::own(cut, "bad.gguf")).ok()) << "cut at " << n;
    }
}

// Counts are checked against the bytes left before their items are read, so a cut often shows
// as a count that cannot fit; these cuts leave the counts plausible to reach the field itself.
TEST(GgufBadFile, TruncatedFieldsAreNamed) {
    const auto cut = [](const GgufLayout& layout, uint64_t n) {
        return readError(
            std::vector<std::byte>(layout.bytes.begin(), layout.bytes.begin() + static_cast<ptrdiff_t>(n)));
    };
    const auto layout = standard().build();
    EXPECT_EQ(cut(layout, 2).field, "header.magic");
    EXPECT_EQ(cut(layout, 6).field, "header.version");
    EXPECT_EQ(cut(layout, 12).field, "header.n_tensors");
    EXPECT_EQ(cut(layout, 20).field, "header.n_kv");
    const Error inDims = cut(layout, layout.tensors[1].dims + 12);
    EXPECT_EQ(inDims.field, "tensor_infos[1].shape[1]");
    EXPECT_EQ(inDims.offset, layout.tensors[1].dims + 8);
    const Error inData = cut(layout, layout.tensors[2].data + 3);
    EXPECT_EQ(inData.field, "tensor_infos[2].offset");
    EXPECT_EQ(inData.offset, layout.tensors[2].offset);

    const auto metadataOnly =
        GgufBuilder()
            .kvString("general.architecture", "llama")
            .kvU32("llama.block_count", 2)
            .kv("tokens", test::kArray,
                GgufBytes().arrayHeader(test::kString, 3).str("a").str("bb").str("a long token").bytes)
            .build();
    const Error inKey = cut(metadataOnly, metadataOnly.kvs[1].key + 10);
    EXPECT_EQ(inKey.field, "kv[1].key");
    EXPECT_EQ(inKey.offset, metadataOnly.kvs[1].key);
    const uint64_t thirdItem = metadataOnly.kvs[2].value + 12 + 9 + 10;
    const Error inItem = cut(metadataOnly, thirdItem + 8 + 3);
    EXPECT_EQ(inItem.field, "kv[2].value[2]");
    EXPECT_EQ(inItem.offset, thirdItem);
    EXPECT_NE(inItem.message.find("string of 12 bytes runs past the end of the file (3 bytes left)"),
              std::string::npos)
        << inItem.message;
}

TEST(GgufBadFile, WrongMagic) {
    auto layout = standard().build();
    layout.bytes[3] = std::byte{'X'};
    expectError(layout, "header.magic", 0, "'GGUX'");
}

TEST(GgufBadFile, Version1IsRefusedByName) {
    expectError(standard().version(1).build(), "header.version", 4, "version 1 is no longer supported");
}

TEST(GgufBadFile, Version4IsRefused) {
    expectError(standard().version(4).build(), "header.version", 4, "version 4 is not supported");
}

TEST(GgufBadFile, ByteSwappedVersionSaysBigEndian) {
    expectError(standard().version(0x03000000).build(), "header.version", 4, "big-endian");
}

TEST(GgufBadFile, HugeTensorCountFailsBeforeAnyParsing) {
    auto layout = standard().build();
    layout.patchU64(8, kHuge);
    expectError(layout, "header.n_tensors", 8,
                "1152921504606846976 tensors are more than the reader's limit");
    layout.patchU64(8, 1000);
    expectError(layout, "header.n_tensors", 8, "1000 tensor infos cannot fit in the");
}

TEST(GgufBadFile, HugeKvCount) {
    auto layout = standard().build();
    layout.patchU64(16, kHuge);
    expectError(layout, "header.n_kv", 16, "key/value pairs cannot fit");
}

TEST(GgufBadFile, TensorCountOverTheReadersLimit) {
    auto layout = standard().build();
    layout.patchU64(8, gguf::kMaxTensors + 1);
    expectError(layout, "header.n_tensors", 8, "more than the reader's limit of 1048576");
}

// The cap on metadata values (2^26) needs a 64 MiB file to reach; the same check is driven here
// with a small limit.
TEST(GgufBadFile, MetadataValuesOverTheLimit) {
    const auto layout = standard().build();
    const std::string file = "bad.gguf";
    ByteCursor cursor(layout.bytes, 24);
    auto tooMany = parseGgufMetadata(cursor, 3, file, 2);
    ASSERT_FALSE(tooMany.ok());
    EXPECT_EQ(tooMany.error().field, "header.n_kv");
    EXPECT_EQ(tooMany.error().offset, 16u);

    cursor.seek(24);
    auto arrayTooLong = parseGgufMetadata(cursor, 3, file, 5); // 3 keys + 3 tokens = 6 values
    ASSERT_FALSE(arrayTooLong.ok());
    EXPECT_EQ(arrayTooLong.error().field, "kv[2].value.count");
    EXPECT_EQ(arrayTooLong.error().offset, layout.kvs[2].value + 4);
    EXPECT_NE(arrayTooLong.error().message.find("limit"), std::string::npos);

    cursor.seek(24);
    EXPECT_TRUE(parseGgufMetadata(cursor, 3, file, 6).ok());
}

TEST(GgufBadFile, TensorCountTooLargeForWhatFollowsTheMetadata) {
    auto layout = standard().build();
    // Fits the bytes after the header, not the bytes after the metadata.
    layout.patchU64(8, (layout.bytes.size() - 24) / 24);
    const Error e = readError(layout.bytes);
    EXPECT_EQ(e.field, "header.n_tensors");
    EXPECT_EQ(e.offset, 8u);
}

TEST(GgufBadFile, KeyLengthPastEnd) {
    auto layout = standard().build();
    layout.patchU64(layout.kvs[1].key, kHuge);
    expectError(layout, "kv[1].key", layout.kvs[1].key, "runs past the end of the file");
}

TEST(GgufBadFile, StringValueLengthPastEnd) {
    auto layout = standard().build();
    layout.patchU64(layout.kvs[0].value, layout.bytes.size());
    expectError(layout, "kv[0].value", layout.kvs[0].value, "runs past the end of the file");
}

TEST(GgufBadFile, StringInArrayPastEnd) {
    auto layout = standard().build();
    layout.patchU64(layout.kvs[2].value + 12 + 9, UINT64_MAX);
    expectError(layout, "kv[2].value[1]", layout.kvs[2].value + 12 + 9, "runs past the end of the file");
}

TEST(GgufBadFile, HugeArrayCount) {
    auto layout = standard().build();
    layout.patchU64(layout.kvs[2].value + 4, kHuge);
    expectError(layout, "kv[2].value.count", layout.kvs[2].value + 4, "cannot fit");
}

TEST(GgufBadFile, NestedArrayDepthBomb) {
    GgufBytes bomb;
    for (int i = 0; i < 10000; ++i)
        bomb.arrayHeader(test::kArray, 1);
    const auto layout = GgufBuilder().kv("bomb", test::kArray, bomb.bytes).build();
    std::string field = "kv[0].value";
    for (int i = 0; i < 8; ++i)
        field += "[0]";
    expectError(layout, field, layout.kvs[0].value + 8 * 12, "nested more than 8 deep");
}

TEST(GgufBadFile, UnknownValueType) {
    auto layout = standard().build();
    layout.patchU32(layout.kvs[1].type, 13);
    expectError(layout, "kv[1].type", layout.kvs[1].type, "unknown value type 13");
}

TEST(GgufBadFile, UnknownArrayElementType) {
    auto layout = standard().build();
    layout.patchU32(layout.kvs[2].value, 0xFFFFFFFF);
    expectError(layout, "kv[2].value.type", layout.kvs[2].value, "unknown array element type");
}

TEST(GgufBadFile, EmptyKey) {
    const auto layout = GgufBuilder().kvU32("", 1).build();
    expectError(layout, "kv[0].key", 24, "empty key");
}

TEST(GgufBadFile, DuplicateKey) {
    const auto layout = standard().kvU32("llama.block_count", 3).build();
    expectError(layout, "kv[3].key", layout.kvs[3].key, "duplicate key 'llama.block_count' (first at kv[1])");
}

TEST(GgufBadFile, AlignmentZero) {
    const auto layout = standard().kvU32("general.alignment", 0).build();
    expectError(layout, "kv[3].value", layout.kvs[3].value, "not a power of two");
}

TEST(GgufBadFile, AlignmentThree) {
    const auto layout = standard().kvU32("general.alignment", 3).build();
    expectError(layout, "kv[3].value", layout.kvs[3].value, "general.alignment 3 is not a power of two");
}

TEST(GgufBadFile, AlignmentOfWrongType) {
    const auto layout =
        standard().kv("general.alignment", test::kU64, GgufBytes().put<uint64_t>(32).bytes).build();
    expectError(layout, "kv[3].type", layout.kvs[3].type, "must be UINT32, not UINT64");
}

TEST(GgufBadFile, UnknownTensorType) {
    auto layout = standard().build();
    layout.patchU32(layout.tensors[1].type, 99);
    expectError(layout, "tensor_infos[1].type", layout.tensors[1].type,
                "tensor type id 99 is not a ggml type id");
}

TEST(GgufBadFile, RemovedTensorTypeSaysWhatItWas) {
    auto layout = standard().build();
    layout.patchU32(layout.tensors[1].type, 4);
    expectError(layout, "tensor_infos[1].type", layout.tensors[1].type, "removed from ggml (was Q4_2)");
    layout.patchU32(layout.tensors[1].type, 32);
    expectError(layout, "tensor_infos[1].type", layout.tensors[1].type, "was Q4_0_4_8");
}

TEST(GgufBadFile, SafetensorsOnlyTypeIsNotGgml) {
    auto layout = standard().build();
    layout.patchU32(layout.tensors[0].type, 1000);
    expectError(layout, "tensor_infos[0].type", layout.tensors[0].type, "(U8) is not a ggml type");
}

TEST(GgufBadFile, FiveDimensions) {
    const auto layout = standard().tensor("x", 0, {1, 1, 1, 1, 1}, 4).build();
    expectError(layout, "tensor_infos[3].n_dims", layout.tensors[3].nDims, "5 dimensions");
}

TEST(GgufBadFile, HugeNDims) {
    auto layout = standard().build();
    layout.patchU32(layout.tensors[0].nDims, 0xFFFFFFFF);
    expectError(layout, "tensor_infos[0].n_dims", layout.tensors[0].nDims, "at most 4");
}

TEST(GgufBadFile, NegativeDimension) {
    auto layout = standard().build();
    layout.patchI64(layout.tensors[1].dims + 8, -2);
    expectError(layout, "tensor_infos[1].shape[1]", layout.tensors[1].dims + 8, "negative dimension -2");
}

TEST(GgufBadFile, ShapeProductOverflow) {
    const auto layout = standard().tensor("x", 0, {int64_t{1} << 32, int64_t{1} << 31, 2}, 4).build();
    expectError(layout, "tensor_infos[3].shape", layout.tensors[3].dims, "more than 2^63 elements");
}

TEST(GgufBadFile, ByteSizeOverflow) {
    // 2^62 F32 elements fit int64, their 2^64 bytes do not.
    const auto layout = standard().tensor("x", 0, {int64_t{1} << 31, int64_t{1} << 31}, 4).build();
    expectError(layout, "tensor_infos[3].shape", layout.tensors[3].dims, "overflows");
}

TEST(GgufBadFile, RowNotAMultipleOfTheBlockSize) {
    const auto layout = standard().tensor("x", 2 /*Q4_0*/, {33}, 18).build();
    expectError(layout, "tensor_infos[3].shape[0]", layout.tensors[3].dims,
                "row length 33 is not a multiple of the Q4_0 block size 32");
}

TEST(GgufBadFile, WholeBlocksOverallButNotPerRow) {
    const auto layout = standard().tensor("x", 2 /*Q4_0*/, {16, 2}, 18).build();
    expectError(layout, "tensor_infos[3].shape[0]", layout.tensors[3].dims, "row length 16");
}

TEST(GgufBadFile, MisalignedOffset) {
    auto layout = standard().build();
    layout.patchU64(layout.tensors[1].offset, 64 + 16);
    expectError(layout, "tensor_infos[1].offset", layout.tensors[1].offset,
                "not a multiple of the alignment 32");
}

TEST(GgufBadFile, DataPastEndOfFile) {
    auto layout = standard().build();
    layout.patchU64(layout.tensors[2].offset, layout.bytes.size() - layout.dataStart);
    expectError(layout, "tensor_infos[2].offset", layout.tensors[2].offset, "runs past the end of the file");
}

TEST(GgufBadFile, OffsetFarPastEndOfFile) {
    auto layout = standard().build();
    layout.patchU64(layout.tensors[0].offset, UINT64_MAX - 31);
    expectError(layout, "tensor_infos[0].offset", layout.tensors[0].offset, "past the end of the file");
}

TEST(GgufBadFile, OverlappingTensors) {
    auto layout = standard().build();
    // Tensor 2 (16 bytes) moved to start 32 bytes into tensor 0 (64 bytes).
    layout.patchU64(layout.tensors[2].offset, 32);
    expectError(layout, "tensor_infos[2].offset", layout.tensors[2].offset, "overlaps 'token_embd.weight'");
}

TEST(GgufBadFile, OverlapIsFoundWhateverTheInfoOrder) {
    auto layout = standard().build();
    layout.patchU64(layout.tensors[0].offset, layout.tensors[1].data - layout.dataStart);
    expectError(layout, "tensor_infos[1].offset", layout.tensors[1].offset, "overlaps 'token_embd.weight'");
}

TEST(GgufBadFile, DuplicateTensorName) {
    const auto layout = standard().tensor("blk.0.attn_q.weight", 0, {4}, 16).build();
    expectError(layout, "tensor_infos[3].name", layout.tensors[3].name,
                "duplicate tensor name 'blk.0.attn_q.weight'");
}

TEST(GgufBadFile, TensorNameLengthPastEnd) {
    auto layout = standard().build();
    layout.patchU64(layout.tensors[2].name, kHuge);
    expectError(layout, "tensor_infos[2].name", layout.tensors[2].name, "runs past the end of the file");
}

} // namespace matryx
