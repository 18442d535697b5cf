#pragma once

// The rules of a plan, checked and compiled once for matching against every tensor of a model.

#include "base/error.h"
#include "format/model.h"
#include "quant/plan.h"
#include "quant/tensor_kind.h"

#include <memory>
#include <regex>
#include <span>
#include <string>
#include <vector>

namespace matryx {

inline constexpr size_t kMaxRulePatternBytes = 1000;
inline constexpr int kMaxLayerIndex = 1 << 20;

// Checks one rule (see Plan::validate); `field` is its path, "rules[3]".
Status validateRule(const PlanRule& rule, const std::string& file, const std::string& field);

// The number of blocks: {arch}.block_count, else one more than the highest block index in the
// tensor names (0 when there are none). Relative layer ranges count from it.
int modelBlockCount(const Model& model);

class CompiledRules {
public:
    // Validates and compiles every rule; errors as validateRule's, for "rules[i]".
    static Result<CompiledRules> compile(std::span<const PlanRule> rules, const std::string& file);

    // The index of the last rule that matches the tensor, or -1. Fails only when the regex
    // engine gives up on a pattern (too complex for the name).
    Result<int> lastMatch(const std::string& name, const TensorKind& kind, int layerCount) const;

private:
    struct Compiled {
        const PlanRule* rule;
        std::shared_ptr<const std::regex> regex; // null for an empty pattern
    };
    std::vector<Compiled> rules_;
    std::string file_;
};

} // namespace matryx
