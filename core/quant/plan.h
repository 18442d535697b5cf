#pragma once

// A quantization plan ("Mix'n'Match"): which tensor type every tensor of a model gets.
//
// For each tensor, in this order, the later step winning:
//   1. tensors that are never quantized (quantizable_tensor.h: 1-D tensors, norms, position
//      embeddings, ...) keep their stored type, and no later step touches them;
//   2. the base type;
//   3. the preset, when there is one: llama.cpp's choice for that file type on this model
//      (llama_preset_types.h); a preset plan's base is the preset's default type;
//   4. the rules, in order: the last rule that matches the tensor decides;
//   5. the overrides: exact tensor name -> type;
//   6. when the rows do not split into whole blocks of the chosen type, llama.cpp's fallback
//      (type_fallback.h).
// A preset's choices do not depend on the rules and overrides (llama-quantize --tensor-type, by
// contrast, leaves matched tensors out of its attn_v / ffn_down counts).
//
// A plan is a plain value: the GUI edits it, plan_json.h saves and loads it, and resolve() turns
// it into per-tensor decisions and the exact size of the GGUF file it gives.

#include "base/error.h"
#include "format/metadata.h"
#include "format/model.h"
#include "quant/llama_file_type.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace matryx {

// Blocks ("blk.N.") a rule applies to, both ends included. Negative numbers count from the end
// of the model: -1 is the last block, so {0, 3} is the first four and {-4, -1} the last four.
struct LayerRange {
    int first = 0;
    int last = -1;

    static LayerRange firstN(int n) { return {0, n - 1}; }
    static LayerRange lastN(int n) { return {-n, -1}; }
    // Whether block `layer` of a model with `layerCount` blocks lies in the range.
    bool contains(int layer, int layerCount) const noexcept;

    friend bool operator==(const LayerRange&, const LayerRange&) = default;
};

struct PlanRule {
    // ECMAScript regular expression searched in the tensor name (std::regex_search, as
    // llama-quantize --tensor-type does); empty matches every name.
    std::string pattern;
    std::optional<LayerRange> layers; // only tensors of these blocks; tensors outside blocks never match
    std::vector<std::string> kinds; // only these kinds (tensor_kind.h): "attn_v", "ffn_down", ...; empty: all
    TensorType type = TensorType::Q4_K;
    std::string note; // shown with the decision; free text

    friend bool operator==(const PlanRule&, const PlanRule&) = default;
};

enum class PlanStep { Kept, Base, Preset, Rule, Override };
std::string_view planStepName(PlanStep step) noexcept; // "kept", "base", "preset", "rule", "override"

struct ResolvedTensor {
    std::string name;
    std::vector<int64_t> shape; // ggml order
    TensorType source = TensorType::F32;
    TensorType target = TensorType::F32;
    PlanStep step = PlanStep::Kept;
    int rule = -1;                    // index into Plan::rules when step == Rule
    std::optional<TensorType> chosen; // the type the steps chose when the row-length fallback replaced it
    std::string why;                  // the decision in words, e.g. "Q4_K_M: output; rows ... -> Q8_0"
    bool needsImportance = false;     // llama-quantize would refuse this type without an importance matrix
    uint64_t elements = 0;
    uint64_t bytes = 0; // in the output file, without alignment padding

    // A quantized tensor that gets another type: its values pass through dequantization.
    bool requantizes() const noexcept;
};

struct ResolvedPlan {
    std::vector<ResolvedTensor> tensors;   // in the model's order
    std::optional<LlamaFileType> fileType; // written to general.file_type
    Metadata metadata;                     // the output file's metadata (plan_layout.h), with the plan
    uint64_t alignment = 32;               // the source's GGUF alignment, kept
    uint64_t headerBytes = 0;              // everything before the tensor data, padded
    uint64_t tensorBytes = 0;              // sum of ResolvedTensor::bytes
    uint64_t fileBytes = 0;                // the GGUF file's exact size
    uint64_t elements = 0;
    std::vector<std::string> warnings; // overrides that name no tensor or one that is never quantized

    double bitsPerWeight() const noexcept; // 8 * tensorBytes / elements, as llama.cpp reports it
    size_t fallbacks() const noexcept;     // tensors whose rows forced another type
};

struct Plan {
    TensorType base = TensorType::Q4_K;
    std::optional<LlamaFileType> preset;
    bool importance = false; // the preset chooses as llama.cpp does with an importance matrix
    std::vector<PlanRule> rules;
    std::map<std::string, TensorType> overrides;
    std::string description; // free text

    // The preset's plan: its default type as the base, no rules.
    static Plan fromPreset(LlamaFileType preset);

    // What every plan must satisfy, checked by resolve() and by loading: types a weight can be
    // stored in (bit_width.h: isWeightType), a preset llama-quantize offers and whose default
    // type is the base, patterns that compile (at most 1000 bytes), layer ranges whose ends lie
    // within +-2^20 and are in order when both count from the same end, non-empty kinds and
    // override names. The Error names `file` and the field as the JSON schema spells it
    // ("rules[2].pattern", "overrides['output.weight']").
    Status validate(const std::string& file = "<plan>") const;

    // Decides every tensor of `model` and predicts the GGUF file: headers as the GGUF writer lays
    // them out for plan_layout.h's metadata at the model's alignment, each tensor padded to it.
    // Fails when the plan is invalid, a preset cannot place an expert tensor (llama_preset_types.h),
    // or the GGUF writer would refuse the result (a name over 63 bytes, a size overflow).
    Result<ResolvedPlan> resolve(const Model& model) const;

    // general.file_type of the result: the preset's, else the one fileTypeForBase names.
    std::optional<LlamaFileType> fileType() const noexcept;

    friend bool operator==(const Plan&, const Plan&) = default;
};

} // namespace matryx
