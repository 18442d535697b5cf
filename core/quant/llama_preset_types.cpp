#include "quant/llama_preset_types.h"

#include "quant/plan_rules.h"
#include "quant/quantizable_tensor.h"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <numeric>

namespace matryx {

namespace {

using F = LlamaFileType;
using T = TensorType;

// llama.cpp sorts its categories by name parts; the order of the tests below matters
// ("attn_kv_b.weight" before "attn_v.weight").
enum class Category {
    TokenEmbd,
    AttnQ,
    AttnK,
    AttnV,
    AttnQkv,
    AttnKvB,
    AttnOutput,
    FfnUp,
    FfnGate,
    FfnDown,
    Output,
    Other
};

Category categoryOf(std::string_view name) {
    const auto has = [&](std::string_view part) { return name.find(part) != std::string_view::npos; };
    if (name == "output.weight") return Category::Output;
    if (name == "token_embd.weight" || name == "per_layer_token_embd.weight") return Category::TokenEmbd;
    if (has("attn_qkv.weight")) return Category::AttnQkv;
    if (has("attn_kv_b.weight")) return Category::AttnKvB;
    if (has("attn_v.weight")) return Category::AttnV;
    if (has("attn_k.weight")) return Category::AttnK;
    if (has("attn_q.weight")) return Category::AttnQ;
    if (has("attn_output.weight")) return Category::AttnOutput;
    if (has("ffn_up")) return Category::FfnUp;
    if (has("ffn_gate")) return Category::FfnGate;
    if (has("ffn_down")) return Category::FfnDown;
    return Category::Other;
}

// Fused QKV and MLA's kv_b carry the values too, so they are treated as attn_v (llama.cpp's own
// attn_qkv rules come after this test and are never reached).
bool carriesValues(Category c) {
    return c == Category::AttnV || c == Category::AttnQkv || c == Category::AttnKvB;
}

// The block index that "blk.%d." reads, as llama.cpp orders tensors and finds expert layers.
std::optional<int> blockIndex(std::string_view name) {
    constexpr std::string_view prefix = "blk.";
    if (!name.starts_with(prefix)) return std::nullopt;
    int index = 0;
    const char* first = name.data() + prefix.size();
    const auto [ptr, ec] = std::from_chars(first, name.data() + name.size(), index);
    if (ec != std::errc() || ptr == first) return std::nullopt;
    return index;
}

std::optional<uint64_t> firstUnsigned(const Metadata& metadata, const std::string& key) {
    const MetaValue* v = metadata.find(key);
    if (!v) return std::nullopt;
    if (v->isArray()) return v->items().empty() ? std::nullopt : v->items().front().toUnsigned();
    return v->toUnsigned();
}

uint32_t clampedU32(std::optional<uint64_t> v) {
    return v ? static_cast<uint32_t>(std::min<uint64_t>(*v, 1u << 30)) : 0;
}

// What llama.cpp's hyperparameters say about the model, as far as the mixtures use it.
struct ModelFacts {
    std::string arch;
    int layers = 0; // block count, MTP layers included
    uint32_t heads = 0;
    uint32_t headsKv = 0;
    uint32_t experts = 0;
    bool is70B = false;
    bool tiedEmbeddings = true;
    int valueTensors = 0; // attn_v-like tensors

    int gqa() const { return headsKv == 0 ? 0 : static_cast<int>(heads / headsKv); }
};

ModelFacts readFacts(const Model& model) {
    ModelFacts f;
    f.arch = model.architecture();
    const Metadata& md = model.metadata;
    f.layers = modelBlockCount(model);
    f.heads = clampedU32(firstUnsigned(md, f.arch + ".attention.head_count"));
    const auto kv = firstUnsigned(md, f.arch + ".attention.head_count_kv");
    f.headsKv = kv ? clampedU32(kv) : f.heads;
    f.experts = clampedU32(firstUnsigned(md, f.arch + ".expert_count"));
    const int mainLayers =
        f.layers - static_cast<int>(clampedU32(firstUnsigned(md, f.arch + ".nextn_predict_layers")));
    // Only the 70B size class changes a mixture; these are the architectures that report it.
    if (f.arch == "llama")
        f.is70B = f.experts != 8 && mainLayers == 80 && f.heads != f.headsKv;
    else if (f.arch == "qwen2" || f.arch == "deci" || f.arch == "olmo")
        f.is70B = mainLayers == 80;
    else if (f.arch == "jais2")
        f.is70B = mainLayers == 68;
    for (const auto& t : model.tensors) {
        const Category c = categoryOf(t.name);
        if (carriesValues(c)) ++f.valueTensors;
        if (c == Category::Output) f.tiedEmbeddings = false;
    }
    return f;
}

// The layers that get more bits: the first and last eighth, and every third one in between.
bool moreBits(int i, int n) {
    return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2;
}

class Mixture {
public:
    Mixture(const Model& model, ModelFacts facts, F fileType, bool importance)
        : model_(model), f_(std::move(facts)), ft_(fileType), base_(llamaFileTypeInfo(fileType).defaultType),
          importance_(importance) {}

