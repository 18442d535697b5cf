#include "quant/matryoshka_file.h"

#include "quant/matryoshka_slice.h"
#include "quant/plan_layout.h"

#include <map>

namespace matryx {

namespace {

bool endsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Status checkKey(const Model& model, std::string_view key, uint64_t expected) {
    const std::string file = model.path.string();
    const auto value = model.metadata.getUnsigned(key);
    if (!value)
        return makeError(file, "metadata['" + std::string(key) + "']", std::nullopt,
                         "missing or not an unsigned integer; the file is not a valid nested Matryoshka file");
    if (*value != expected)
        return makeError(file, "metadata['" + std::string(key) + "']", std::nullopt,
                         "is " + std::to_string(*value) + "; this version of Matryx reads only " +
                             std::to_string(expected));
    return {};
}

Status checkCompanion(const Model& model, const TensorInfo& codes, const TensorInfo& companion) {
    if (companion.type != TensorType::F16 || companion.shape != matryoshkaGroupShape(codes.shape))
        return makeError(model.path.string(), "tensors['" + companion.name + "']", std::nullopt,
                         "must be F16 with one value per group of " + std::to_string(kMatryoshkaGroup) +
                             " values of '" + codes.name + "'");
    return {};
}

} // namespace

Metadata nestedMetadata(const Metadata& source) {
    Metadata out = quantizedMetadata(source, std::nullopt);
    out.set(std::string(kMatryoshkaVersionKey), MetaValue::u32(kMatryoshkaVersion));
    out.set(std::string(kMatryoshkaGroupSizeKey), MetaValue::u32(kMatryoshkaGroup));
    out.set(std::string(kMatryoshkaBitsKey), MetaValue::u32(kMatryoshkaBits));
    return out;
}

std::vector<int64_t> matryoshkaGroupShape(const std::vector<int64_t>& shape) {
    std::vector<int64_t> out = shape;
    if (!out.empty()) out[0] /= kMatryoshkaGroup;
    return out;
}

Result<std::vector<NestedFileTensor>> readNestedLayout(const Model& model) {
    const std::string file = model.path.string();
    if (!model.metadata.contains(kMatryoshkaVersionKey))
        return makeError(file, "metadata['" + std::string(kMatryoshkaVersionKey) + "']", std::nullopt,
                         "missing: this is not a nested Matryoshka file (write one with "
                         "matryx-cli quantize IN OUT --matryoshka)");
    if (auto s = checkKey(model, kMatryoshkaVersionKey, kMatryoshkaVersion); !s) return std::move(s).error();
    if (auto s = checkKey(model, kMatryoshkaGroupSizeKey, kMatryoshkaGroup); !s) return std::move(s).error();
    if (auto s = checkKey(model, kMatryoshkaBitsKey, kMatryoshkaBits); !s) return std::move(s).error();

    std::map<std::string_view, size_t> byName;
    for (size_t i = 0; i < model.tensors.size(); ++i) {
        const TensorInfo& t = model.tensors[i];
        if (bytesFor(t.type, t.elements()) != t.bytes || model.data(t).size() != t.bytes)
            return makeError(file, "tensors['" + t.name + "']", t.offset,
                             "holds " + std::to_string(t.bytes) + " bytes, not the size of its type and shape");
        byName.emplace(t.name, i);
    }
    std::vector<NestedFileTensor> out;
    for (size_t i = 0; i < model.tensors.size(); ++i) {
        const TensorInfo& t = model.tensors[i];
        for (std::string_view suffix : {kMatryoshkaScaleSuffix, kMatryoshkaMinSuffix}) {
            if (!endsWith(t.name, suffix)) continue;
            const auto codes = byName.find(std::string_view(t.name).substr(0, t.name.size() - suffix.size()));
            if (codes == byName.end() || model.tensors[codes->second].type != TensorType::I8)
                return makeError(file, "tensors['" + t.name + "']", std::nullopt,
                                 "has no I8 codes tensor of the name it extends");
        }
        if (endsWith(t.name, kMatryoshkaScaleSuffix) || endsWith(t.name, kMatryoshkaMinSuffix)) continue;
        NestedFileTensor entry{i, std::nullopt, std::nullopt};
        const auto scales = byName.find(t.name + std::string(kMatryoshkaScaleSuffix));
        const auto mins = byName.find(t.name + std::string(kMatryoshkaMinSuffix));
        if (t.type == TensorType::I8 && (scales != byName.end() || mins != byName.end())) {
            const std::string field = "tensors['" + t.name + "']";
            if (scales == byName.end() || mins == byName.end())
                return makeError(file, field, std::nullopt,
                                 std::string("nested codes without their ") +
                                     (scales == byName.end() ? "scales" : "minimums"));
            if (t.shape.empty() || t.shape[0] <= 0 || t.shape[0] % kMatryoshkaGroup != 0)
                return makeError(file, field, std::nullopt,
                                 "rows are not whole groups of " + std::to_string(kMatryoshkaGroup));
            if (auto s = checkCompanion(model, t, model.tensors[scales->second]); !s) return std::move(s).error();
            if (auto s = checkCompanion(model, t, model.tensors[mins->second]); !s) return std::move(s).error();
            entry.scales = scales->second;
            entry.mins = mins->second;
        }
        out.push_back(entry);
    }
    return out;
}

} // namespace matryx
