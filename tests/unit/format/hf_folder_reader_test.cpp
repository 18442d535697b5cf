#include "format/hf_folder_reader.h"
#include "format/model_reader.h"
#include "format/safetensors_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace matryx {

namespace {

namespace fs = std::filesystem;

class HfFolder : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("matryx_hf_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // A shard whose tensor i holds bytes equal to `fill + i`.
    void shard(const std::string& file, const std::vector<std::string>& names, uint8_t fill) {
        std::vector<OutputTensor> tensors;
        for (const auto& n : names)
            tensors.push_back({n, TensorType::F32, {2, 2}});
        const TensorProducer produce = [&](size_t i, std::span<std::byte> out) -> Status {
            std::fill(out.begin(), out.end(), std::byte(fill + i));
            return {};
        };
        ASSERT_TRUE(writeSafetensors(dir_ / file, {}, tensors, produce, {}, Progress::none()).ok());
    }
    void text(const std::string& file, const std::string& content) { std::ofstream(dir_ / file) << content; }

    void shardedModel() {
        shard("model-00001-of-00002.safetensors",
              {"model.embed_tokens.weight", "model.layers.0.mlp.up_proj.weight"}, 10);
        shard("model-00002-of-00002.safetensors", {"model.norm.weight", "lm_head.weight"}, 20);
        text("model.safetensors.index.json", R"({"metadata": {"total_size": 64}, "weight_map": {
            "lm_head.weight": "model-00002-of-00002.safetensors",
            "model.embed_tokens.weight": "model-00001-of-00002.safetensors",
            "model.layers.0.mlp.up_proj.weight": "model-00001-of-00002.safetensors",
            "model.norm.weight": "model-00002-of-00002.safetensors"}})");
    }

    Error readError() {
        auto model = readHfFolder(dir_);
        EXPECT_FALSE(model.ok());
        return model ? Error{} : model.error();
    }

    fs::path dir_;
};

} // namespace

TEST_F(HfFolder, ReadsShardsThroughTheIndex) {
    shardedModel();
    text("config.json", R"({"architectures": ["LlamaForCausalLM"], "num_hidden_layers": 1, "hidden_size": 2,
                           "num_attention_heads": 1, "vocab_size": 2})");
    text("tokenizer.json", R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": []}})");
    text("tokenizer_config.json", R"({"chat_template": "{{ x }}"})");

    auto model = readHfFolder(dir_);
    ASSERT_TRUE(model.ok()) << model.error().toString();
    EXPECT_EQ(model->format, ModelFormat::HuggingFaceFolder);
    ASSERT_EQ(model->sources.size(), 2u);
    ASSERT_EQ(model->tensors.size(), 4u);
    EXPECT_EQ(model->tensors[0].name, "model.embed_tokens.weight");
    EXPECT_EQ(model->tensors[1].name, "model.layers.0.mlp.up_proj.weight");
    EXPECT_EQ(model->tensors[2].name, "model.norm.weight");
    EXPECT_EQ(model->tensors[3].name, "lm_head.weight");
    EXPECT_EQ(model->tensors[0].source, 0u);
    EXPECT_EQ(model->tensors[3].source, 1u);
    EXPECT_EQ(model->data(model->tensors[1])[0], std::byte{11});
    EXPECT_EQ(model->data(model->tensors[3])[15], std::byte{21});
    EXPECT_NE(model->sources[1]->name().find("model-00002-of-00002.safetensors"), std::string::npos);

    EXPECT_EQ(model->metadata.getString("general.architecture"), "llama");
    EXPECT_EQ(model->metadata.getString("general.name"), dir_.filename().string());
    EXPECT_EQ(model->metadata.getUnsigned("llama.block_count"), 1u);
    EXPECT_EQ(model->metadata.getString("tokenizer.ggml.model"), "gpt2");
    EXPECT_EQ(model->metadata.getString("tokenizer.chat_template"), "{{ x }}");
    EXPECT_FALSE(model->metadata.contains("format"));

    const auto reader = makeHfFolderReader();
    EXPECT_TRUE(reader->canRead(dir_, {}));
    EXPECT_FALSE(reader->canRead(dir_ / "config.json", {}));
}

