// matryx-chat-template: renders a chat template over conversations and prints the results as
// JSON, for the reference check against Jinja2.
//
//   matryx-chat-template TEMPLATE CONVERSATIONS.json
//       TEMPLATE is a model file (its tokenizer.chat_template is used) or a template text file.
//       CONVERSATIONS.json is a JSON array of objects
//         {"messages": [...], "add_generation_prompt": bool, "bos_token": "...", "eos_token": "...",
//          "variables": {...}, "now": seconds}
//       (all but "messages" optional). Prints one JSON array with, per conversation, either
//       {"text_hex": "<hex bytes>", "fallback": bool, "reason": "..."} or {"error": "..."}.
// Exit code 2 with the error on stderr when a file cannot be read.

#include "format/model_reader.h"
#include "infer/chat_template.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

using namespace matryx;
// Keys keep their order, as in the Python dicts the reference renders.
using json = nlohmann::ordered_json;

namespace {

int fail(const std::string& message) {
    std::fprintf(stderr, "matryx-chat-template: %s\n", message.c_str());
    return 2;
}

bool readFile(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::stringstream buffer;
    buffer << in.rdbuf();
    out = buffer.str();
    return true;
}

std::string hex(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (const char c : bytes) {
        out += kDigits[static_cast<unsigned char>(c) >> 4];
        out += kDigits[static_cast<unsigned char>(c) & 15];
    }
    return out;
}

jinja::Value toValue(const json& j) {
    switch (j.type()) {
    case json::value_t::null:
        return jinja::Value(nullptr);
    case json::value_t::boolean:
        return jinja::Value(j.get<bool>());
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
        return jinja::Value(j.get<int64_t>());
    case json::value_t::number_float:
        return jinja::Value(j.get<double>());
    case json::value_t::string:
        return jinja::Value(j.get<std::string>());
    case json::value_t::array: {
        jinja::ValueList items;
        for (const json& item : j)
            items.push_back(toValue(item));
        return jinja::Value::list(std::move(items));
    }
    case json::value_t::object: {
        jinja::ValueDict entries;
        for (const auto& [key, item] : j.items())
            entries.set(key, toValue(item));
        return jinja::Value::dict(std::move(entries));
    }
    default:
        return jinja::Value();
    }
}

// The template text: tokenizer.chat_template of a model file, else the file's own text.
bool loadTemplate(const std::string& path, std::string& source, std::string& error) {
    if (path.size() > 5 && path.compare(path.size() - 5, 5, ".gguf") == 0) {
        auto model = openModel(path);
        if (!model) {
            error = model.error().toString();
            return false;
        }
        source = model->metadata.getString("tokenizer.chat_template").value_or("");
        return true;
    }
    if (!readFile(path, source)) {
        error = "cannot read " + path;
        return false;
    }
    return true;
}

json renderOne(const std::string& source, const json& conversation) {
    ChatRenderOptions options;
    options.addGenerationPrompt = conversation.value("add_generation_prompt", false);
    options.bosToken = conversation.value("bos_token", "");
    options.eosToken = conversation.value("eos_token", "");
    if (conversation.contains("now")) options.now = conversation["now"].get<int64_t>();
    if (conversation.contains("variables"))
        for (const auto& [name, value] : conversation["variables"].items())
            options.variables.emplace_back(name, toValue(value));
    auto result = ChatTemplate::renderWithFallback(source, toValue(conversation["messages"]), options);
    if (!result) return json{{"error", result.error().toString()}};
    return json{{"text_hex", hex(result->text)},
                {"fallback", result->usedFallback},
                {"reason", result->fallbackReason}};
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: matryx-chat-template TEMPLATE|MODEL CONVERSATIONS.json\n");
        return 2;
    }
    std::string source;
    std::string error;
    if (!loadTemplate(argv[1], source, error)) return fail(error);
    std::string text;
    if (!readFile(argv[2], text)) return fail(std::string("cannot read ") + argv[2]);
    const json conversations = json::parse(text, nullptr, false);
    if (!conversations.is_array()) return fail(std::string(argv[2]) + " is not a JSON array");
    json out = json::array();
    for (const json& conversation : conversations) {
        if (!conversation.is_object() || !conversation.contains("messages"))
            return fail("each conversation needs \"messages\"");
        out.push_back(renderOne(source, conversation));
    }
    std::printf("%s\n", out.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
    return 0;
}
