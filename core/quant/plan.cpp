#include "quant/plan.h"

#include "quant/bit_width.h"
#include "quant/llama_preset_types.h"
#include "quant/plan_json.h"
#include "quant/plan_layout.h"
#include "quant/plan_rules.h"
#include "quant/quantizable_tensor.h"
#include "quant/tensor_kind.h"
#include "quant/type_fallback.h"

#include <set>

namespace matryx {

namespace {

constexpr const char* kPlanFile = "<plan>";

std::string ruleReason(const PlanRule& rule, int index) {
    std::string why = "rule " + std::to_string(index);
    if (!rule.note.empty()) why += " (" + rule.note + ")";
    return why;
}

// Types without a GGUF id are written as F32, which holds every value they can take.
TensorType keptType(TensorType source) {
    return typeTraits(source).ggml ? source : TensorType::F32;
}

} // namespace

std::string_view planStepName(PlanStep step) noexcept {
    switch (step) {
    case PlanStep::Kept:
        return "kept";
    case PlanStep::Base:
        return "base";
    case PlanStep::Preset:
        return "preset";
    case PlanStep::Rule:
        return "rule";
    case PlanStep::Override:
        return "override";
    }
    return "?";
}

bool ResolvedTensor::requantizes() const noexcept {
    return typeTraits(source).quantized && target != source;
}

double ResolvedPlan::bitsPerWeight() const noexcept {
    return elements ? 8.0 * static_cast<double>(tensorBytes) / static_cast<double>(elements) : 0.0;
}

size_t ResolvedPlan::fallbacks() const noexcept {
    size_t n = 0;
    for (const auto& t : tensors)
        n += t.chosen.has_value();
    return n;
}

Plan Plan::fromPreset(LlamaFileType preset) {
    Plan plan;
    plan.base = llamaFileTypeInfo(preset).defaultType;
    plan.preset = preset;
    return plan;
}

std::optional<LlamaFileType> Plan::fileType() const noexcept {
    return preset ? preset : fileTypeForBase(base);
}

Status Plan::validate(const std::string& file) const {
    if (!isWeightType(base))
        return makeError(file, "base", std::nullopt,
                         std::string(typeName(base)) + " is not a type weights can be stored in");
    if (preset) {
        const LlamaFileTypeInfo& info = llamaFileTypeInfo(*preset);
        if (!info.preset)
            return makeError(file, "preset", std::nullopt,
                             std::string(info.name) + " is not a llama.cpp preset");
        if (info.defaultType != base)
            return makeError(file, "base", std::nullopt,
                             "preset " + std::string(info.name) + " is built on " +
                                 std::string(typeName(info.defaultType)) + ", not " +
                                 std::string(typeName(base)));
    }
    for (size_t i = 0; i < rules.size(); ++i)
        if (auto s = validateRule(rules[i], file, "rules[" + std::to_string(i) + "]"); !s) return s;
    for (const auto& [name, type] : overrides) {
        const std::string field = "overrides['" + name + "']";
        if (name.empty()) return makeError(file, field, std::nullopt, "empty tensor name");
        if (!isWeightType(type))
            return makeError(file, field, std::nullopt,
                             std::string(typeName(type)) + " is not a type weights can be stored in");
    }
    return {};
}

Result<ResolvedPlan> Plan::resolve(const Model& model) const {
    if (auto s = validate(kPlanFile); !s) return std::move(s).error();
    auto compiled = CompiledRules::compile(rules, kPlanFile);
    if (!compiled) return std::move(compiled).error();
    std::vector<std::optional<PresetChoice>> presetChoices;
    std::string presetName;
    if (preset) {
        auto choices = llamaPresetTypes(model, *preset, importance);
        if (!choices) return std::move(choices).error();
        presetChoices = std::move(*choices);
        presetName = std::string(llamaFileTypeInfo(*preset).name);
    }
    const int layerCount = modelBlockCount(model);
    const std::string arch = model.architecture();

    ResolvedPlan out;
    out.fileType = fileType();
    out.alignment = model.alignment;
    out.tensors.reserve(model.tensors.size());
    std::set<std::string> keptOverrides;
    for (size_t i = 0; i < model.tensors.size(); ++i) {
        const TensorInfo& t = model.tensors[i];
        ResolvedTensor r;
        r.name = t.name;
        r.shape = t.shape;
        r.source = t.type;
        r.elements = t.elements();
        if (const auto reason = reasonNotQuantized(t.name, t.shape, arch)) {
            r.step = PlanStep::Kept;
            r.target = keptType(t.type);
            r.why = "kept: " + std::string(*reason);
            if (r.target != t.type) r.why += ", " + std::string(typeName(t.type)) + " has no GGUF type";
            if (overrides.contains(t.name)) keptOverrides.insert(t.name);
        } else {
            r.step = PlanStep::Base;
            r.target = base;
            r.why = "base type";
            if (preset && presetChoices[i]) {
                r.step = PlanStep::Preset;
                r.target = presetChoices[i]->type;
                r.why = presetName + ": " + presetChoices[i]->why;
            }
            auto rule = compiled->lastMatch(t.name, classifyTensor(t.name), layerCount);
            if (!rule) return std::move(rule).error();
            if (*rule >= 0) {
                r.step = PlanStep::Rule;
                r.rule = *rule;
                r.target = rules[static_cast<size_t>(*rule)].type;
                r.why = ruleReason(rules[static_cast<size_t>(*rule)], *rule);
            }
            if (const auto o = overrides.find(t.name); o != overrides.end()) {
                r.step = PlanStep::Override;
                r.target = o->second;
                r.why = "override";
            }
            if (const TensorType fits = rowFallbackType(r.target, t.rowLength()); fits != r.target) {
                r.why += "; rows of " + std::to_string(t.rowLength()) + " are not whole " +
                         std::string(typeName(r.target)) + " blocks, so " + std::string(typeName(fits));
                r.chosen = r.target;
                r.target = fits;
            }
            r.needsImportance = llamaRequiresImportance(t.name, r.target, preset);
        }
        const auto bytes = bytesFor(r.target, r.elements);
        if (!bytes)
            return makeError(model.path.string(), "tensors['" + t.name + "']", std::nullopt,
                             "size as " + std::string(typeName(r.target)) + " does not fit 64 bits");
        r.bytes = *bytes;
        out.tensorBytes += r.bytes;
        out.elements += r.elements;
        out.tensors.push_back(std::move(r));
    }

    for (const auto& [name, type] : overrides) {
        if (keptOverrides.contains(name))
            out.warnings.push_back("override for " + name + " ignored: the tensor is never quantized");
        else if (!model.findTensor(name))
            out.warnings.push_back("override for " + name + " ignored: the model has no such tensor");
    }

    out.metadata = quantizedMetadata(model.metadata, out.fileType, planToJson(*this, -1));
    std::vector<OutputTensor> outputs;
    outputs.reserve(out.tensors.size());
    for (const auto& r : out.tensors)
        outputs.push_back({r.name, r.target, r.shape});
    auto size = predictGgufSize(model.path.string(), out.metadata, outputs, out.alignment);
    if (!size) return std::move(size).error();
    out.headerBytes = size->headerBytes;
    out.fileBytes = size->fileBytes;
    return out;
}

} // namespace matryx
