#include "quant/importance_matrix.h"

#include "format/gguf_reader.h"
#include "tensor/dequantize.h"

#include <cmath>
#include <cstring>
#include <map>

namespace matryx {

namespace {

constexpr int32_t kMaxLegacyEntries = 1 << 20;

// Little-endian reads that never pass the end of the bytes.
class LegacyCursor {
public:
    LegacyCursor(std::span<const std::byte> bytes, const std::string& file) : bytes_(bytes), file_(file) {}

    Result<int32_t> i32(const std::string& field) {
        if (bytes_.size() - at_ < 4) return truncated(field);
        int32_t v = 0;
        std::memcpy(&v, bytes_.data() + at_, 4);
        at_ += 4;
        return v;
    }
    Result<std::span<const std::byte>> take(uint64_t n, const std::string& field) {
        if (bytes_.size() - at_ < n) return truncated(field);
        const auto out = bytes_.subspan(at_, static_cast<size_t>(n));
        at_ += static_cast<size_t>(n);
        return out;
    }
    bool atEnd() const { return at_ == bytes_.size(); }
    uint64_t offset() const { return at_; }

private:
    Error truncated(const std::string& field) const {
        return makeError(file_, field, at_, "the file ends inside this field");
    }

    std::span<const std::byte> bytes_;
    const std::string& file_;
    size_t at_ = 0;
};

std::string text(std::span<const std::byte> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

Result<ImportanceMatrix> readLegacy(std::span<const std::byte> bytes, const std::string& file) {
    LegacyCursor in(bytes, file);
    ImportanceMatrix out;
    out.legacy = true;
    auto count = in.i32("n_entries");
    if (!count) return std::move(count).error();
    if (*count < 1 || *count > kMaxLegacyEntries)
        return makeError(file, "n_entries", 0, std::to_string(*count) + " entries; expected 1 to 2^20");
    for (int32_t i = 0; i < *count; ++i) {
        const std::string field = "entries[" + std::to_string(i) + "]";
        auto length = in.i32(field + ".name_length");
        if (!length) return std::move(length).error();
        if (*length < 0) return makeError(file, field + ".name_length", in.offset() - 4, "negative length");
        auto name = in.take(static_cast<uint64_t>(*length), field + ".name");
        if (!name) return std::move(name).error();
        auto ncall = in.i32(field + ".ncall");
        if (!ncall) return std::move(ncall).error();
        auto nval = in.i32(field + ".nval");
        if (!nval) return std::move(nval).error();
        if (*nval < 1) return makeError(file, field + ".nval", in.offset() - 4, "no values");
        const uint64_t valuesAt = in.offset();
        auto values = in.take(uint64_t(*nval) * 4, field + ".values");
        if (!values) return std::move(values).error();
        std::vector<float> w(static_cast<size_t>(*nval));
        std::memcpy(w.data(), values->data(), values->size());
        for (size_t k = 0; k < w.size(); ++k) {
            if (*ncall > 0) w[k] = w[k] / static_cast<float>(int64_t{*ncall});
            if (!std::isfinite(w[k]))
                return makeError(file, field + ".values", valuesAt + 4 * k, "value is not finite");
        }
        // A later entry of the same name replaces the earlier one, as llama.cpp's map does.
        out.weights[text(*name)] = std::move(w);
    }
    if (!in.atEnd()) {
        // Optional trailer; llama.cpp reads what it can and ignores a partial one.
        if (auto chunks = in.i32("chunk_count")) {
            out.chunkCount = static_cast<uint32_t>(std::max(0, *chunks));
            if (auto length = in.i32("dataset_length"); length && *length > 0)
                if (auto dataset = in.take(static_cast<uint64_t>(*length), "dataset")) {
                    std::string name = text(*dataset);
                    name.resize(std::strlen(name.c_str())); // llama.cpp reads it as a C string
                    out.datasets.push_back(std::move(name));
                }
        }
    }
    return out;
}

Result<std::vector<float>> f32Values(const Model& model, const TensorInfo& t) {
    if (t.type != TensorType::F32)
        return makeError(model.path.string(), "tensors['" + t.name + "'].type", std::nullopt,
                         std::string(typeName(t.type)) + "; importance data must be F32");
    std::vector<float> values(t.elements());
    if (auto s = dequantize(t.type, model.data(t), values); !s) return std::move(s).error();
    return values;
}

Result<ImportanceMatrix> readGgufMatrix(std::span<const std::byte> bytes, const std::string& file) {
    auto model = readGgufSource(ByteSource::borrow(bytes, file));
    if (!model) return std::move(model).error();
    ImportanceMatrix out;
    for (const char* key : {"imatrix.datasets", "imatrix.chunk_count", "imatrix.chunk_size"})
        if (!model->metadata.contains(key))
            return makeError(file, std::string("metadata['") + key + "']", std::nullopt,
                             "missing; llama-quantize refuses an importance matrix without it");
    if (const MetaValue* datasets = model->metadata.find("imatrix.datasets"); datasets->isArray())
        for (const auto& item : datasets->items())
            if (const std::string* s = item.toString()) out.datasets.push_back(*s);
    out.chunkCount = static_cast<uint32_t>(model->metadata.getUnsigned("imatrix.chunk_count").value_or(0));

    struct Pair {
        const TensorInfo* sums = nullptr;
        const TensorInfo* counts = nullptr;
    };
    std::map<std::string, Pair> pairs;
    const auto strip = [](std::string_view name, std::string_view suffix) -> std::optional<std::string> {
        if (!name.ends_with(suffix) || name.size() == suffix.size()) return std::nullopt;
        return std::string(name.substr(0, name.size() - suffix.size()));
    };
    for (const auto& t : model->tensors) {
        if (auto base = strip(t.name, ".in_sum2"))
            pairs[*base].sums = &t;
        else if (auto base = strip(t.name, ".counts"))
            pairs[*base].counts = &t;
    }
    if (pairs.empty())
        return makeError(file, "tensors", std::nullopt, "no importance data (NAME.in_sum2 tensors)");
    for (const auto& [name, pair] : pairs) {
        const std::string field = "tensors['" + name + "']";
        if (!pair.sums || !pair.counts)
            return makeError(file, field, std::nullopt,
                             std::string("has no ") + (pair.sums ? ".counts" : ".in_sum2"));
        auto sums = f32Values(*model, *pair.sums);
        if (!sums) return std::move(sums).error();
        auto counts = f32Values(*model, *pair.counts);
        if (!counts) return std::move(counts).error();
        if (counts->empty() || sums->size() % counts->size() != 0)
            return makeError(file, field, std::nullopt,
                             std::to_string(sums->size()) + " sums do not split into " +
                                 std::to_string(counts->size()) + " matrices");
        const size_t row = sums->size() / counts->size();
        std::vector<float> w(sums->size());
        for (size_t j = 0; j < counts->size(); ++j) {
            const float c = (*counts)[j];
            // llama.cpp rounds the stored count to an integer before dividing.
            const float count =
                std::isfinite(c) && std::fabs(c) < 9e18f ? static_cast<float>(std::llround(c)) : 0.0f;
            for (size_t i = 0; i < row; ++i) {
                const size_t k = j * row + i;
                w[k] = count > 0.0f ? (*sums)[k] / count : 1.0f;
                if (!std::isfinite(w[k]))
                    return makeError(file, field, std::nullopt,
                                     "weight " + std::to_string(k) + " is not finite");
            }
        }
        out.weights[name] = std::move(w);
    }
    return out;
}

} // namespace

Result<ImportanceMatrix> readImportanceMatrix(std::span<const std::byte> bytes, const std::string& name) {
    if (bytes.size() >= 4 && std::memcmp(bytes.data(), "GGUF", 4) == 0) return readGgufMatrix(bytes, name);
    return readLegacy(bytes, name);
}

Result<ImportanceMatrix> readImportanceMatrix(const std::filesystem::path& path) {
    auto source = ByteSource::mapFile(path);
    if (!source) return std::move(source).error();
    // The weights are copied out, so the mapping may go when this returns.
    return readImportanceMatrix((*source)->bytes(), path.string());
}

} // namespace matryx
