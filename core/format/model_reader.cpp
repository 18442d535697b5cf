#include "format/model_reader.h"

#include "format/gguf_reader.h"
#include "format/hf_folder_reader.h"
#include "format/safetensors_reader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>

namespace matryx {

const std::vector<std::unique_ptr<ModelReader>>& modelReaders() {
    static const auto readers = [] {
        std::vector<std::unique_ptr<ModelReader>> list;
        list.push_back(makeGgufReader());
        list.push_back(makeSafetensorsReader());
        list.push_back(makeHfFolderReader());
        return list;
    }();
    return readers;
}

namespace {

std::string lowerExtension(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext;
}

} // namespace

Result<Model> openModel(const std::filesystem::path& path) {
    std::error_code ec;
    const std::string name = path.string();
    if (!std::filesystem::exists(path, ec))
        return makeError(name, {}, std::nullopt, "no such file or folder");

    const std::string ext = lowerExtension(path);
    if (ext == ".bin" || ext == ".pt" || ext == ".pth" || ext == ".ckpt" || ext == ".pkl")
        return makeError(name, {}, std::nullopt,
                         "PyTorch pickle checkpoints are refused: loading them can run arbitrary code. "
                         "Convert the model to safetensors first.");

    std::array<std::byte, 16> head{};
    size_t headSize = 0;
    if (!std::filesystem::is_directory(path, ec)) {
        std::ifstream in(path, std::ios::binary);
        in.read(reinterpret_cast<char*>(head.data()), head.size());
        headSize = static_cast<size_t>(in.gcount());
    }
    const std::span<const std::byte> headBytes(head.data(), headSize);
    for (const auto& reader : modelReaders())
        if (reader->canRead(path, headBytes))
            return reader->read(path);
    return makeError(name, {}, std::nullopt,
                     "not a model Matryx can open (expected a GGUF file, a .safetensors file, "
                     "or a Hugging Face model folder)");
}

} // namespace matryx