    Result<PresetChoice> choose(const TensorInfo& t) {
        const Category c = categoryOf(t.name);
        const std::string_view name = t.name;
        if (f_.arch == "glm5-next" && (name.find("attn_q_a") != std::string_view::npos ||
                                       name.find("attn_q_b") != std::string_view::npos ||
                                       name.find("nextn.eh_proj") != std::string_view::npos))
            return pick(T::Q8_0, "GLM-5 projection at Q8_0");
        if (c == Category::Output || (f_.tiedEmbeddings && c == Category::TokenEmbd)) return output(t, c);
        if (ft_ == F::MXFP4_MOE) {
            const bool expertRole = c == Category::FfnUp || c == Category::FfnGate || c == Category::FfnDown;
            const bool stacked = t.shape.size() > 2 && t.shape[2] > 1;
            if (stacked && (f_.arch != "bailingmoe3" || expertRole)) return pick(T::MXFP4, "expert tensor");
            return pick(T::Q8_0, "not an expert tensor");
        }
        if (c == Category::TokenEmbd) return tokenEmbedding();
        if (is({F::IQ2_XXS, F::IQ2_XS, F::IQ1_S, F::IQ2_S, F::IQ2_M, F::IQ1_M})) return lowBit(c);
        if (carriesValues(c)) return values();
        switch (c) {
        case Category::AttnK:
            if (f_.experts == 8) return pick(T::Q8_0, "attn_k of an 8-expert model");
            if (ft_ == F::IQ3_XS) return pick(T::IQ3_XXS, "attn_k");
            if (ft_ == F::IQ3_XXS) return pick(T::IQ2_S, "attn_k");
            break;
        case Category::AttnQ:
            if (ft_ == F::IQ3_XS) return pick(T::IQ3_XXS, "attn_q");
            if (ft_ == F::IQ3_XXS) return pick(T::IQ2_S, "attn_q");
            break;
        case Category::FfnDown:
            return ffnDown(t);
        case Category::AttnOutput:
            return attnOutput();
        case Category::FfnGate:
            return ffnGateUp(t, ffnGate_);
        case Category::FfnUp:
            return ffnGateUp(t, ffnUp_);
        default:
            break;
        }
        return pick(base_, "default type");
    }

private:
    bool is(std::initializer_list<F> types) const {
        return std::find(types.begin(), types.end(), ft_) != types.end();
    }
    static PresetChoice pick(T type, std::string why) { return {type, std::move(why)}; }

    PresetChoice output(const TensorInfo& t, Category c) const {
        const std::string what = c == Category::Output ? "output" : "token_embd tied to the output";
        if (ft_ == F::MXFP4_MOE) return pick(T::Q8_0, what);
        if (f_.arch == "falcon") return pick(T::Q8_0, what + " (Falcon)");
        if (t.rowLength() % static_cast<int64_t>(typeTraits(base_).blockSize) != 0)
            return pick(T::Q8_0, what + ", rows not whole " + std::string(typeName(base_)) + " blocks");
        if (is({F::IQ2_XXS, F::IQ2_XS, F::IQ3_XXS, F::IQ1_S, F::IQ2_S, F::IQ2_M, F::IQ1_M}))
            return pick(T::Q5_K, what);
        return pick(base_ == T::Q8_0 ? T::Q8_0 : T::Q6_K, what);
    }

    PresetChoice tokenEmbedding() const {
        if (is({F::IQ2_XXS, F::IQ2_XS, F::IQ1_S, F::IQ1_M})) return pick(T::Q2_K, "token_embd");
        if (is({F::IQ2_S, F::IQ2_M, F::IQ3_XXS})) return pick(T::IQ3_S, "token_embd");
        if (is({F::TQ1_0, F::TQ2_0, F::Q2_0})) return pick(T::Q4_K, "token_embd");
        return pick(base_, "default type");
    }

