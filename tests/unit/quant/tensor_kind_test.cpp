#include "quant/tensor_kind.h"

#include <gtest/gtest.h>

namespace matryx {

TEST(TensorKind, BlockTensors) {
    EXPECT_EQ(classifyTensor("blk.12.attn_v.weight"), (TensorKind{12, "attn_v", "weight"}));
    EXPECT_EQ(classifyTensor("blk.0.attn_q.bias"), (TensorKind{0, "attn_q", "bias"}));
    EXPECT_EQ(classifyTensor("blk.3.ffn_down_exps.weight"), (TensorKind{3, "ffn_down_exps", "weight"}));
    EXPECT_EQ(classifyTensor("blk.7.attn_norm.weight").kind, "attn_norm");
}

TEST(TensorKind, ModelLevelTensors) {
    EXPECT_EQ(classifyTensor("token_embd.weight"), (TensorKind{std::nullopt, "token_embd", "weight"}));
    EXPECT_EQ(classifyTensor("output_norm.weight"), (TensorKind{std::nullopt, "output_norm", "weight"}));
    EXPECT_EQ(classifyTensor("rope_freqs"), (TensorKind{std::nullopt, "rope_freqs", ""}));
}

TEST(TensorKind, OddNamesPassThrough) {
    EXPECT_EQ(classifyTensor("blk.x.attn_q.weight"), (TensorKind{std::nullopt, "blk.x.attn_q", "weight"}));
    EXPECT_EQ(classifyTensor("blk.5"), (TensorKind{std::nullopt, "blk.5", ""}));
    EXPECT_EQ(classifyTensor("blk.-1.attn_q.weight").layer, std::nullopt);
    EXPECT_EQ(classifyTensor(".weight"), (TensorKind{std::nullopt, ".weight", ""}));
}

} // namespace matryx
