#include "format/hf_tokenizer_import.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace matryx {

namespace {

using json = nlohmann::json;

struct Files {
    json tokenizer;
    json tokenizerConfig;
    json config;
};

Metadata import(const Files& f, const std::string& arch = "llama",
                const std::string* chatTemplate = nullptr) {
    HfTokenizerSources in;
    in.tokenizer = f.tokenizer.is_null() ? nullptr : &f.tokenizer;
    in.tokenizerConfig = f.tokenizerConfig.is_null() ? nullptr : &f.tokenizerConfig;
    in.config = f.config.is_null() ? nullptr : &f.config;
    in.chatTemplateFile = chatTemplate;
    in.architecture = arch;
    Metadata m;
    const Status s = importHfTokenizer(in, m);
    EXPECT_TRUE(s.ok()) << (s ? "" : s.error().toString());
    return m;
}

Error importError(const Files& f) {
    HfTokenizerSources in;
    in.tokenizer = &f.tokenizer;
    in.config = f.config.is_null() ? nullptr : &f.config;
    in.tokenizerFile = "/m/tokenizer.json";
    in.configFile = "/m/config.json";
    Metadata m;
    const Status s = importHfTokenizer(in, m);
    EXPECT_FALSE(s.ok());
    return s ? Error{} : s.error();
}

std::vector<std::string> strings(const Metadata& m, const char* key) {
    std::vector<std::string> out;
    if (const MetaValue* v = m.find(key))
        for (const auto& item : v->items())
            out.push_back(*item.toString());
    return out;
}

std::vector<int64_t> ints(const Metadata& m, const char* key) {
    std::vector<int64_t> out;
    if (const MetaValue* v = m.find(key)) {
        EXPECT_EQ(v->arrayType(), MetaType::I32) << key;
        for (const auto& item : v->items())
            out.push_back(*item.toSigned());
    }
    return out;
}

std::vector<double> floats(const Metadata& m, const char* key) {
    std::vector<double> out;
    if (const MetaValue* v = m.find(key)) {
        EXPECT_EQ(v->arrayType(), MetaType::F32) << key;
        for (const auto& item : v->items())
            out.push_back(*item.toDouble());
    }
    return out;
}

std::optional<uint64_t> u32(const Metadata& m, const char* key) {
    const MetaValue* v = m.find(key);
    if (!v) return std::nullopt;
    EXPECT_EQ(v->type(), MetaType::U32) << key;
    return v->toUnsigned();
}

std::optional<bool> flag(const Metadata& m, const char* key) {
    const MetaValue* v = m.find(key);
    return v ? v->toBool() : std::nullopt;
}

} // namespace

TEST(HfTokenizerImport, ByteLevelBpeIsGpt2) {
    Files f;
    f.tokenizer = json::parse(R"({
        "added_tokens": [{"id": 5, "content": "<|endoftext|>", "special": true},
                         {"id": 6, "content": "<|im_start|>", "special": false},
                         {"id": 7, "content": "hello world", "special": false}],
        "post_processor": {"type": "ByteLevel"},
        "model": {"type": "BPE", "byte_fallback": false,
                  "vocab": {"a": 0, "b": 1, "ab": 2, "\u0120a": 3, "\u0120": 4},
                  "merges": ["a b", "\u0120 a"]}})");
    f.tokenizerConfig = json::parse(R"({"bos_token": null, "eos_token": "<|endoftext|>",
        "add_bos_token": true, "chat_template": "{% for m in messages %}{{ m.content }}{% endfor %}"})");
    f.config = json::parse(R"({"vocab_size": 10, "bos_token_id": 5})");
    const Metadata m = import(f, "qwen2");
    EXPECT_EQ(m.getString("tokenizer.ggml.model"), "gpt2");
    EXPECT_FALSE(m.contains("tokenizer.ggml.pre"));
    EXPECT_EQ(strings(m, "tokenizer.ggml.tokens"),
              (std::vector<std::string>{"a", "b", "ab",
                                        "\xc4\xa0"
                                        "a",
                                        "\xc4\xa0", "<|endoftext|>", "<|im_start|>", "hello world", "[PAD8]",
                                        "[PAD9]"}));
    // "<|im_start|>" is not marked special but looks it: control, as the converter decides.
    EXPECT_EQ(ints(m, "tokenizer.ggml.token_type"), (std::vector<int64_t>{1, 1, 1, 1, 1, 3, 3, 4, 5, 5}));
    EXPECT_EQ(strings(m, "tokenizer.ggml.merges"), (std::vector<std::string>{"a b", "\xc4\xa0 a"}));
    EXPECT_FALSE(m.contains("tokenizer.ggml.scores"));
    EXPECT_EQ(u32(m, "tokenizer.ggml.eos_token_id"), 5u);
    EXPECT_EQ(u32(m, "tokenizer.ggml.bos_token_id"), 5u); // from config.json
    // ByteLevel post-processing adds nothing; tokenizer_config only fills what it leaves open.
    EXPECT_EQ(flag(m, "tokenizer.ggml.add_bos_token"), false);
    EXPECT_EQ(flag(m, "tokenizer.ggml.add_eos_token"), false);
    EXPECT_EQ(m.getString("tokenizer.chat_template"), "{% for m in messages %}{{ m.content }}{% endfor %}");
}

