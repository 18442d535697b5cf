#include "quant/plan_json.h"

#include "quant/bit_width.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <initializer_list>
#include <limits>
#include <span>

namespace matryx {

namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

// Reads one JSON document into a Plan, remembering the file for errors.
class PlanReader {
public:
    explicit PlanReader(const std::string& file) : file_(file) {}

    Result<Plan> read(const Json& root) {
        if (!root.is_object()) return fail("", "a plan is a JSON object");
        // The version comes first: a newer file is reported as such, not by its new keys.
        if (!root.contains("version")) return fail("version", "missing; this Matryx reads version 1");
        const auto version = integer(root["version"]);
        if (!version) return fail("version", "must be an integer");
        if (*version != kPlanJsonVersion)
            return fail("version",
                        "version " + std::to_string(*version) + " is not one this Matryx reads (1)");
        if (auto s = onlyKeys(
                root, "",
                {"version", "description", "preset", "importance_matrix", "base", "rules", "overrides"});
            !s)
            return std::move(s).error();

        Plan plan;
        if (root.contains("description")) {
            if (!root["description"].is_string()) return fail("description", "must be a string");
            plan.description = root["description"].get<std::string>();
        }
        if (root.contains("preset")) {
            const Json& p = root["preset"];
            if (!p.is_string()) return fail("preset", "must be a string such as \"Q4_K_M\"");
            const auto preset = findLlamaFileType(p.get<std::string>());
            if (!preset) return fail("preset", "unknown preset '" + p.get<std::string>() + "'");
            plan.preset = preset;
            plan.base = llamaFileTypeInfo(*preset).defaultType;
        }
        if (root.contains("importance_matrix")) {
            if (!root["importance_matrix"].is_boolean())
                return fail("importance_matrix", "must be true or false");
            plan.importance = root["importance_matrix"].get<bool>();
        }
        if (root.contains("base")) {
            auto base = type(root["base"], "base");
            if (!base) return std::move(base).error();
            plan.base = *base;
        } else if (!plan.preset) {
            return fail("base", "missing: give a type, a bit width or a preset");
        }
        if (root.contains("rules")) {
            const Json& rules = root["rules"];
            if (!rules.is_array()) return fail("rules", "must be an array");
            for (size_t i = 0; i < rules.size(); ++i) {
                auto rule = readRule(rules[i], "rules[" + std::to_string(i) + "]");
                if (!rule) return std::move(rule).error();
                plan.rules.push_back(std::move(*rule));
            }
        }
        if (root.contains("overrides")) {
            const Json& overrides = root["overrides"];
            if (!overrides.is_object()) return fail("overrides", "must be an object of tensor name -> type");
            for (const auto& [name, value] : overrides.items()) {
                auto t = type(value, "overrides['" + name + "']");
                if (!t) return std::move(t).error();
                plan.overrides[name] = *t;
            }
        }
        if (auto s = plan.validate(file_); !s) return std::move(s).error();
        return plan;
    }

private:
    Error fail(const std::string& field, std::string message) const {
        return makeError(file_, field, std::nullopt, std::move(message));
    }

    static std::string join(const std::string& path, const std::string& key) {
        return path.empty() ? key : path + "." + key;
    }

    Status onlyKeys(const Json& object, const std::string& path,
                    std::initializer_list<std::string_view> keys) const {
        for (const auto& [key, value] : object.items()) {
            bool known = false;
            for (const auto k : keys)
                known = known || key == k;
            if (!known) return fail(join(path, key), "unknown key '" + key + "'");
        }
        return {};
    }

    static std::optional<int64_t> integer(const Json& j) {
        if (j.is_number_unsigned()) {
            const auto u = j.get<uint64_t>();
            if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
            return static_cast<int64_t>(u);
        }
        if (j.is_number_integer()) return j.get<int64_t>();
        return std::nullopt;
    }

    Result<TensorType> type(const Json& j, const std::string& field) const {
        if (j.is_string()) {
            const std::string name = j.get<std::string>();
            const auto t = typeFromName(name);
            if (!t) return fail(field, "unknown tensor type '" + name + "'");
            return *t;
        }
        if (const auto bits = integer(j)) {
            const auto t = *bits >= 0 && *bits <= 64 ? typeForBits(static_cast<int>(*bits)) : std::nullopt;
            if (!t)
                return fail(field,
                            "no type for " + std::to_string(*bits) + " bits (2, 3, 4, 5, 6, 8, 16 or 32)");
            return *t;
        }
        return fail(field, "must be a type name such as \"Q4_K\" or a bit width such as 4");
    }

    Result<int> layerNumber(const Json& j, const std::string& field) const {
        const auto n = integer(j);
        if (!n) return fail(field, "must be an integer");
        if (*n < -kMaxLayerIndexJson || *n > kMaxLayerIndexJson)
            return fail(field, "layer " + std::to_string(*n) + " is out of range");
        return static_cast<int>(*n);
    }

    Result<LayerRange> readLayers(const Json& j, const std::string& path) const {
        if (!j.is_object())
            return fail(
                path, "must be an object: {\"first\": 0, \"last\": 3}, {\"first_n\": 4} or {\"last_n\": 4}");
        if (auto s = onlyKeys(j, path, {"first", "last", "first_n", "last_n"}); !s)
            return std::move(s).error();
        if (j.empty()) return fail(path, "empty: give first/last, first_n or last_n");
        for (const char* counted : {"first_n", "last_n"}) {
            if (!j.contains(counted)) continue;
            if (j.size() != 1)
                return fail(path, std::string(counted) + " cannot be combined with other keys");
            auto n = layerNumber(j[counted], join(path, counted));
            if (!n) return std::move(n).error();
            if (*n < 1) return fail(join(path, counted), "must be at least 1");
            return std::string_view(counted) == "first_n" ? LayerRange::firstN(*n) : LayerRange::lastN(*n);
        }
        LayerRange range;
        if (j.contains("first")) {
            auto n = layerNumber(j["first"], join(path, "first"));
            if (!n) return std::move(n).error();
            range.first = *n;
        }
        if (j.contains("last")) {
            auto n = layerNumber(j["last"], join(path, "last"));
            if (!n) return std::move(n).error();
            range.last = *n;
        }
        return range;
    }

