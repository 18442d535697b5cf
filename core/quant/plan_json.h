#pragma once

// Plans saved as JSON, a stable schema that people may write by hand:
//
//   {
//     "version": 1,                        required; this is the only version so far
//     "description": "text",               optional
//     "preset": "Q4_K_M",                  optional; a llama.cpp file type (llama_file_type.h)
//     "importance_matrix": false,          optional; the preset chooses as with an imatrix
//     "base": "Q4_K",                      a type; optional with a preset (then its default type)
//     "rules": [                           optional; in order, the last match wins
//       { "pattern": "ffn_(up|gate)",      optional ECMAScript regex, searched in the name
//         "layers": {"first": 0, "last": 3},  optional: blocks, negative counts from the end
//                                          (-1 is the last); or {"first_n": 4} / {"last_n": 4};
//                                          "first" defaults to 0 and "last" to -1
//         "kinds": ["ffn_up", "ffn_gate"], optional: tensor kinds (tensor_kind.h)
//         "type": "Q6_K",                  required
//         "note": "text" }                 optional
//     ],
//     "overrides": { "output.weight": "Q8_0" }  optional; exact tensor name -> type
//   }
//
// A type is a ggml type name, any case ("q4_k", "F16"), or a bit width as a number
// (bit_width.h: 4 -> Q4_K). Loading accepts nothing else: unknown keys, wrong value types,
// unknown type names or bit widths, unknown presets, bad regular expressions, bad layer ranges
// and everything Plan::validate checks are errors naming the JSON path ("rules[2].layers.first"),
// and a syntax error names its byte offset. Saving writes the canonical form: type names,
// ranges as first/last, keys in the order above.

#include "base/atomic_file.h"
#include "base/error.h"
#include "quant/plan.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace matryx {

inline constexpr int kPlanJsonVersion = 1;
inline constexpr uint64_t kMaxPlanFileBytes = 16u << 20;

// Indented by `indent` spaces per level; a negative indent gives one compact line.
std::string planToJson(const Plan& plan, int indent = 2);
// `file` names the source in errors.
Result<Plan> planFromJson(std::string_view text, const std::string& file = "<plan>");

// Writes through an AtomicFile; fails if the file exists and overwrite is No.
Status savePlan(const Plan& plan, const std::filesystem::path& path, Overwrite overwrite);
// Reads and validates a plan file of at most kMaxPlanFileBytes.
Result<Plan> loadPlan(const std::filesystem::path& path);

} // namespace matryx
