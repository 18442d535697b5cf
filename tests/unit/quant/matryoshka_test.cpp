// Matryoshka nesting: the slicing rule worked by hand, the exact Q4_1/Q5_1 exports against ggml's
// dequantization, the quantizer's search against plain min-max, and the nested file written,
// read back and sliced.

#include "format/gguf_reader.h"
#include "format/gguf_writer.h"
#include "plan_test_model.h"
#include "quant/matryoshka_error.h"
#include "quant/matryoshka_export.h"
#include "quant/matryoshka_file.h"
#include "quant/matryoshka_quantizer.h"
#include "quant/matryoshka_slice.h"
#include "quant/matryoshka_slicer.h"
#include "quant/matryoshka_writer.h"
#include "tensor/dequantize.h"
#include "tensor/float_convert.h"
#include "tensor/quantize.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>

namespace matryx {
namespace {

namespace fs = std::filesystem;
using T = TensorType;

std::vector<float> gaussian(size_t n, unsigned seed, float sigma = 0.02f) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, sigma);
    std::vector<float> v(n);
    for (auto& x : v)
        x = normal(rng);
    return v;
}

struct Nested {
    std::vector<int8_t> codes;
    std::vector<uint16_t> scales, mins;
};

Nested nest(const std::vector<float>& values, int64_t rowLength, int threads = 1) {
    Nested n;
    n.codes.resize(values.size());
    n.scales.resize(values.size() / kMatryoshkaGroup);
    n.mins.resize(n.scales.size());
    EXPECT_TRUE(nestRows(values, rowLength, n.codes, n.scales, n.mins, threads));
    return n;
}

double sse(const std::vector<float>& a, const std::vector<float>& b) {
    double s = 0;
    for (size_t i = 0; i < a.size(); ++i)
        s += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    return s;
}

TEST(MatryoshkaSlice, KeepsTheTopBitsRoundedAndClamped) {
    // q_r = min((q + 2^(7-r)) >> (8-r), 2^r - 1), worked by hand.
    EXPECT_EQ(sliceCode(0, 4), 0);
    EXPECT_EQ(sliceCode(7, 4), 0);  // (7 + 8) >> 4
    EXPECT_EQ(sliceCode(8, 4), 1);  // halves round up
    EXPECT_EQ(sliceCode(23, 4), 1); // (23 + 8) >> 4
    EXPECT_EQ(sliceCode(24, 4), 2);
    EXPECT_EQ(sliceCode(247, 4), 15); // (247 + 8) >> 4
    EXPECT_EQ(sliceCode(255, 4), 15); // 16 clamped to 15
    EXPECT_EQ(sliceCode(31, 2), 0);   // (31 + 32) >> 6
    EXPECT_EQ(sliceCode(32, 2), 1);
    EXPECT_EQ(sliceCode(160, 2), 3); // (160 + 32) >> 6
    EXPECT_EQ(sliceCode(255, 2), 3); // 4 clamped
    EXPECT_EQ(sliceCode(63, 1), 0);  // (63 + 64) >> 7
    EXPECT_EQ(sliceCode(64, 1), 1);
    for (int q = 0; q < 256; ++q)
        EXPECT_EQ(sliceCode(uint8_t(q), 8), q);
    // Stored codes are q - 128 in an int8.
    EXPECT_EQ(matryoshkaCode(-128), 0);
    EXPECT_EQ(matryoshkaCode(127), 255);
    EXPECT_EQ(storedMatryoshkaCode(200), 72);
}

TEST(MatryoshkaSlice, ValuesUseTheWidenedStep) {
    const uint16_t scale = f32ToFp16(0.01f), min = f32ToFp16(-0.5f);
    std::vector<int8_t> codes(kMatryoshkaGroup);
    for (int j = 0; j < kMatryoshkaGroup; ++j)
        codes[j] = storedMatryoshkaCode(uint8_t(j * 8));
    std::vector<float> out(kMatryoshkaGroup);
    sliceValues(codes.data(), &scale, &min, kMatryoshkaGroup, 4, out.data());
    const float s = fp16ToF32(scale), m = fp16ToF32(min);
    for (int j = 0; j < kMatryoshkaGroup; ++j) {
        const int q4 = std::min((j * 8 + 8) >> 4, 15);
        EXPECT_FLOAT_EQ(out[j], float(q4) * (s * 16.0f) + m) << j;
    }
    EXPECT_EQ(sliceStep(scale, 8), s);
    EXPECT_EQ(sliceStep(scale, 2), s * 64.0f);
}