    Result<PlanRule> readRule(const Json& j, const std::string& path) const {
        if (!j.is_object()) return fail(path, "a rule is an object");
        if (auto s = onlyKeys(j, path, {"pattern", "layers", "kinds", "type", "note"}); !s)
            return std::move(s).error();
        PlanRule rule;
        if (!j.contains("type")) return fail(join(path, "type"), "missing");
        auto t = type(j["type"], join(path, "type"));
        if (!t) return std::move(t).error();
        rule.type = *t;
        if (j.contains("pattern")) {
            if (!j["pattern"].is_string()) return fail(join(path, "pattern"), "must be a string");
            rule.pattern = j["pattern"].get<std::string>();
        }
        if (j.contains("layers")) {
            auto layers = readLayers(j["layers"], join(path, "layers"));
            if (!layers) return std::move(layers).error();
            rule.layers = *layers;
        }
        if (j.contains("kinds")) {
            const Json& kinds = j["kinds"];
            if (!kinds.is_array()) return fail(join(path, "kinds"), "must be an array of strings");
            for (size_t k = 0; k < kinds.size(); ++k) {
                if (!kinds[k].is_string())
                    return fail(join(path, "kinds") + "[" + std::to_string(k) + "]", "must be a string");
                rule.kinds.push_back(kinds[k].get<std::string>());
            }
        }
        if (j.contains("note")) {
            if (!j["note"].is_string()) return fail(join(path, "note"), "must be a string");
            rule.note = j["note"].get<std::string>();
        }
        return rule;
    }

    // Wider than Plan::validate's bound so that validate reports a too-large layer by its field.
    static constexpr int64_t kMaxLayerIndexJson = int64_t{1} << 30;

    const std::string& file_;
};

std::string typeText(TensorType t) {
    return std::string(typeName(t));
}

} // namespace

std::string planToJson(const Plan& plan, int indent) {
    OrderedJson root;
    root["version"] = kPlanJsonVersion;
    if (!plan.description.empty()) root["description"] = plan.description;
    if (plan.preset) {
        root["preset"] = std::string(llamaFileTypeInfo(*plan.preset).name);
        root["importance_matrix"] = plan.importance;
    }
    root["base"] = typeText(plan.base);
    OrderedJson rules = OrderedJson::array();
    for (const auto& rule : plan.rules) {
        OrderedJson r;
        if (!rule.pattern.empty()) r["pattern"] = rule.pattern;
        if (rule.layers) r["layers"] = {{"first", rule.layers->first}, {"last", rule.layers->last}};
        if (!rule.kinds.empty()) r["kinds"] = rule.kinds;
        r["type"] = typeText(rule.type);
        if (!rule.note.empty()) r["note"] = rule.note;
        rules.push_back(std::move(r));
    }
    root["rules"] = std::move(rules);
    OrderedJson overrides = OrderedJson::object();
    for (const auto& [name, type] : plan.overrides)
        overrides[name] = typeText(type);
    root["overrides"] = std::move(overrides);
    // Replacement of invalid UTF-8 keeps dump() from throwing on odd names and notes.
    const std::string text = root.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
    return indent < 0 ? text : text + "\n";
}

Result<Plan> planFromJson(std::string_view text, const std::string& file) {
    Json root;
    try {
        root = Json::parse(text.begin(), text.end());
    } catch (const Json::parse_error& e) {
        std::string message = e.what();
        if (const size_t end = message.find("] "); end != std::string::npos) message.erase(0, end + 2);
        return makeError(file, "", e.byte > 0 ? e.byte - 1 : 0, "not valid JSON: " + message);
    } catch (const std::exception& e) {
        return makeError(file, "", std::nullopt, std::string("cannot read JSON: ") + e.what());
    }
    try {
        return PlanReader(file).read(root);
    } catch (const std::exception& e) {
        // Every access above is checked; this only guards against allocation failures.
        return makeError(file, "", std::nullopt, e.what());
    }
}

Status savePlan(const Plan& plan, const std::filesystem::path& path, Overwrite overwrite) {
    if (auto s = plan.validate(path.string()); !s) return s;
    auto out = AtomicFile::create(path, overwrite);
    if (!out) return std::move(out).error();
    const std::string text = planToJson(plan);
    if (auto s = (*out)->write(std::as_bytes(std::span(text.data(), text.size()))); !s) return s;
    return (*out)->commit();
}

Result<Plan> loadPlan(const std::filesystem::path& path) {
    const std::string file = path.string();
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return makeError(file, "", std::nullopt, "cannot read: " + ec.message());
    if (size > kMaxPlanFileBytes)
        return makeError(file, "", std::nullopt,
                         "plan file is " + std::to_string(size) + " bytes; at most " +
                             std::to_string(kMaxPlanFileBytes) + " are accepted");
    std::ifstream in(path, std::ios::binary);
    if (!in) return makeError(file, "", std::nullopt, "cannot open for reading");
    std::string text(static_cast<size_t>(size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    if (in.gcount() != static_cast<std::streamsize>(size))
        return makeError(file, "", std::nullopt, "read failed");
    return planFromJson(text, file);
}

} // namespace matryx