TEST(HfTokenizerImport, SentencePieceBpeIsLlamaWithScoresFromMerges) {
    Files f;
    f.tokenizer = json::parse(R"({
        "added_tokens": [{"id": 0, "content": "<unk>", "special": true}, {"id": 1, "content": "<s>", "special": true},
                         {"id": 2, "content": "</s>", "special": true},
                         {"id": 12, "content": "\u2581custom", "special": false}],
        "post_processor": {"type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "<s>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}]},
        "model": {"type": "BPE", "byte_fallback": true, "unk_token": "<unk>",
                  "vocab": {"<unk>": 0, "<s>": 1, "</s>": 2, "<0x41>": 3, "\u2581": 4, "t": 5, "h": 6, "e": 7,
                            "\u2581t": 8, "he": 9, "\u2581the": 10, "xyz": 11},
                  "merges": ["\u2581 t", "h e", "\u2581t he"]}})");
    f.tokenizerConfig = json::parse(R"({"bos_token": {"__type": "AddedToken", "content": "<s>"},
        "eos_token": "</s>", "unk_token": "<unk>", "add_bos_token": true, "add_eos_token": false})");
    const Metadata m = import(f, "llama");
    EXPECT_EQ(m.getString("tokenizer.ggml.model"), "llama");
    EXPECT_EQ(m.getString("tokenizer.ggml.pre"), "default");
    const auto tokens = strings(m, "tokenizer.ggml.tokens");
    ASSERT_EQ(tokens.size(), 13u);
    EXPECT_EQ(tokens[12], " custom"); // user-defined: SentencePiece's word mark back to a space
    EXPECT_EQ(ints(m, "tokenizer.ggml.token_type"),
              (std::vector<int64_t>{3, 3, 3, 6, 1, 1, 1, 1, 1, 1, 1, 1, 4}));
    // -(rank + 1) for merge results, below every merge (-4) for the rest, 0 for bytes, -1000 added.
    EXPECT_EQ(floats(m, "tokenizer.ggml.scores"),
              (std::vector<double>{-1000, -1000, -1000, 0, -4, -4, -4, -4, -1, -2, -3, -4, -1000}));
    EXPECT_FALSE(m.contains("tokenizer.ggml.merges"));
    EXPECT_EQ(u32(m, "tokenizer.ggml.bos_token_id"), 1u);
    EXPECT_EQ(u32(m, "tokenizer.ggml.eos_token_id"), 2u);
    EXPECT_EQ(u32(m, "tokenizer.ggml.unknown_token_id"), 0u);
    EXPECT_EQ(flag(m, "tokenizer.ggml.add_bos_token"), true);
    EXPECT_EQ(flag(m, "tokenizer.ggml.add_eos_token"), false);
    EXPECT_EQ(flag(m, "tokenizer.ggml.add_sep_token"), false);
    EXPECT_FALSE(m.contains("tokenizer.ggml.add_space_prefix"));
    const Metadata gemma = import(f, "gemma"); // Gemma's tokenizer adds no leading space
    EXPECT_EQ(flag(gemma, "tokenizer.ggml.add_space_prefix"), false);
}

