#include "format/model.h"

namespace matryx {

std::string_view modelFormatName(ModelFormat format) noexcept {
    switch (format) {
    case ModelFormat::Gguf: return "GGUF";
    case ModelFormat::Safetensors: return "safetensors";
    case ModelFormat::HuggingFaceFolder: return "Hugging Face folder";
    }
    return "unknown";
}

uint64_t TensorInfo::elements() const noexcept {
    uint64_t n = 1;
    for (const int64_t d : shape)
        n *= static_cast<uint64_t>(d);
    return n;
}

uint64_t TensorInfo::rows() const noexcept {
    const int64_t row = rowLength();
    return row > 0 ? elements() / static_cast<uint64_t>(row) : 0;
}

std::span<const std::byte> Model::data(const TensorInfo& tensor) const {
    if (tensor.source >= sources.size())
        return {};
    return sources[tensor.source]->slice(tensor.offset, tensor.bytes);
}

const TensorInfo* Model::findTensor(std::string_view name) const {
    for (const auto& t : tensors)
        if (t.name == name)
            return &t;
    return nullptr;
}

std::string Model::architecture() const { return metadata.getString("general.architecture").value_or(""); }

uint64_t Model::parameterCount() const {
    uint64_t n = 0;
    for (const auto& t : tensors)
        n += t.elements();
    return n;
}

uint64_t Model::tensorBytes() const {
    uint64_t n = 0;
    for (const auto& t : tensors)
        n += t.bytes;
    return n;
}

uint64_t Model::fileSize() const {
    uint64_t n = 0;
    for (const auto& s : sources)
        n += s->size();
    return n;
}

double Model::bitsPerWeight() const {
    const uint64_t params = parameterCount();
    return params ? 8.0 * static_cast<double>(tensorBytes()) / static_cast<double>(params) : 0.0;
}

} // namespace matryx