    // IQ1 and IQ2 mixtures.
    PresetChoice lowBit(Category c) {
        const bool toIq3 = is({F::IQ2_S, F::IQ2_M});
        if (carriesValues(c)) {
            ++values_;
            if (f_.gqa() >= 4 || f_.experts >= 4)
                return pick(T::Q4_K, "attn_v with grouped-query attention or experts");
            return pick(toIq3 ? T::IQ3_S : T::Q2_K, "attn_v");
        }
        if (f_.experts == 8 && c == Category::AttnK) return pick(T::Q4_K, "attn_k of an 8-expert model");
        if (c == Category::FfnDown) {
            const bool early = ffnDown_ < f_.layers / 8;
            ++ffnDown_;
            if (early) return pick(toIq3 ? T::IQ3_S : T::Q2_K, "ffn_down in the first eighth");
            return pick(base_, "default type");
        }
        if (c == Category::AttnOutput) {
            if (f_.experts == 8) return pick(T::Q5_K, "attn_output of an 8-expert model");
            if (is({F::IQ1_S, F::IQ1_M})) return pick(T::IQ2_XXS, "attn_output");
            if (toIq3) return pick(T::IQ3_S, "attn_output");
        }
        return pick(base_, "default type");
    }

    PresetChoice values() {
        const int i = values_++;
        const int n = f_.valueTensors;
        const bool gqa4 = f_.gqa() >= 4;
        T type = base_;
        std::string why = "default type";
        const auto set = [&](T t, std::string w) { type = t, why = std::move(w); };
        if (ft_ == F::Q2_K)
            set(gqa4 ? T::Q4_K : T::Q3_K, "attn_v");
        else if (ft_ == F::Q2_K_S && gqa4)
            set(T::Q4_K, "attn_v with grouped-query attention");
        else if (ft_ == F::IQ3_XXS)
            set(gqa4 ? T::Q4_K : importance_ ? T::IQ3_XXS : T::IQ3_S, "attn_v");
        else if (is({F::IQ3_XS, F::IQ3_S}) && gqa4)
            set(T::Q4_K, "attn_v with grouped-query attention");
        else if (ft_ == F::IQ3_M)
            set(T::Q4_K, "attn_v");
        else if (ft_ == F::Q3_K_M)
            set(i < 2 ? T::Q5_K : T::Q4_K, i < 2 ? "one of the first two attn_v" : "attn_v");
        else if (ft_ == F::Q3_K_L)
            set(T::Q5_K, "attn_v");
        else if (is({F::IQ4_NL, F::IQ4_XS}) && gqa4)
            set(T::Q5_K, "attn_v with grouped-query attention");
        else if (is({F::Q4_K_M, F::Q5_K_M}) && moreBits(i, n))
            set(T::Q6_K, "attn_v " + std::to_string(i) + " of " + std::to_string(n) + " gets more bits");
        else if (ft_ == F::Q4_K_S && i < 4)
            set(T::Q5_K, "one of the first four attn_v");
        if (f_.is70B && (type == T::Q3_K || type == T::Q4_K)) set(T::Q5_K, "attn_v of a 70B model");
        if (f_.experts == 8) set(T::Q8_0, "attn_v of an 8-expert model");
        return {type, std::move(why)};
    }

    // The layer of an ffn tensor: its block index with experts, else how many came before it.
    Result<int> ffnLayer(const TensorInfo& t, int counter) const {
        if (std::max<uint32_t>(1, f_.experts) <= 1) return counter;
        const auto block = blockIndex(t.name);
        if (!block)
            return makeError(
                model_.path.string(), "tensors['" + t.name + "']", std::nullopt,
                "the name gives no block index, which llama.cpp's mixtures need for expert models");
        if (*block < 0 || *block >= f_.layers)
            return makeError(model_.path.string(), "tensors['" + t.name + "']", std::nullopt,
                             "block " + std::to_string(*block) + " is outside the model's " +
                                 std::to_string(f_.layers) + " blocks");
        return *block;
    }

    Result<PresetChoice> ffnDown(const TensorInfo& t) {
        const auto layer = ffnLayer(t, ffnDown_);
        if (!layer) return layer.error();
        ++ffnDown_;
        const int i = *layer, n = f_.layers;
        const bool falcon = f_.arch == "falcon";
        const bool more = moreBits(i, n);
        const std::string where = "ffn_down in layer " + std::to_string(i) + " of " + std::to_string(n);
        if (ft_ == F::Q2_K) return pick(T::Q3_K, "ffn_down");
        if (ft_ == F::Q2_K_S)
            return i < n / 8 ? pick(T::Q4_K, where + " (first eighth)") : pick(base_, "default type");
        if (ft_ == F::IQ3_XXS && !importance_) return pick(i < n / 8 ? T::Q4_K : T::Q3_K, where);
        if (ft_ == F::Q3_K_M) return pick(i < n / 16 ? T::Q5_K : !falcon || more ? T::Q4_K : T::Q3_K, where);
        if (ft_ == F::IQ3_M && (i < n / 8 || (f_.experts == 8 && more))) return pick(T::Q4_K, where);
        if (ft_ == F::Q3_K_L) return pick(falcon ? T::Q4_K : T::Q5_K, "ffn_down");
        if (ft_ == F::Q4_K_M) {
            if (falcon) return pick(i < n / 16 ? T::Q6_K : more ? T::Q5_K : T::Q4_K, where);
            return more ? pick(T::Q6_K, where + " gets more bits") : pick(base_, "default type");
        }
        if (i < n / 8 && is({F::IQ4_NL, F::IQ4_XS}) && !importance_)
            return pick(T::Q5_K, where + " (first eighth)");
        if (ft_ == F::Q5_K_M && more) return pick(T::Q6_K, where + " gets more bits");
        if (ft_ == F::Q4_K_S && !falcon && i < n / 8) return pick(T::Q5_K, where + " (first eighth)");
        if (is({F::Q4_0, F::Q5_0}) && importance_ && i < n / 8)
            return pick(ft_ == F::Q4_0 ? T::Q4_1 : T::Q5_1, where + " (first eighth, with importance)");
        return pick(base_, "default type");
    }

