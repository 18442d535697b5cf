#include "format/hf_folder_reader.h"

#include "format/hf_config_import.h"
#include "format/hf_json.h"
#include "format/hf_tokenizer_import.h"
#include "format/safetensors_reader.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <set>

namespace matryx {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr std::string_view kSingleFile = "model.safetensors";
constexpr std::string_view kIndexFile = "model.safetensors.index.json";

// Caps on the folder's JSON and text files, far above real ones (the largest tokenizer.json
// files, with 256k-token vocabularies, are about 35 MB).
constexpr uint64_t kMaxIndexBytes = 32ull << 20;
constexpr uint64_t kMaxConfigBytes = 16ull << 20;
constexpr uint64_t kMaxTokenizerBytes = 64ull << 20;
constexpr uint64_t kMaxTokenizerConfigBytes = 16ull << 20;
constexpr uint64_t kMaxSmallJsonBytes = 1ull << 20;
constexpr uint64_t kMaxChatTemplateBytes = 4ull << 20;

bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

// Shard names come from the index: they must name a file in the folder itself.
bool isPlainFileName(const std::string& name) {
    return !name.empty() && name != "." && name != ".." &&
           name.find_first_of(std::string("/\\\0", 3)) == std::string::npos;
}

std::optional<json> readOptionalJson(const fs::path& path, uint64_t maxBytes, std::optional<Error>& error) {
    if (!isFile(path)) return std::nullopt;
    auto doc = readJsonFile(path, maxBytes);
    if (!doc) {
        error = std::move(doc).error();
        return std::nullopt;
    }
    return std::move(*doc);
}

Result<std::optional<std::string>> readOptionalText(const fs::path& path, uint64_t maxBytes) {
    if (!isFile(path)) return std::optional<std::string>{};
    std::error_code ec;
    const uint64_t size = fs::file_size(path, ec);
    if (ec || size > maxBytes)
        return makeError(path.string(), {}, 0,
                         "missing or larger than " + std::to_string(maxBytes) + " bytes");
    std::ifstream in(path, std::ios::binary);
    std::string text(size, '\0');
    if (!in.read(text.data(), std::streamsize(size))) return makeError(path.string(), {}, 0, "cannot read");
    return std::optional<std::string>(std::move(text));
}

void appendShard(Model& model, Model&& shard, const std::set<std::string>* wanted) {
    const auto source = uint32_t(model.sources.size());
    model.sources.push_back(std::move(shard.sources.at(0)));
    for (auto& t : shard.tensors) {
        if (wanted && !wanted->contains(t.name)) continue;
        t.source = source;
        model.tensors.push_back(std::move(t));
    }
    for (const auto& [key, value] : shard.metadata)
        if (key != "format" && !model.metadata.contains(key)) model.metadata.set(key, value);
}

Status readShards(const fs::path& folder, Model& model) {
    const fs::path indexPath = folder / kIndexFile;
    if (!isFile(indexPath)) {
        auto single = readSafetensors(folder / kSingleFile);
        if (!single) return std::move(single).error();
        appendShard(model, std::move(*single), nullptr);
        return {};
    }
    const std::string indexName = indexPath.string();
    auto index = readJsonFile(indexPath, kMaxIndexBytes);
    if (!index) return std::move(index).error();
    const json* weightMap = jsonMember(*index, "weight_map");
    if (!weightMap || !weightMap->is_object())
        return makeError(indexName, "weight_map", std::nullopt, "missing or not an object");

    std::map<std::string, std::set<std::string>> shards; // file -> tensors it must hold, by file name
    for (const auto& [tensor, shard] : weightMap->items()) {
        const std::string field = "weight_map[\"" + tensor + "\"]";
        if (!shard.is_string() || !isPlainFileName(shard.get<std::string>()))
            return makeError(indexName, field, std::nullopt, "must name a file in the model's folder");
        shards[shard.get<std::string>()].insert(tensor);
    }
    for (const auto& [file, tensors] : shards) {
        if (!isFile(folder / file))
            return makeError(indexName, "weight_map[\"" + *tensors.begin() + "\"]", std::nullopt,
                             "shard \"" + file + "\" is missing");
        auto shard = readSafetensors(folder / file);
        if (!shard) return std::move(shard).error();
        for (const auto& name : tensors)
            if (!shard->findTensor(name))
                return makeError(indexName, "weight_map[\"" + name + "\"]", std::nullopt,
                                 "tensor is not in shard \"" + file + "\"");
        appendShard(model, std::move(*shard), &tensors);
    }
    return {};
}

// sentence-transformers folders name their pooling in modules.json -> <path>/config.json.
std::optional<uint32_t> poolingType(const fs::path& folder, std::optional<Error>& error) {
    const auto modules = readOptionalJson(folder / "modules.json", kMaxSmallJsonBytes, error);
    if (!modules || !modules->is_array()) return std::nullopt;
    for (const auto& module : *modules) {
        const auto type = jsonString(jsonMember(module, "type"));
        const auto path = jsonString(jsonMember(module, "path"));
        if (!type || !type->ends_with("Pooling") || !path || path->find("..") != std::string::npos) continue;
        const auto config = readOptionalJson(folder / *path / "config.json", kMaxSmallJsonBytes, error);
        if (!config) return std::nullopt;
        if (jsonBool(jsonMember(*config, "pooling_mode_mean_tokens")).value_or(false)) return 1;
        if (jsonBool(jsonMember(*config, "pooling_mode_cls_token")).value_or(false)) return 2;
        if (jsonBool(jsonMember(*config, "pooling_mode_lasttoken")).value_or(false)) return 3;
        const auto mode = jsonString(jsonMember(*config, "pooling_mode"));
        if (mode == "mean") return 1;
        if (mode == "cls") return 2;
        if (mode == "lasttoken") return 3;
        return std::nullopt;
    }
    return std::nullopt;
}

class HfFolderReader final : public ModelReader {
public:
    std::string_view name() const override { return "Hugging Face folder"; }
    bool canRead(const fs::path& path, std::span<const std::byte>) const override {
        std::error_code ec;
        return fs::is_directory(path, ec) && (isFile(path / kSingleFile) || isFile(path / kIndexFile));
    }
    Result<Model> read(const fs::path& path) const override { return readHfFolder(path); }
};

} // namespace

