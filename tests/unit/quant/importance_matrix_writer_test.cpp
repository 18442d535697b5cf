// Importance matrices written in llama-imatrix's two formats and read back with the reader that
// llama-quantize's rules are built into; the GGUF layout checked tensor by tensor.

#include "format/gguf_reader.h"
#include "quant/importance_matrix.h"

#include <gtest/gtest.h>

#include <cstring>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace matryx {
namespace {

class TempPath {
public:
    explicit TempPath(const std::string& name)
        : path_(std::filesystem::temp_directory_path() /
                ("matryx-imatrix-" + std::to_string(getpid()) + "-" + name)) {}
    ~TempPath() { std::filesystem::remove(path_); }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// Two plain matrices and one of two stacked experts, the second never routed to.
ImportanceData sample() {
    ImportanceData d;
    d.entries.push_back({"blk.1.ffn_down.weight", {8, 12, 0.5f}, {2, -2, 1}, {4}});
    d.entries.push_back({"blk.0.attn_q.weight", {3, 6}, {}, {3}});
    d.entries.push_back({"blk.0.ffn_up_exps.weight", {2, 4, 9, 9}, {1, 1, 1, 1}, {2, 0}});
    d.datasets = {"calibration.txt"};
    d.chunkCount = 2;
    d.chunkSize = 2;
    return d;
}

TEST(ImportanceMatrixWriter, GgufRoundTrip) {
    TempPath file("roundtrip.gguf");
    ASSERT_TRUE(writeImportanceMatrix(file.path(), sample(), ImportanceFormat::Gguf));
    auto m = readImportanceMatrix(file.path());
    ASSERT_TRUE(m) << m.error().toString();
    EXPECT_FALSE(m->legacy);
    EXPECT_EQ(m->chunkCount, 2u);
    EXPECT_EQ(m->datasets, std::vector<std::string>{"calibration.txt"});
    ASSERT_EQ(m->weights.size(), 3u);
    EXPECT_EQ(m->weights.at("blk.1.ffn_down.weight"), (std::vector<float>{2, 3, 0.125f}));
    EXPECT_EQ(m->weights.at("blk.0.attn_q.weight"), (std::vector<float>{1, 2}));
    // The expert without rows gets weight 1, as llama-quantize gives it.
    EXPECT_EQ(m->weights.at("blk.0.ffn_up_exps.weight"), (std::vector<float>{1, 2, 1, 1}));
}

TEST(ImportanceMatrixWriter, GgufLayoutIsLlamaImatrixs) {
    TempPath file("layout.gguf");
    ASSERT_TRUE(writeImportanceMatrix(file.path(), sample(), ImportanceFormat::Gguf));
    auto model = readGguf(file.path());
    ASSERT_TRUE(model) << model.error().toString();
    EXPECT_EQ(model->metadata.getString("general.type"), "imatrix");
    ASSERT_TRUE(model->metadata.find("imatrix.chunk_count"));
    EXPECT_EQ(model->metadata.find("imatrix.chunk_count")->type(), MetaType::U32);
    EXPECT_EQ(model->metadata.getUnsigned("imatrix.chunk_size"), 2u);
    std::vector<std::string> names;
    for (const auto& t : model->tensors)
        names.push_back(t.name);
    // Sorted by weight name; in_sum2, counts, then in_sum when sums were collected.
    EXPECT_EQ(names, (std::vector<std::string>{
                         "blk.0.attn_q.weight.in_sum2", "blk.0.attn_q.weight.counts",
                         "blk.0.ffn_up_exps.weight.in_sum2", "blk.0.ffn_up_exps.weight.counts",
                         "blk.0.ffn_up_exps.weight.in_sum", "blk.1.ffn_down.weight.in_sum2",
                         "blk.1.ffn_down.weight.counts", "blk.1.ffn_down.weight.in_sum"}));
    const TensorInfo* experts = model->findTensor("blk.0.ffn_up_exps.weight.in_sum2");
    EXPECT_EQ(experts->shape, (std::vector<int64_t>{2, 2}));
    EXPECT_EQ(model->findTensor("blk.0.ffn_up_exps.weight.counts")->shape, (std::vector<int64_t>{1, 2}));
    const auto counts = model->data(*model->findTensor("blk.1.ffn_down.weight.counts"));
    float count = 0;
    std::memcpy(&count, counts.data(), 4);
    EXPECT_EQ(count, 4.0f);
}

TEST(ImportanceMatrixWriter, LegacyRoundTrip) {
    TempPath file("roundtrip.dat");
    ImportanceData d = sample();
    d.chunkSize = 4; // ncall: ceil(4 / 4) = 1, ceil(3 / 4) = 1, ceil(2 / 4) = 1
    ASSERT_TRUE(writeImportanceMatrix(file.path(), d, ImportanceFormat::Legacy));
    auto m = readImportanceMatrix(file.path());
    ASSERT_TRUE(m) << m.error().toString();
    EXPECT_TRUE(m->legacy);
    EXPECT_EQ(m->chunkCount, 2u);
    EXPECT_EQ(m->datasets, std::vector<std::string>{"calibration.txt"});
    EXPECT_EQ(m->weights.at("blk.1.ffn_down.weight"), (std::vector<float>{2, 3, 0.125f}));
    EXPECT_EQ(m->weights.at("blk.0.ffn_up_exps.weight"), (std::vector<float>{1, 2, 1, 1}));
}

TEST(ImportanceMatrixWriter, LegacyStoresMeanTimesCallCount) {
    TempPath file("ncall.dat");
    ImportanceData d;
    d.entries.push_back({"blk.0.attn_k.weight", {40, 80}, {}, {10}});
    d.chunkSize = 4; // ncall = ceil(10 / 4) = 3: values 4 * 3 and 8 * 3
    d.chunkCount = 3;
    ASSERT_TRUE(writeImportanceMatrix(file.path(), d, ImportanceFormat::Legacy));
    std::ifstream in(file.path(), std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    int32_t ncall = 0;
    float values[2] = {};
    const size_t at = 4 + 4 + std::string("blk.0.attn_k.weight").size();
    ASSERT_GE(bytes.size(), at + 16);
    std::memcpy(&ncall, bytes.data() + at, 4);
    std::memcpy(values, bytes.data() + at + 8, 8);
    EXPECT_EQ(ncall, 3);
    EXPECT_EQ(values[0], 12.0f);
    EXPECT_EQ(values[1], 24.0f);
    // Trailer: chunk count, then an empty dataset name.
    ASSERT_EQ(bytes.size(), at + 16 + 8);
}

TEST(ImportanceMatrixWriter, RefusesInconsistentEntries) {
    TempPath file("bad.gguf");
    ImportanceData d;
    d.entries.push_back({"blk.0.attn_q.weight", {1, 2, 3}, {}, {1, 1}});
    auto s = writeImportanceMatrix(file.path(), d, ImportanceFormat::Gguf);
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().toString().find("blk.0.attn_q.weight"), std::string::npos);
    d.entries[0] = {"blk.0.attn_q.weight", {1, 2}, {1}, {1}};
    EXPECT_FALSE(writeImportanceMatrix(file.path(), d, ImportanceFormat::Gguf));
    EXPECT_FALSE(writeImportanceMatrix(file.path(), ImportanceData{}, ImportanceFormat::Gguf));
    d.entries[0] = {"blk.0.attn_q.weight", {1, 2}, {}, {0}};
    d.chunkSize = 1;
    // Nothing with data is left for the legacy format.
    EXPECT_FALSE(writeImportanceMatrix(file.path(), d, ImportanceFormat::Legacy));
    EXPECT_FALSE(std::filesystem::exists(file.path()));
}

TEST(ImportanceMatrixWriter, KeepsAnExistingFileUnlessOverwriting) {
    TempPath file("exists.gguf");
    ASSERT_TRUE(writeImportanceMatrix(file.path(), sample(), ImportanceFormat::Gguf));
    EXPECT_FALSE(writeImportanceMatrix(file.path(), sample(), ImportanceFormat::Gguf));
    EXPECT_TRUE(writeImportanceMatrix(file.path(), sample(), ImportanceFormat::Gguf, Overwrite::Yes));
}

} // namespace
} // namespace matryx