TEST(HfTokenizerImport, UnigramKeepsItsScores) {
    Files f;
    f.tokenizer = json::parse(R"({"model": {"type": "Unigram", "unk_id": 1,
        "vocab": [["<pad>", 0.0], ["<unk>", 0.0], ["\u2581hi", -2.5], ["i", -7.25]]}})");
    const Metadata m = import(f);
    EXPECT_EQ(m.getString("tokenizer.ggml.model"), "llama");
    EXPECT_EQ(strings(m, "tokenizer.ggml.tokens"),
              (std::vector<std::string>{"<pad>", "<unk>", "\xe2\x96\x81hi", "i"}));
    EXPECT_EQ(ints(m, "tokenizer.ggml.token_type"), (std::vector<int64_t>{1, 2, 1, 1}));
    EXPECT_EQ(floats(m, "tokenizer.ggml.scores"), (std::vector<double>{0.0, 0.0, -2.5, -7.25}));
}

TEST(HfTokenizerImport, WordPieceIsBertWithPhantomSpaces) {
    Files f;
    f.tokenizer = json::parse(R"({
        "added_tokens": [{"id": 0, "content": "[PAD]", "special": true}, {"id": 1, "content": "[UNK]", "special": true},
                         {"id": 2, "content": "[CLS]", "special": true}, {"id": 3, "content": "[SEP]", "special": true}],
        "normalizer": {"type": "BertNormalizer", "lowercase": true, "strip_accents": null},
        "post_processor": {"type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]"}}, {"Sequence": {"id": "A"}}, {"SpecialToken": {"id": "[SEP]"}}],
            "pair": [{"SpecialToken": {"id": "[CLS]"}}, {"Sequence": {"id": "A"}}, {"SpecialToken": {"id": "[SEP]"}},
                     {"Sequence": {"id": "B"}}, {"SpecialToken": {"id": "[SEP]"}}]},
        "model": {"type": "WordPiece", "unk_token": "[UNK]",
                  "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "the": 4, "##s": 5, "[unused0]": 6}}})");
    f.tokenizerConfig = json::parse(R"({"cls_token": "[CLS]", "sep_token": "[SEP]", "unk_token": "[UNK]",
                                        "pad_token": "[PAD]"})");
    f.config = json::parse(R"({"type_vocab_size": 2, "pad_token_id": 0})");
    const Metadata m = import(f, "bert");
    EXPECT_EQ(m.getString("tokenizer.ggml.model"), "bert");
    EXPECT_EQ(strings(m, "tokenizer.ggml.tokens"),
              (std::vector<std::string>{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "\xe2\x96\x81the", "s",
                                        "\xe2\x96\x81[unused0]"}));
    EXPECT_EQ(ints(m, "tokenizer.ggml.token_type"), (std::vector<int64_t>{3, 3, 3, 3, 1, 1, 1}));
    EXPECT_EQ(u32(m, "tokenizer.ggml.token_type_count"), 2u);
    EXPECT_EQ(u32(m, "tokenizer.ggml.bos_token_id"), 2u); // cls stands in for bos, sep for eos
    EXPECT_EQ(u32(m, "tokenizer.ggml.eos_token_id"), 3u);
    EXPECT_EQ(u32(m, "tokenizer.ggml.cls_token_id"), 2u);
    EXPECT_EQ(u32(m, "tokenizer.ggml.seperator_token_id"), 3u);
    EXPECT_EQ(u32(m, "tokenizer.ggml.padding_token_id"), 0u);
    EXPECT_EQ(u32(m, "tokenizer.ggml.unknown_token_id"), 1u);
    EXPECT_EQ(flag(m, "tokenizer.ggml.add_bos_token"), true);
    EXPECT_EQ(flag(m, "tokenizer.ggml.add_eos_token"), true);
    EXPECT_EQ(flag(m, "tokenizer.ggml.add_sep_token"), false);
    EXPECT_EQ(flag(m, "tokenizer.ggml.normalizer.lowercase"), true);
    EXPECT_FALSE(m.contains("tokenizer.ggml.normalizer.strip_accents"));
}