    PresetChoice attnOutput() const {
        if (f_.arch == "falcon")
            return ft_ == F::Q3_K_L ? pick(T::Q4_K, "attn_output") : pick(base_, "default type");
        if (f_.experts == 8) {
            if (is({F::Q2_K, F::IQ3_XS, F::IQ3_XXS, F::Q3_K_S, F::Q3_K_M, F::IQ4_NL, F::Q4_K_S, F::Q4_K_M,
                    F::IQ3_S, F::IQ3_M, F::IQ4_XS}))
                return pick(T::Q5_K, "attn_output of an 8-expert model");
            return pick(base_, "default type");
        }
        if (ft_ == F::Q2_K) return pick(T::Q3_K, "attn_output");
        if (ft_ == F::IQ3_XXS) return pick(T::IQ3_S, "attn_output");
        if (ft_ == F::Q3_K_M || ft_ == F::IQ3_M) return pick(T::Q4_K, "attn_output");
        if (ft_ == F::Q3_K_L) return pick(T::Q5_K, "attn_output");
        return pick(base_, "default type");
    }

    Result<PresetChoice> ffnGateUp(const TensorInfo& t, int& counter) {
        const auto layer = ffnLayer(t, counter);
        if (!layer) return layer.error();
        ++counter;
        const int i = *layer, n = f_.layers;
        if (ft_ == F::IQ3_XS && i >= n / 8 && i < 7 * n / 8)
            return pick(T::IQ3_XXS, "ffn_gate/ffn_up in a middle layer");
        return pick(base_, "default type");
    }

    const Model& model_;
    ModelFacts f_;
    F ft_;
    T base_;
    bool importance_;
    int values_ = 0;
    int ffnDown_ = 0;
    int ffnGate_ = 0;
    int ffnUp_ = 0;
};

} // namespace

Result<std::vector<std::optional<PresetChoice>>> llamaPresetTypes(const Model& model, LlamaFileType fileType,
                                                                  bool importance) {
    const LlamaFileTypeInfo& info = llamaFileTypeInfo(fileType);
    if (!info.preset)
        return makeError(model.path.string(), "preset", std::nullopt,
                         std::string(info.name) + " names no llama.cpp mixture");
    const std::string arch = model.architecture();
    std::vector<std::optional<PresetChoice>> choices(model.tensors.size());

    // llama.cpp walks the tensors by block index (none first), then by name; the counters
    // behind "the first two attn_v" and the like follow that order.
    std::vector<size_t> order(model.tensors.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::vector<int> blocks(model.tensors.size());
    for (size_t i = 0; i < model.tensors.size(); ++i)
        blocks[i] = blockIndex(model.tensors[i].name).value_or(-1);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        if (blocks[a] != blocks[b]) return blocks[a] < blocks[b];
        return model.tensors[a].name < model.tensors[b].name;
    });

    const bool quantizedBase = typeTraits(info.defaultType).quantized;
    Mixture mixture(model, readFacts(model), fileType, importance);
    for (const size_t i : order) {
        const TensorInfo& t = model.tensors[i];
        if (reasonNotQuantized(t.name, t.shape, arch)) continue;
        if (!quantizedBase) {
            choices[i] = PresetChoice{info.defaultType, "default type"};
            continue;
        }
        auto choice = mixture.choose(t);
        if (!choice) return std::move(choice).error();
        choices[i] = std::move(*choice);
    }
    return choices;
}

bool llamaRequiresImportance(std::string_view name, TensorType type, std::optional<LlamaFileType> fileType) {
    if (name == "token_embd.weight" || name == "per_layer_token_embd.weight" || name == "output.weight")
        return false;
    switch (type) {
    case T::IQ3_XXS:
    case T::IQ2_XXS:
    case T::IQ2_XS:
    case T::IQ2_S:
    case T::IQ1_M:
    case T::IQ1_S:
        return true;
    case T::Q2_K:
        return fileType == F::Q2_K_S;
    default:
        return false;
    }
}

} // namespace matryx