TEST(MatryoshkaQuantizer, RejectsRowsThatAreNotWholeGroups) {
    std::vector<float> v(96);
    std::vector<int8_t> codes(96);
    std::vector<uint16_t> scales(3), mins(3);
    EXPECT_FALSE(nestRows(v, 48, codes, scales, mins));
    EXPECT_FALSE(nestRows(v, 0, codes, scales, mins));
    std::vector<uint16_t> few(2);
    EXPECT_FALSE(nestRows(v, 32, codes, few, mins));
    EXPECT_TRUE(nestRows(v, 32, codes, scales, mins));
}

TEST(MatryoshkaQuantizer, ThreadsDoNotChangeTheCodes) {
    const auto values = gaussian(64 * 256, 3);
    const Nested one = nest(values, 256, 1);
    const Nested three = nest(values, 256, 3);
    EXPECT_EQ(one.codes, three.codes);
    EXPECT_EQ(one.scales, three.scales);
    EXPECT_EQ(one.mins, three.mins);
}

TEST(MatryoshkaQuantizer, SearchBeatsMinMaxOverTheNestedWidths) {
    // The search keeps min-max unless another candidate lowers the weighted 8/4/2-bit error, so
    // summed over the widths it is never worse; on Gaussian data it must be better at 2 bits.
    const auto values = gaussian(128 * 256, 11);
    const Nested n = nest(values, 256);
    MatryoshkaErrors errors;
    ASSERT_TRUE(
        addMatryoshkaErrors(values.data(), n.codes.data(), n.scales.data(), n.mins.data(), 128, 256, errors));
    ASSERT_EQ(errors.values, values.size());
    for (const auto& w : errors.widths) {
        ASSERT_GT(w.nearestSse, 0.0) << w.bits;
        // Each width within a small factor of round-to-nearest at that width.
        EXPECT_LT(w.sliceSse, 1.6 * w.nearestSse) << w.bits << " bits";
        // An exact export has the slice's error; a requantized one may differ a little.
        if (w.bits == 4 || w.bits == 5) {
            EXPECT_EQ(w.exportSse, w.sliceSse) << w.bits;
        }
    }
    const auto at = [&](int bits) {
        for (const auto& w : errors.widths)
            if (w.bits == bits) return w;
        return MatryoshkaWidthError{};
    };
    EXPECT_LT(at(2).sliceSse, at(2).nearestSse); // the clipping search pays off where it matters
    // Wider slices are closer: each extra bit at least halves the RMSE, roughly.
    EXPECT_LT(at(8).sliceSse * 4, at(6).sliceSse);
    EXPECT_LT(at(4).sliceSse * 4, at(3).sliceSse * 1.5);
    EXPECT_LT(at(3).sliceSse, at(2).sliceSse);
    // 8-bit slice RMSE against its grid step: a min-max grid over ~8 sigma of 0.02 has steps of
    // about 6e-4, so the RMSE is about step / sqrt(12).
    EXPECT_LT(errors.rmse(at(8).sliceSse), 4e-4);
}

TEST(MatryoshkaQuantizer, NonFiniteValuesAreReadAsFp16) {
    std::vector<float> v(32, 0.25f);
    v[0] = std::nanf("");
    v[1] = INFINITY;
    v[2] = -INFINITY;
    const Nested n = nest(v, 32);
    std::vector<float> back(32);
    sliceValues(n.codes.data(), n.scales.data(), n.mins.data(), 32, 8, back.data());
    for (float x : back)
        EXPECT_TRUE(std::isfinite(x));
    EXPECT_LE(fp16ToF32(n.scales[0]), kMaxMatryoshkaScale);
}

