#include "format/hf_special_tokens.h"

#include "format/hf_json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace matryx {

namespace {

using json = nlohmann::json;

std::string tokenKey(std::string_view type) {
    if (type == "unk") return "tokenizer.ggml.unknown_token_id";
    if (type == "sep") return "tokenizer.ggml.seperator_token_id";
    if (type == "pad") return "tokenizer.ggml.padding_token_id";
    return "tokenizer.ggml." + std::string(type) + "_token_id";
}

// "<s>" or {"content": "<s>", ...} (a serialized AddedToken).
std::string tokenContent(const json* entry) {
    if (auto s = jsonString(entry)) return *s;
    return jsonString(jsonMember(entry, "content")).value_or("");
}

std::string specialTokenOf(const json& templateItem) {
    return jsonString(jsonMember(jsonMember(templateItem, "SpecialToken"), "id")).value_or("");
}

class SpecialVocab {
public:
    explicit SpecialVocab(const HfSpecialTokenSources& in) : in_(in) {
        const json* tc = in.tokenizerConfig;
        hasConfig_ = tc && tc->is_object() && !tc->empty();
        if (hasConfig_)
            for (const auto& type : types_)
                names_[type] = tokenContent(jsonMember(*tc, type + "_token"));
    }

    void run(Metadata& out) {
        if (in_.tokenizer) fromPostProcessor();
        if (hasConfig_) fromTokenizerConfig();
        if (in_.config) fromModelConfig();
        for (const auto& [type, id] : ids_)
            out.set(tokenKey(type), MetaValue::u32(id));
        for (const auto& [type, add] : add_)
            if (type == "bos" || type == "eos" || type == "sep")
                out.set("tokenizer.ggml.add_" + type + "_token", MetaValue::boolean(add));
        chatTemplate(out);
        normalizer(out);
    }

private:
    std::string& name(const std::string& type) { return names_[type]; }

    void setId(const std::string& type, std::optional<int64_t> id) {
        if (!id || *id < 0 || uint64_t(*id) >= in_.vocabSize || uint64_t(*id) > UINT32_MAX) return;
        for (const auto& entry : ids_)
            if (entry.first == type) return; // the first source to name a token wins
        ids_.emplace_back(type, uint32_t(*id));
    }
    std::optional<bool> add(const std::string& type) const {
        for (const auto& [t, v] : add_)
            if (t == type) return v;
        return std::nullopt;
    }
    void setAdd(const std::string& type, bool value, bool onlyIfUnset = false) {
        for (auto& [t, v] : add_)
            if (t == type) {
                if (!onlyIfUnset) v = value;
                return;
            }
        add_.emplace_back(type, value);
    }
    void addType(const std::string& type) {
        if (std::find(types_.begin(), types_.end(), type) == types_.end()) types_.push_back(type);
    }

    void fromPostProcessor();
    void fromTemplate(const json& processor);
    void fromTokenizerConfig();
    void fromModelConfig();
    void chatTemplate(Metadata& out) const;
    void normalizer(Metadata& out) const;