TEST(HfTokenizerImport, ChatTemplateListsAndFiles) {
    Files f;
    f.tokenizer = json::parse(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}})");
    f.tokenizerConfig = json::parse(R"({"chat_template": [{"name": "default", "template": "A"},
                                                           {"name": "tool use", "template": "B"}]})");
    const Metadata m = import(f);
    EXPECT_EQ(m.getString("tokenizer.chat_template"), "A");
    EXPECT_EQ(m.getString("tokenizer.chat_template.tool_use"), "B");
    EXPECT_EQ(strings(m, "tokenizer.ggml.merges"), std::vector<std::string>{});
    EXPECT_EQ(*m.find("tokenizer.chat_templates"), MetaValue::stringArray({"tool_use"}));

    const std::string jinja = "{{ messages }}";
    Files noTemplate;
    noTemplate.tokenizer = f.tokenizer;
    noTemplate.tokenizerConfig = json::parse(R"({"eos_token": "a"})");
    EXPECT_EQ(import(noTemplate, "llama", &jinja).getString("tokenizer.chat_template"), jinja);
}

TEST(HfTokenizerImport, MergePairsWithSpaces) {
    Files f;
    f.tokenizer =
        json::parse(R"({"model": {"type": "BPE", "vocab": {"a b": 0, "c": 1}, "merges": [["a b", "c"]]}})");
    EXPECT_EQ(strings(import(f), "tokenizer.ggml.merges"), std::vector<std::string>{"a\xc4\xa0"
                                                                                    "b c"});
}

TEST(HfTokenizerImport, OtherModelTypesAreLeftOut) {
    Files f;
    f.tokenizer = json::parse(R"({"model": {"type": "WordLevel", "vocab": {"a": 0}}})");
    EXPECT_FALSE(import(f).contains("tokenizer.ggml.model"));
}

TEST(HfTokenizerImport, BadFieldsAreErrors) {
    Files f;
    f.tokenizer = json::parse(R"({"model": {"type": "BPE", "vocab": {"a": "zero"}}})");
    Error e = importError(f);
    EXPECT_EQ(e.field, R"(model.vocab["a"])");
    EXPECT_EQ(e.file, "/m/tokenizer.json");

    f.tokenizer = json::parse(
        R"({"model": {"type": "BPE", "vocab": {"a": 0}}, "added_tokens": [{"id": -1, "content": "x"}]})");
    EXPECT_EQ(importError(f).field, "added_tokens[0].id");
    f.tokenizer =
        json::parse(R"({"model": {"type": "BPE", "vocab": {"a": 0}}, "added_tokens": [{"id": 1}]})");
    EXPECT_EQ(importError(f).field, "added_tokens[0].content");
    f.tokenizer = json::parse(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [5]}})");
    EXPECT_EQ(importError(f).field, "model.merges[0]");
    f.tokenizer = json::parse(R"({"model": {"type": "Unigram", "vocab": [["a"]]}})");
    EXPECT_EQ(importError(f).field, "model.vocab[0]");
    f.tokenizer = json::parse(R"({"model": "BPE"})");
    EXPECT_EQ(importError(f).field, "model");

    // Ids or a vocab_size far beyond the defined tokens would only allocate padding.
    f.tokenizer = json::parse(R"({"model": {"type": "BPE", "vocab": {"a": 4000000000}}})");
    EXPECT_EQ(importError(f).field, "model.vocab");
    f.tokenizer = json::parse(R"({"model": {"type": "BPE", "vocab": {"a": 0}}})");
    f.config = json::parse(R"({"vocab_size": 4000000000})");
    e = importError(f);
    EXPECT_EQ(e.field, "vocab_size");
    EXPECT_EQ(e.file, "/m/config.json");
}

} // namespace matryx
