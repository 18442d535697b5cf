// Importance matrices in llama.cpp's two file formats, built here byte by byte (legacy) or with
// the GGUF writer, and read as llama-quantize reads them.

#include "format/gguf_writer.h"
#include "quant/importance_matrix.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

namespace matryx {
namespace {

class LegacyBytes {
public:
    LegacyBytes& i32(int32_t v) { return put(&v, 4); }
    LegacyBytes& f32(float v) { return put(&v, 4); }
    LegacyBytes& str(const std::string& s) {
        i32(static_cast<int32_t>(s.size()));
        return put(s.data(), s.size());
    }
    std::vector<std::byte> bytes;

private:
    LegacyBytes& put(const void* p, size_t n) {
        const auto* b = static_cast<const std::byte*>(p);
        bytes.insert(bytes.end(), b, b + n);
        return *this;
    }
};

TEST(ImportanceMatrix, Legacy) {
    LegacyBytes b;
    b.i32(2);
    b.str("blk.0.attn_q.weight").i32(4).i32(3).f32(2).f32(6).f32(1);
    b.str("output.weight").i32(0).i32(2).f32(5).f32(7);
    b.i32(10).str("wiki.train");
    auto m = readImportanceMatrix(b.bytes, "m.dat");
    ASSERT_TRUE(m) << m.error().toString();
    EXPECT_TRUE(m->legacy);
    EXPECT_EQ(m->weights.at("blk.0.attn_q.weight"),
              (std::vector<float>{0.5f, 1.5f, 0.25f}));                    // divided by ncall
    EXPECT_EQ(m->weights.at("output.weight"), (std::vector<float>{5, 7})); // ncall 0: as stored
    EXPECT_EQ(m->chunkCount, 10u);
    EXPECT_EQ(m->datasets, std::vector<std::string>{"wiki.train"});

    // The trailer is optional.
    LegacyBytes plain;
    plain.i32(1).str("a.weight").i32(1).i32(1).f32(3);
    auto p = readImportanceMatrix(plain.bytes, "p.dat");
    ASSERT_TRUE(p) << p.error().toString();
    EXPECT_EQ(p->chunkCount, 0u);
    EXPECT_EQ(p->weights.at("a.weight"), std::vector<float>{3});
}

TEST(ImportanceMatrix, LegacyErrorsNameFieldAndOffset) {
    LegacyBytes b;
    b.i32(1).str("a.weight").i32(1).i32(4).f32(1).f32(2); // two of four values
    auto r = readImportanceMatrix(b.bytes, "m.dat");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().file, "m.dat");
    EXPECT_EQ(r.error().field, "entries[0].values");
    EXPECT_EQ(r.error().offset, 4u + 4u + 8u + 4u + 4u);

    LegacyBytes none;
    none.i32(0);
    EXPECT_EQ(readImportanceMatrix(none.bytes, "m.dat").error().field, "n_entries");
    EXPECT_EQ(readImportanceMatrix(std::span<const std::byte>(), "m.dat").error().field, "n_entries");

    LegacyBytes negative;
    negative.i32(1).i32(-5);
    EXPECT_EQ(readImportanceMatrix(negative.bytes, "m.dat").error().field, "entries[0].name_length");

    LegacyBytes huge;
    huge.i32(1).i32(std::numeric_limits<int32_t>::max());
    EXPECT_EQ(readImportanceMatrix(huge.bytes, "m.dat").error().field, "entries[0].name");

    LegacyBytes noValues;
    noValues.i32(1).str("a").i32(1).i32(0);
    EXPECT_EQ(readImportanceMatrix(noValues.bytes, "m.dat").error().field, "entries[0].nval");

    LegacyBytes nan;
    nan.i32(1).str("a").i32(1).i32(2).f32(1).f32(std::nanf(""));
    auto n = readImportanceMatrix(nan.bytes, "m.dat");
    ASSERT_FALSE(n);
    EXPECT_EQ(n.error().offset, 4u + 5u + 8u + 4u);
}

class GgufMatrix : public ::testing::Test {
protected:
    void SetUp() override {
        path_ = std::filesystem::path(::testing::TempDir()) / "imatrix_test.gguf";
        std::filesystem::remove(path_);
    }
    void TearDown() override { std::filesystem::remove(path_); }

    // One weight tensor of rows of 4 in 2 matrices: sums 1..8, counts {2.4, 0}.
    Status write(bool withMetadata, bool withCounts) {
        Metadata md;
        if (withMetadata) {
            md.set("imatrix.datasets", MetaValue::stringArray({"calibration.txt"}));
            md.set("imatrix.chunk_count", MetaValue::u32(6));
            md.set("imatrix.chunk_size", MetaValue::u32(512));
        }
        std::vector<OutputTensor> tensors = {{"blk.0.ffn_up_exps.weight.in_sum2", TensorType::F32, {4, 2}}};
        if (withCounts) tensors.push_back({"blk.0.ffn_up_exps.weight.counts", TensorType::F32, {1, 2}});
        const auto produce = [](size_t i, std::span<std::byte> out) {
            const std::vector<float> sums = {1, 2, 3, 4, 5, 6, 7, 8}, counts = {2.4f, 0.0f};
            const auto& v = i == 0 ? sums : counts;
            std::memcpy(out.data(), v.data(), out.size());
            return Status{};
        };
        return writeGguf(path_, md, tensors, produce, WriteOptions{}, Progress::none());
    }

    std::filesystem::path path_;
};

TEST_F(GgufMatrix, SumsOverRoundedCounts) {
    ASSERT_TRUE(write(true, true));
    auto m = readImportanceMatrix(path_);
    ASSERT_TRUE(m) << m.error().toString();
    EXPECT_FALSE(m->legacy);
    EXPECT_EQ(m->chunkCount, 6u);
    EXPECT_EQ(m->datasets, std::vector<std::string>{"calibration.txt"});
    ASSERT_EQ(m->weights.size(), 1u);
    // Count 2.4 rounds to 2; a zero count gives weights of 1.
    EXPECT_EQ(m->weights.at("blk.0.ffn_up_exps.weight"), (std::vector<float>{0.5f, 1, 1.5f, 2, 1, 1, 1, 1}));
}

TEST_F(GgufMatrix, RefusedWithoutMetadataOrCounts) {
    ASSERT_TRUE(write(false, true));
    auto r = readImportanceMatrix(path_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "metadata['imatrix.datasets']");
    std::filesystem::remove(path_);
    ASSERT_TRUE(write(true, false));
    r = readImportanceMatrix(path_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "tensors['blk.0.ffn_up_exps.weight']");
}

} // namespace
} // namespace matryx