    const HfSpecialTokenSources& in_;
    bool hasConfig_ = false;
    std::vector<std::string> types_ = {"bos", "eos", "unk", "sep", "pad", "cls", "mask"};
    std::map<std::string, std::string> names_; // type -> token text, as tokenizer_config.json names it
    std::vector<std::pair<std::string, uint32_t>> ids_;
    std::vector<std::pair<std::string, bool>> add_;
};

void SpecialVocab::fromPostProcessor() {
    if (hasConfig_) {
        if (name("bos").empty() && !name("cls").empty()) name("bos") = name("cls");
        if (name("eos").empty() && !name("sep").empty()) name("eos") = name("sep");
    }
    const json* post = jsonMember(*in_.tokenizer, "post_processor");
    if (!post || !post->is_object()) return;
    const json* list = jsonMember(*post, "processors");
    const json single = json::array({*post});
    for (const auto& processor : (list && list->is_array()) ? *list : single) {
        const auto type = jsonString(jsonMember(processor, "type"));
        if (type == "ByteLevel") {
            setAdd("bos", false, true);
            setAdd("eos", false, true);
        } else if (type == "RobertaProcessing") {
            setAdd("bos", true);
            setAdd("eos", true);
            setAdd("sep", true);
            if (hasConfig_ && name("cls").empty()) {
                const json* cls = jsonMember(processor, "cls");
                name("cls") =
                    cls && cls->is_array() && !cls->empty() ? tokenContent(&cls->front()) : name("bos");
            }
            if (hasConfig_ && name("sep").empty()) {
                const json* sep = jsonMember(processor, "sep");
                name("sep") =
                    sep && sep->is_array() && !sep->empty() ? tokenContent(&sep->front()) : name("eos");
            }
        } else if (type == "TemplateProcessing") {
            fromTemplate(processor);
        }
    }
}

// A crude reading of TemplateProcessing, as SpecialVocab's: right for "[BOS] $A [EOS]" and
// "[CLS] $A [SEP] $B [SEP]" shapes, which is what models use.
void SpecialVocab::fromTemplate(const json& processor) {
    const json* single = jsonMember(processor, "single");
    const json* pair = jsonMember(processor, "pair");
    std::string first, last;
    if (single && single->is_array() && single->size() > 1) {
        first = specialTokenOf(single->front());
        if (!first.empty()) {
            if (hasConfig_ && first != name("bos") && first != name("cls")) {
                if (name("bos").empty()) name("bos") = first;
                if (name("cls").empty()) name("cls") = first;
            }
            setAdd("bos", !hasConfig_ || first == name("bos") || first == name("cls"));
        }
        last = specialTokenOf(single->back());
        if (!last.empty()) {
            if (hasConfig_ && last != name("eos")) {
                // The template ends with another token: it becomes eos, the old eos is kept as eot.
                const bool eotFree = std::find(types_.begin(), types_.end(), "eot") == types_.end();
                addType(eotFree ? "eot" : "eom");
                name(eotFree ? "eot" : "eom") = name("eos");
                name("eos") = last;
            }
            setAdd("eos", !hasConfig_ || last == name("eos"));
        }
    }
    if (!pair || !pair->is_array() || pair->empty()) return;
    size_t begin = !first.empty() && specialTokenOf(pair->front()) == first ? 1 : 0;
    size_t end = pair->size() - (!last.empty() && specialTokenOf(pair->back()) == last ? 1 : 0);
    if (begin >= end) return;
    const auto sequenceId = [](const json& item) {
        return jsonString(jsonMember(jsonMember(item, "Sequence"), "id")).value_or("");
    };
    if (sequenceId((*pair)[begin]) != "A" || sequenceId((*pair)[end - 1]) != "B" || end - begin < 3) return;
    // Between $A and $B: one or two separators.
    const size_t middle = end - begin - 2;
    bool addSep = false;
    const std::string sep1 = specialTokenOf((*pair)[begin + 1]);
    if (!sep1.empty() && (sep1 == name("sep") || sep1 == name("eos")) && last.empty()) addSep = true;
    if (middle == 2) {
        const std::string sep2 = specialTokenOf((*pair)[begin + 2]);
        if (!sep2.empty() && (sep2 == name("sep") || sep2 == name("eos"))) addSep = true;
    }
    setAdd("sep", addSep);
    if (addSep && hasConfig_ && name("sep").empty()) name("sep") = name("eos");
}

void SpecialVocab::fromTokenizerConfig() {
    const json& tc = *in_.tokenizerConfig;
    const json* added = in_.tokenizer ? jsonMember(*in_.tokenizer, "added_tokens") : nullptr;
    for (const auto& type : types_) {
        if (const auto flag = jsonBool(jsonMember(tc, "add_" + type + "_token"))) setAdd(type, *flag, true);
        const std::string& content = name(type);
        if (content.empty() || !added || !added->is_array()) continue;
        for (const auto& token : *added)
            if (jsonString(jsonMember(token, "content")) == content) {
                setId(type, jsonInteger(jsonMember(token, "id")));
                break;
            }
    }
}

void SpecialVocab::fromModelConfig() {
    const json& config = *in_.config;
    for (const auto& type : types_) {
        const json* id = jsonMember(config, type + "_token_id");
        if (!id) id = jsonMember(jsonMember(config, "text_config"), type + "_token_id");
        // Only plain integers: lists of ids (several eos tokens) are left out, as the converter does.
        if (id && (id->is_number_integer() || id->is_number_unsigned())) setId(type, jsonInteger(id));
    }
}

void SpecialVocab::chatTemplate(Metadata& out) const {
    const json* value = hasConfig_ ? jsonMember(*in_.tokenizerConfig, "chat_template") : nullptr;
    if (!value) {
        if (in_.chatTemplateFile)
            out.set("tokenizer.chat_template", MetaValue::string(*in_.chatTemplateFile));
        return;
    }
    if (value->is_string()) {
        out.set("tokenizer.chat_template", MetaValue::string(value->get<std::string>()));
        return;
    }
    if (!value->is_array()) return;
    std::vector<std::string> names;
    std::optional<std::string> fallback;
    for (const auto& choice : *value) {
        std::string name = jsonString(jsonMember(choice, "name")).value_or("");
        const auto text = jsonString(jsonMember(choice, "template"));
        // Names become part of a key: letters and digits only, as gguf-py writes them.
        for (char& c : name)
            if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
        if (name.empty() || !text) continue;
        if (name == "default") {
            fallback = *text;
        } else {
            if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
            out.set("tokenizer.chat_template." + name, MetaValue::string(*text));
        }
    }
    if (!names.empty()) out.set("tokenizer.chat_templates", MetaValue::stringArray(names));
    if (fallback) out.set("tokenizer.chat_template", MetaValue::string(*fallback));
}

void SpecialVocab::normalizer(Metadata& out) const {
    std::optional<bool> lowercase, stripAccents;
    std::vector<const json*> pending;
    if (in_.tokenizer)
        if (const json* n = jsonMember(*in_.tokenizer, "normalizer")) pending.push_back(n);
    // A Sequence nests normalizers; the walk is bounded by the document, which is finite.
    while (!pending.empty()) {
        const json* n = pending.back();
        pending.pop_back();
        const auto type = jsonString(jsonMember(n, "type"));
        if (type == "Lowercase") {
            lowercase = true;
        } else if (type == "StripAccents") {
            stripAccents = true;
        } else if (type == "BertNormalizer") {
            if (const auto v = jsonBool(jsonMember(n, "lowercase"))) lowercase = v;
            if (const auto v = jsonBool(jsonMember(n, "strip_accents"))) stripAccents = v;
        } else if (type == "Sequence") {
            if (const json* list = jsonMember(n, "normalizers"); list && list->is_array())
                for (auto it = list->rbegin(); it != list->rend(); ++it)
                    pending.push_back(&*it);
        }
    }
    if (lowercase) out.set("tokenizer.ggml.normalizer.lowercase", MetaValue::boolean(*lowercase));
    if (stripAccents) out.set("tokenizer.ggml.normalizer.strip_accents", MetaValue::boolean(*stripAccents));
}

} // namespace

void importHfSpecialTokens(const HfSpecialTokenSources& in, Metadata& out) {
    SpecialVocab(in).run(out);
}

} // namespace matryx