class MatryoshkaExportTest : public ::testing::TestWithParam<int> {};

TEST_P(MatryoshkaExportTest, ExactWidthsDequantizeToTheSliceBitForBit) {
    const int bits = GetParam();
    const int64_t rowLength = 256, rows = 16;
    auto values = gaussian(size_t(rows * rowLength), 5, 0.5f);
    values[7] = 9.0f; // an outlier group
    const Nested n = nest(values, rowLength);
    const T type = matryoshkaExportType(bits, rowLength);
    const auto row = matryoshkaExport(bits);
    ASSERT_TRUE(row);
    EXPECT_EQ(type, row->type);
    std::vector<std::byte> bytes(bytesFor(type, values.size()).value());
    ASSERT_TRUE(
        exportSlice(bits, type, n.codes.data(), n.scales.data(), n.mins.data(), rows, rowLength, bytes));
    std::vector<float> exported(values.size()), slice(values.size());
    ASSERT_TRUE(dequantize(type, bytes, exported));
    sliceValues(n.codes.data(), n.scales.data(), n.mins.data(), int64_t(values.size()), bits, slice.data());
    if (row->exact) {
        EXPECT_EQ(0, std::memcmp(exported.data(), slice.data(), slice.size() * sizeof(float))) << bits;
    } else {
        // Requantized from the slice: in RMSE, at most the slice's error plus a little more than
        // quantizing the original straight to that type costs.
        std::vector<std::byte> straight(bytes.size());
        ASSERT_TRUE(quantize(type, values, rowLength, straight));
        std::vector<float> straightValues(values.size());
        ASSERT_TRUE(dequantize(type, straight, straightValues));
        EXPECT_LT(std::sqrt(sse(exported, values)),
                  std::sqrt(sse(slice, values)) + 1.5 * std::sqrt(sse(straightValues, values)))
            << bits;
        // ... and is exactly what quantizing the slice's values to that type gives.
        std::vector<std::byte> direct(bytes.size());
        ASSERT_TRUE(quantize(type, slice, rowLength, direct));
        EXPECT_EQ(direct, bytes);
    }
}

INSTANTIATE_TEST_SUITE_P(Widths, MatryoshkaExportTest, ::testing::Values(8, 6, 5, 4, 3, 2));

TEST(MatryoshkaExport, TableAndFallbacks) {
    EXPECT_EQ(matryoshkaExportType(4, 256), T::Q4_1);
    EXPECT_EQ(matryoshkaExportType(5, 64), T::Q5_1);
    EXPECT_EQ(matryoshkaExportType(8, 64), T::Q8_0);
    EXPECT_EQ(matryoshkaExportType(6, 256), T::Q6_K);
    EXPECT_EQ(matryoshkaExportType(6, 288), T::Q8_0); // K-quants need rows of 256: llama.cpp's fallback
    EXPECT_EQ(matryoshkaExportType(2, 288), T::Q4_0);
    EXPECT_EQ(matryoshkaExportType(3, 288), T::Q4_0);
    EXPECT_FALSE(matryoshkaExport(7));
    std::vector<int8_t> codes(64);
    std::vector<uint16_t> s(2), m(2);
    std::vector<std::byte> out(bytesFor(T::Q4_0, 64).value());
    EXPECT_FALSE(exportSlice(7, T::Q4_0, codes.data(), s.data(), m.data(), 1, 64, out));
    EXPECT_FALSE(
        exportSlice(4, T::Q4_0, codes.data(), s.data(), m.data(), 1, 64, out)); // not the table's type
}

class MatryoshkaFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::path(::testing::TempDir()) /
               ("matryoshka_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // The plan test model (rows of 256, ffn_down rows of 288) with F16 matrices and a tokenizer.
    Model writeSource() {
        Model shape = test::planTestModel({.blocks = 2});
        Metadata md = shape.metadata;
        md.set("tokenizer.ggml.model", MetaValue::string("gpt2"));
        md.set("tokenizer.ggml.tokens", MetaValue::stringArray({"a", "b"}));
        std::vector<OutputTensor> tensors;
        for (const auto& t : shape.tensors)
            tensors.push_back({t.name, t.type, t.shape});
        unsigned seed = 1;
        const auto produce = [&](size_t i, std::span<std::byte> out) {
            const auto values = gaussian(shape.tensors[i].elements(), seed++);
            return quantize(tensors[i].type, values, tensors[i].shape[0], out);
        };
        EXPECT_TRUE(writeGguf(dir_ / "source.gguf", md, tensors, produce, WriteOptions{}, Progress::none()));
        auto model = readGguf(dir_ / "source.gguf");
        EXPECT_TRUE(model) << model.error().toString();
        return std::move(*model);
    }

    Model writeNested(const Model& source) {
        auto report = writeMatryoshkaModel(source, dir_ / "nested.gguf", {.threads = 2}, Progress::none());
        EXPECT_TRUE(report) << report.error().toString();
        auto nested = readGguf(dir_ / "nested.gguf");
        EXPECT_TRUE(nested) << nested.error().toString();
        return std::move(*nested);
    }

    std::vector<float> values(const Model& m, const std::string& name) {
        const TensorInfo* t = m.findTensor(name);
        EXPECT_TRUE(t) << name;
        std::vector<float> out(t->elements());
        EXPECT_TRUE(dequantize(t->type, m.data(*t), out));
        return out;
    }

    template <class V> std::vector<V> raw(const Model& m, const std::string& name) {
        const auto bytes = m.data(*m.findTensor(name));
        std::vector<V> out(bytes.size() / sizeof(V));
        std::memcpy(out.data(), bytes.data(), bytes.size());
        return out;
    }

    size_t fileCount() const {
        return size_t(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
    }

    fs::path dir_;
};

TEST_F(MatryoshkaFileTest, NestsTheMatricesAndCarriesTheRest) {
    const Model source = writeSource();
    auto report = writeMatryoshkaModel(source, dir_ / "nested.gguf", {.threads = 2}, Progress::none());
    ASSERT_TRUE(report) << report.error().toString();
    // The matrices are nested; the norms (1-D) are carried.
    EXPECT_EQ(report->nested.size(), 1u + 1u + 2u * 7u); // token_embd, output, 7 matrices per block
    EXPECT_EQ(report->carried, 1u + 2u * 2u);
    EXPECT_EQ(report->requantized, 0u);
    auto nested = readGguf(dir_ / "nested.gguf");
    ASSERT_TRUE(nested) << nested.error().toString();
    EXPECT_EQ(nested->metadata.getUnsigned(kMatryoshkaVersionKey), 1u);
    EXPECT_EQ(nested->metadata.getUnsigned(kMatryoshkaGroupSizeKey), 32u);
    EXPECT_EQ(nested->metadata.getUnsigned(kMatryoshkaBitsKey), 8u);
    EXPECT_FALSE(nested->metadata.contains("general.file_type"));
    EXPECT_EQ(nested->metadata.getString("tokenizer.ggml.model"), "gpt2");

    const TensorInfo* codes = nested->findTensor("blk.1.ffn_down.weight");
    ASSERT_TRUE(codes);
    EXPECT_EQ(codes->type, T::I8);
    EXPECT_EQ(codes->shape, (std::vector<int64_t>{288, 256}));
    const TensorInfo* scale = nested->findTensor("blk.1.ffn_down.weight.matryoshka_scale");
    ASSERT_TRUE(scale);
    EXPECT_EQ(scale->type, T::F16);
    EXPECT_EQ(scale->shape, (std::vector<int64_t>{9, 256}));
    EXPECT_EQ(nested->findTensor("blk.0.attn_norm.weight")->type, T::F32);

    // The stored codes are nestRows' codes of the source values.
    const auto src = values(source, "blk.0.attn_q.weight");
    const Nested expected = nest(src, 256);
    EXPECT_EQ(raw<int8_t>(*nested, "blk.0.attn_q.weight"), expected.codes);
    EXPECT_EQ(raw<uint16_t>(*nested, "blk.0.attn_q.weight.matryoshka_scale"), expected.scales);
    EXPECT_EQ(raw<uint16_t>(*nested, "blk.0.attn_q.weight.matryoshka_min"), expected.mins);

    auto layout = readNestedLayout(*nested);
    ASSERT_TRUE(layout) << layout.error().toString();
    EXPECT_EQ(layout->size(), source.tensors.size());
    size_t nestedCount = 0;
    for (const auto& e : *layout)
        nestedCount += e.nested();
    EXPECT_EQ(nestedCount, report->nested.size());

    // Per-tensor errors are reported for every width.
    const auto& first = report->nested.front();
    EXPECT_EQ(first.name, "token_embd.weight");
    EXPECT_EQ(first.errors.values, 256u * 32u);
    EXPECT_GT(first.errors.widths.back().sliceSse, first.errors.widths.front().sliceSse);
}

TEST_F(MatryoshkaFileTest, SlicesAtOneWidthWithRulesAndWithoutTheSource) {
    const Model source = writeSource();
    const Model nested = writeNested(source);
    SliceOptions options;
    options.bits = 4;
    options.rules.push_back({R"(blk\.0\.)", 8});
    options.rules.push_back({"ffn_down", 2});
    auto report = sliceMatryoshkaModel(nested, dir_ / "slice.gguf", options, Progress::none());
    ASSERT_TRUE(report) << report.error().toString();
    EXPECT_EQ(report->sliced, 16u);
    EXPECT_EQ(report->copied, 5u);
    EXPECT_EQ(report->fileType, LlamaFileType::Q4_1);
    auto slice = readGguf(dir_ / "slice.gguf");
    ASSERT_TRUE(slice) << slice.error().toString();
    ASSERT_EQ(slice->tensors.size(), source.tensors.size());
    for (size_t i = 0; i < source.tensors.size(); ++i) {
        EXPECT_EQ(slice->tensors[i].name, source.tensors[i].name);
        EXPECT_EQ(slice->tensors[i].shape, source.tensors[i].shape);
    }
    const auto type = [&](const char* name) { return slice->findTensor(name)->type; };
    EXPECT_EQ(type("blk.1.attn_q.weight"), T::Q4_1);
    EXPECT_EQ(type("blk.0.attn_q.weight"), T::Q8_0);
    EXPECT_EQ(type("blk.1.ffn_down.weight"), T::Q4_0); // 2 bits on rows of 288: Q2_K's fallback
    EXPECT_EQ(type("blk.0.ffn_down.weight"), T::Q4_0); // the later rule wins
    EXPECT_EQ(type("blk.0.attn_norm.weight"), T::F32);
    EXPECT_EQ(slice->metadata.getUnsigned("general.file_type"), 3u); // MOSTLY_Q4_1
    EXPECT_FALSE(slice->metadata.contains(kMatryoshkaVersionKey));
    EXPECT_EQ(slice->metadata.getString(kMatryoshkaSliceKey), R"(4; blk\.0\.=8; ffn_down=2)");
    EXPECT_EQ(slice->metadata.getString("tokenizer.ggml.model"), "gpt2");

    // The 4-bit tensors are the nested codes' top bits, exactly.
    const auto codes = raw<int8_t>(nested, "blk.1.attn_q.weight");
    const auto scales = raw<uint16_t>(nested, "blk.1.attn_q.weight.matryoshka_scale");
    const auto mins = raw<uint16_t>(nested, "blk.1.attn_q.weight.matryoshka_min");
    std::vector<float> expected(codes.size());
    sliceValues(codes.data(), scales.data(), mins.data(), int64_t(codes.size()), 4, expected.data());
    const auto got = values(*slice, "blk.1.attn_q.weight");
    EXPECT_EQ(0, std::memcmp(got.data(), expected.data(), got.size() * sizeof(float)));
    // Norms are carried bit for bit.
    EXPECT_EQ(raw<float>(*slice, "blk.0.attn_norm.weight"), raw<float>(source, "blk.0.attn_norm.weight"));
}

TEST_F(MatryoshkaFileTest, RefusesWhatIsNotANestedFile) {
    const Model source = writeSource();
    auto r = sliceMatryoshkaModel(source, dir_ / "slice.gguf", {}, Progress::none());
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().field.find(kMatryoshkaVersionKey), std::string::npos) << r.error().toString();
    EXPECT_FALSE(fs::exists(dir_ / "slice.gguf"));

    const Model nested = writeNested(source);
    auto again = writeMatryoshkaModel(nested, dir_ / "twice.gguf", {}, Progress::none());
    ASSERT_FALSE(again);
    EXPECT_FALSE(fs::exists(dir_ / "twice.gguf"));

    SliceOptions bad;
    bad.bits = 7;
    EXPECT_FALSE(sliceMatryoshkaModel(nested, dir_ / "slice.gguf", bad, Progress::none()));
    bad.bits = 4;
    bad.rules.push_back({"(", 8});
    auto badRule = validateSliceOptions(bad);
    ASSERT_FALSE(badRule);
    EXPECT_EQ(badRule.error().field, "rules[0].pattern");
}