TEST_F(HfFolder, SingleFileAndNoSidecars) {
    shard("model.safetensors", {"w"}, 1);
    auto model = readHfFolder(dir_ / "");
    ASSERT_TRUE(model.ok()) << model.error().toString();
    EXPECT_EQ(model->tensors.size(), 1u);
    EXPECT_TRUE(model->metadata.empty());
}

TEST_F(HfFolder, SentenceTransformersPooling) {
    shard("model.safetensors", {"w"}, 1);
    text("config.json", R"({"architectures": ["BertModel"], "num_hidden_layers": 1})");
    text("modules.json", R"([{"idx": 0, "path": "", "type": "sentence_transformers.models.Transformer"},
                             {"idx": 1, "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}])");
    fs::create_directories(dir_ / "1_Pooling");
    text("1_Pooling/config.json", R"({"pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true})");
    auto model = readHfFolder(dir_);
    ASSERT_TRUE(model.ok()) << model.error().toString();
    EXPECT_EQ(model->metadata.getUnsigned("bert.pooling_type"), 1u); // mean
}

TEST_F(HfFolder, MissingShardIsAnError) {
    shardedModel();
    fs::remove(dir_ / "model-00002-of-00002.safetensors");
    const Error e = readError();
    EXPECT_NE(e.file.find("model.safetensors.index.json"), std::string::npos);
    EXPECT_EQ(e.field, R"(weight_map["lm_head.weight"])");
    EXPECT_NE(e.message.find("missing"), std::string::npos);
}

TEST_F(HfFolder, TensorAbsentFromItsShardIsAnError) {
    shardedModel();
    text("model.safetensors.index.json", R"({"weight_map": {
        "model.embed_tokens.weight": "model-00001-of-00002.safetensors",
        "model.norm.weight": "model-00001-of-00002.safetensors"}})");
    const Error e = readError();
    EXPECT_EQ(e.field, R"(weight_map["model.norm.weight"])");
}

TEST_F(HfFolder, ShardNamesMustStayInTheFolder) {
    shardedModel();
    text("model.safetensors.index.json", R"({"weight_map": {"a": "../model-00001-of-00002.safetensors"}})");
    EXPECT_EQ(readError().field, R"(weight_map["a"])");
    text("model.safetensors.index.json", R"({"weight_map": {"a": 5}})");
    EXPECT_EQ(readError().field, R"(weight_map["a"])");
    text("model.safetensors.index.json", R"({"weight_map": []})");
    EXPECT_EQ(readError().field, "weight_map");
}

TEST_F(HfFolder, BrokenSidecarsNameTheirFile) {
    shard("model.safetensors", {"w"}, 1);
    text("config.json", R"({"num_hidden_layers": 2,})");
    Error e = readError();
    EXPECT_NE(e.file.find("config.json"), std::string::npos);
    EXPECT_EQ(e.offset, 24u); // the '}' after the trailing comma
    text("config.json", R"({"model_type": "llama"})");
    text("tokenizer.json", R"({"model": {"type": "BPE", "vocab": []}})");
    e = readError();
    EXPECT_NE(e.file.find("tokenizer.json"), std::string::npos);
    EXPECT_EQ(e.field, "model.vocab");
}

TEST_F(HfFolder, FolderWithoutWeightsIsRefused) {
    text("config.json", "{}");
    EXPECT_FALSE(readHfFolder(dir_).ok());
    EXPECT_FALSE(makeHfFolderReader()->canRead(dir_, {}));
    EXPECT_FALSE(readHfFolder(dir_ / "nope").ok());
}

TEST_F(HfFolder, OpenModelPicksTheFolderAndFileReaders) {
    shard("model.safetensors", {"w"}, 1);
    auto folder = openModel(dir_);
    ASSERT_TRUE(folder.ok()) << folder.error().toString();
    EXPECT_EQ(folder->format, ModelFormat::HuggingFaceFolder);
    auto file = openModel(dir_ / "model.safetensors");
    ASSERT_TRUE(file.ok()) << file.error().toString();
    EXPECT_EQ(file->format, ModelFormat::Safetensors);
    EXPECT_EQ(file->tensors.size(), 1u);
}

} // namespace matryx
