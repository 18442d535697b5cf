#include "quant/plan_rules.h"

#include "quant/bit_width.h"

#include <algorithm>

namespace matryx {

namespace {

Result<std::shared_ptr<const std::regex>> compilePattern(const std::string& pattern, const std::string& file,
                                                         const std::string& field) {
    if (pattern.empty()) return std::shared_ptr<const std::regex>();
    if (pattern.size() > kMaxRulePatternBytes)
        return makeError(file, field, std::nullopt,
                         "pattern is " + std::to_string(pattern.size()) + " bytes; at most " +
                             std::to_string(kMaxRulePatternBytes) + " are accepted");
    try {
        return std::make_shared<const std::regex>(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
        return makeError(file, field, std::nullopt,
                         "'" + pattern + "' is not a valid regular expression: " + e.what());
    } catch (const std::exception& e) {
        return makeError(file, field, std::nullopt, "'" + pattern + "' cannot be compiled: " + e.what());
    }
}

// Everything but the pattern, which compiling checks.
Status checkRuleFields(const PlanRule& rule, const std::string& file, const std::string& field) {
    if (!isWeightType(rule.type))
        return makeError(file, field + ".type", std::nullopt,
                         std::string(typeName(rule.type)) + " is not a type weights can be stored in");
    if (rule.layers) {
        const LayerRange& r = *rule.layers;
        for (const auto& [end, name] : {std::pair{r.first, ".first"}, std::pair{r.last, ".last"}})
            if (end < -kMaxLayerIndex || end > kMaxLayerIndex)
                return makeError(file, field + ".layers" + name, std::nullopt,
                                 "layer " + std::to_string(end) + " is out of range (at most " +
                                     std::to_string(kMaxLayerIndex) + " either way)");
        if ((r.first < 0) == (r.last < 0) && r.first > r.last)
            return makeError(file, field + ".layers", std::nullopt,
                             "first layer " + std::to_string(r.first) + " comes after last layer " +
                                 std::to_string(r.last));
    }
    for (size_t k = 0; k < rule.kinds.size(); ++k)
        if (rule.kinds[k].empty())
            return makeError(file, field + ".kinds[" + std::to_string(k) + "]", std::nullopt,
                             "empty tensor kind");
    return {};
}

} // namespace

Status validateRule(const PlanRule& rule, const std::string& file, const std::string& field) {
    if (auto s = checkRuleFields(rule, file, field); !s) return s;
    if (auto regex = compilePattern(rule.pattern, file, field + ".pattern"); !regex)
        return std::move(regex).error();
    return {};
}

bool LayerRange::contains(int layer, int layerCount) const noexcept {
    const auto place = [&](int end) { return end < 0 ? int64_t{layerCount} + end : int64_t{end}; };
    return layer >= place(first) && layer <= place(last);
}

int modelBlockCount(const Model& model) {
    if (const MetaValue* v = model.metadata.find(model.architecture() + ".block_count"))
        if (const auto n = v->toUnsigned()) return static_cast<int>(std::min<uint64_t>(*n, kMaxLayerIndex));
    int count = 0;
    for (const auto& t : model.tensors)
        if (const auto layer = classifyTensor(t.name).layer; layer && *layer < kMaxLayerIndex)
            count = std::max(count, *layer + 1);
    return count;
}

Result<CompiledRules> CompiledRules::compile(std::span<const PlanRule> rules, const std::string& file) {
    CompiledRules out;
    out.file_ = file;
    for (size_t i = 0; i < rules.size(); ++i) {
        const std::string field = "rules[" + std::to_string(i) + "]";
        if (auto s = checkRuleFields(rules[i], file, field); !s) return std::move(s).error();
        auto regex = compilePattern(rules[i].pattern, file, field + ".pattern");
        if (!regex) return std::move(regex).error();
        out.rules_.push_back({&rules[i], std::move(*regex)});
    }
    return out;
}

Result<int> CompiledRules::lastMatch(const std::string& name, const TensorKind& kind, int layerCount) const {
    for (size_t i = rules_.size(); i-- > 0;) {
        const PlanRule& rule = *rules_[i].rule;
        if (rule.layers && (!kind.layer || !rule.layers->contains(*kind.layer, layerCount))) continue;
        if (!rule.kinds.empty() &&
            std::find(rule.kinds.begin(), rule.kinds.end(), kind.kind) == rule.kinds.end())
            continue;
        if (rules_[i].regex) {
            try {
                if (!std::regex_search(name, *rules_[i].regex)) continue;
            } catch (const std::exception& e) {
                return makeError(file_, "rules[" + std::to_string(i) + "].pattern", std::nullopt,
                                 "matching '" + name + "' failed: " + e.what());
            }
        }
        return static_cast<int>(i);
    }
    return -1;
}

} // namespace matryx
