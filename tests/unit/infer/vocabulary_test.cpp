#include "infer/vocabulary.h"

#include <gtest/gtest.h>

namespace matryx {

namespace {

Metadata bpeMetadata() {
    Metadata m;
    m.set("tokenizer.ggml.model", MetaValue::string("gpt2"));
    m.set("tokenizer.ggml.pre", MetaValue::string("smollm"));
    m.set("tokenizer.ggml.tokens", MetaValue::stringArray({"<|endoftext|>", "<|im_start|>", "a", "b", "ab"}));
    m.set("tokenizer.ggml.token_type", MetaValue::array(MetaType::I32, {MetaValue::i32(3), MetaValue::i32(3),
                                                                        MetaValue::i32(1), MetaValue::i32(1),
                                                                        MetaValue::i32(1)}));
    m.set("tokenizer.ggml.merges", MetaValue::stringArray({"a b"}));
    m.set("tokenizer.ggml.bos_token_id", MetaValue::u32(1));
    m.set("tokenizer.ggml.eos_token_id", MetaValue::u32(0));
    return m;
}

} // namespace

TEST(Vocabulary, ReadsBpeMetadata) {
    auto vocab = Vocabulary::fromMetadata(bpeMetadata(), "m.gguf");
    ASSERT_TRUE(vocab) << vocab.error().toString();
    EXPECT_EQ(vocab->kind, TokenizerKind::BytePairBpe);
    EXPECT_EQ(vocab->pre, "smollm");
    EXPECT_EQ(vocab->size(), 5u);
    EXPECT_EQ(vocab->text(4), "ab");
    EXPECT_EQ(vocab->find("ab"), 4);
    EXPECT_FALSE(vocab->find("ba"));
    EXPECT_EQ(vocab->type(0), TokenType::Control);
    EXPECT_EQ(vocab->bos, 1);
    EXPECT_EQ(vocab->eos, 0);
    EXPECT_FALSE(vocab->unk);
    EXPECT_FALSE(vocab->addBos);
    EXPECT_EQ(vocab->merges.size(), 1u);
    EXPECT_EQ(vocab->text(99), "");
}

TEST(Vocabulary, RejectsInconsistentArrays) {
    Metadata m = bpeMetadata();
    m.set("tokenizer.ggml.token_type", MetaValue::array(MetaType::I32, {MetaValue::i32(1)}));
    auto vocab = Vocabulary::fromMetadata(m, "m.gguf");
    ASSERT_FALSE(vocab);
    EXPECT_EQ(vocab.error().field, "tokenizer.ggml.token_type");
    EXPECT_EQ(vocab.error().file, "m.gguf");
}

TEST(Vocabulary, RejectsSpecialIdsOutsideTheVocabulary) {
    Metadata m = bpeMetadata();
    m.set("tokenizer.ggml.eos_token_id", MetaValue::u32(5));
    auto vocab = Vocabulary::fromMetadata(m, "m.gguf");
    ASSERT_FALSE(vocab);
    EXPECT_EQ(vocab.error().field, "tokenizer.ggml.eos_token_id");
}

TEST(Vocabulary, MissingTokensWithAModelIsAnError) {
    Metadata m;
    m.set("tokenizer.ggml.model", MetaValue::string("llama"));
    EXPECT_FALSE(Vocabulary::fromMetadata(m, "m.gguf"));
    Metadata none;
    auto empty = Vocabulary::fromMetadata(none, "m.gguf");
    ASSERT_TRUE(empty);
    EXPECT_EQ(empty->kind, TokenizerKind::None);
}

TEST(Vocabulary, WrongTypesAreErrors) {
    Metadata m = bpeMetadata();
    m.set("tokenizer.ggml.tokens", MetaValue::string("not an array"));
    EXPECT_FALSE(Vocabulary::fromMetadata(m, "m.gguf"));
    m = bpeMetadata();
    m.set("tokenizer.ggml.bos_token_id", MetaValue::string("1"));
    EXPECT_FALSE(Vocabulary::fromMetadata(m, "m.gguf"));
}

} // namespace matryx