TEST_F(MatryoshkaFileTest, ALayoutWithAMissingOrMisshapenCompanionIsRejected) {
    const Model nested = writeNested(writeSource());
    const auto without = [&](const std::string& name) {
        Model m = nested;
        std::erase_if(m.tensors, [&](const TensorInfo& t) { return t.name == name; });
        return m;
    };
    auto noMins = readNestedLayout(without("blk.0.attn_q.weight.matryoshka_min"));
    ASSERT_FALSE(noMins);
    EXPECT_EQ(noMins.error().field, "tensors['blk.0.attn_q.weight']");
    EXPECT_NE(noMins.error().message.find("minimums"), std::string::npos) << noMins.error().toString();

    auto orphan = readNestedLayout(without("blk.0.attn_q.weight"));
    ASSERT_FALSE(orphan);
    EXPECT_NE(orphan.error().message.find("no I8 codes"), std::string::npos) << orphan.error().toString();

    Model misshapen = nested;
    for (auto& t : misshapen.tensors)
        if (t.name == "blk.0.attn_k.weight.matryoshka_scale") t.shape = {64, 8}; // same bytes, wrong shape
    auto shape = readNestedLayout(misshapen);
    ASSERT_FALSE(shape);
    EXPECT_EQ(shape.error().field, "tensors['blk.0.attn_k.weight.matryoshka_scale']");

    Model otherVersion = nested;
    otherVersion.metadata.set(std::string(kMatryoshkaVersionKey), MetaValue::u32(2));
    auto version = readNestedLayout(otherVersion);
    ASSERT_FALSE(version);
    EXPECT_NE(version.error().message.find("reads only 1"), std::string::npos) << version.error().toString();
}

class CancelAfter : public Progress {
public:
    explicit CancelAfter(int n) : n_(n) {}

protected:
    void onReport(double, std::string_view) override {
        if (++seen_ >= n_) cancel();
    }

private:
    int n_;
    int seen_ = 0;
};

TEST_F(MatryoshkaFileTest, CancelLeavesNothingBehind) {
    const Model source = writeSource();
    CancelAfter cancel(3);
    auto r = writeMatryoshkaModel(source, dir_ / "nested.gguf", {}, cancel);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().cancelled);
    EXPECT_EQ(fileCount(), 1u); // source.gguf only

    const Model nested = writeNested(source);
    CancelAfter cancelSlice(2);
    auto s = sliceMatryoshkaModel(nested, dir_ / "slice.gguf", {}, cancelSlice);
    ASSERT_FALSE(s);
    EXPECT_TRUE(s.error().cancelled);
    EXPECT_FALSE(fs::exists(dir_ / "slice.gguf"));
    EXPECT_EQ(fileCount(), 2u);
    // An existing target needs the overwrite option.
    auto exists = writeMatryoshkaModel(source, dir_ / "nested.gguf", {}, Progress::none());
    ASSERT_FALSE(exists);
}

} // namespace
} // namespace matryx