std::unique_ptr<ModelReader> makeHfFolderReader() {
    return std::make_unique<HfFolderReader>();
}

Result<Model> readHfFolder(const fs::path& folderPath) {
    fs::path folder = folderPath.lexically_normal();
    if (folder.has_parent_path() && folder.filename().empty()) folder = folder.parent_path();
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) return makeError(folder.string(), {}, std::nullopt, "not a folder");
    if (!isFile(folder / kSingleFile) && !isFile(folder / kIndexFile))
        return makeError(folder.string(), {}, std::nullopt,
                         "holds neither model.safetensors nor model.safetensors.index.json");

    Model model;
    model.format = ModelFormat::HuggingFaceFolder;
    model.path = folderPath;

    std::optional<Error> error;
    const auto config = readOptionalJson(folder / "config.json", kMaxConfigBytes, error);
    if (error) return std::move(*error);
    std::string arch;
    if (config) {
        auto imported = importHfConfig(*config, folder.filename().string(), (folder / "config.json").string(),
                                       model.metadata);
        if (!imported) return std::move(imported).error();
        arch = *imported;
        if (const auto pooling = poolingType(folder, error); pooling && !arch.empty())
            model.metadata.set(arch + ".pooling_type", MetaValue::u32(*pooling));
        if (error) return std::move(*error);
    }

    const auto tokenizer = readOptionalJson(folder / "tokenizer.json", kMaxTokenizerBytes, error);
    const auto tokenizerConfig =
        error ? std::nullopt
              : readOptionalJson(folder / "tokenizer_config.json", kMaxTokenizerConfigBytes, error);
    if (error) return std::move(*error);
    auto chatTemplate = readOptionalText(folder / "chat_template.jinja", kMaxChatTemplateBytes);
    if (!chatTemplate) return std::move(chatTemplate).error();
    HfTokenizerSources sources;
    sources.tokenizer = tokenizer ? &*tokenizer : nullptr;
    sources.tokenizerConfig = tokenizerConfig ? &*tokenizerConfig : nullptr;
    sources.config = config ? &*config : nullptr;
    sources.chatTemplateFile = *chatTemplate ? &**chatTemplate : nullptr;
    sources.architecture = arch;
    sources.tokenizerFile = (folder / "tokenizer.json").string();
    sources.configFile = (folder / "config.json").string();
    if (auto status = importHfTokenizer(sources, model.metadata); !status) return std::move(status).error();

    if (auto status = readShards(folder, model); !status) return std::move(status).error();
    return model;
}

} // namespace matryx
