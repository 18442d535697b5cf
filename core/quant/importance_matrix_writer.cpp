#include "quant/importance_matrix.h"

#include "format/gguf_writer.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace matryx {

namespace {

Status checkEntries(const std::filesystem::path& path, const std::vector<const ImportanceSums*>& entries) {
    for (const ImportanceSums* e : entries) {
        const std::string field = "entries['" + e->name + "']";
        if (e->name.empty()) return makeError(path.string(), "entries", std::nullopt, "an entry has no name");
        if (e->counts.empty() || e->sumSquares.empty() || e->sumSquares.size() % e->counts.size() != 0)
            return makeError(path.string(), field, std::nullopt,
                             std::to_string(e->sumSquares.size()) + " sums of squares do not split into " +
                                 std::to_string(e->counts.size()) + " matrices");
        if (!e->sums.empty() && e->sums.size() != e->sumSquares.size())
            return makeError(path.string(), field, std::nullopt,
                             std::to_string(e->sums.size()) + " sums for " + std::to_string(e->sumSquares.size()) +
                                 " sums of squares");
    }
    return {};
}

std::vector<const ImportanceSums*> sortedEntries(const ImportanceData& data) {
    std::vector<const ImportanceSums*> out;
    for (const auto& e : data.entries)
        out.push_back(&e);
    std::sort(out.begin(), out.end(), [](const auto* a, const auto* b) { return a->name < b->name; });
    return out;
}

Status writeGgufMatrix(const std::filesystem::path& path, const ImportanceData& data,
                       const std::vector<const ImportanceSums*>& entries, Overwrite overwrite) {
    Metadata metadata;
    metadata.set("general.type", MetaValue::string("imatrix"));
    metadata.set("imatrix.datasets", MetaValue::stringArray(data.datasets));
    metadata.set("imatrix.chunk_count", MetaValue::u32(data.chunkCount));
    metadata.set("imatrix.chunk_size", MetaValue::u32(data.chunkSize));

    std::vector<OutputTensor> tensors;
    struct Source {
        const ImportanceSums* entry;
        enum { SumSquares, Counts, Sums } part;
    };
    std::vector<Source> sources;
    for (const ImportanceSums* e : entries) {
        const auto matrices = int64_t(e->counts.size());
        const auto row = int64_t(e->sumSquares.size()) / matrices;
        tensors.push_back({e->name + ".in_sum2", TensorType::F32, {row, matrices}});
        sources.push_back({e, Source::SumSquares});
        tensors.push_back({e->name + ".counts", TensorType::F32, {1, matrices}});
        sources.push_back({e, Source::Counts});
        if (!e->sums.empty()) {
            tensors.push_back({e->name + ".in_sum", TensorType::F32, {row, matrices}});
            sources.push_back({e, Source::Sums});
        }
    }
    const TensorProducer produce = [&](size_t index, std::span<std::byte> out) -> Status {
        const Source& s = sources[index];
        if (s.part == Source::Counts) {
            // llama.cpp stores the counts as floats too.
            for (size_t j = 0; j < s.entry->counts.size(); ++j) {
                const auto count = static_cast<float>(s.entry->counts[j]);
                std::memcpy(out.data() + 4 * j, &count, 4);
            }
        } else {
            const std::vector<float>& values = s.part == Source::SumSquares ? s.entry->sumSquares : s.entry->sums;
            std::memcpy(out.data(), values.data(), out.size());
        }
        return {};
    };
    WriteOptions options;
    options.overwrite = overwrite;
    return writeGguf(path, metadata, tensors, produce, options, Progress::none());
}

void appendI32(std::vector<std::byte>& out, int32_t v) {
    const auto* p = reinterpret_cast<const std::byte*>(&v);
    out.insert(out.end(), p, p + 4);
}

void appendText(std::vector<std::byte>& out, const std::string& text) {
    appendI32(out, static_cast<int32_t>(text.size()));
    const auto* p = reinterpret_cast<const std::byte*>(text.data());
    out.insert(out.end(), p, p + text.size());
}

Status writeLegacyMatrix(const std::filesystem::path& path, const ImportanceData& data,
                         const std::vector<const ImportanceSums*>& entries, Overwrite overwrite) {
    const std::string file = path.string();
    if (data.chunkSize == 0) return makeError(file, "chunk_size", std::nullopt, "the legacy format needs a chunk size");
    constexpr uint64_t kMaxI32 = uint64_t(std::numeric_limits<int32_t>::max());
    std::vector<const ImportanceSums*> kept;
    for (const ImportanceSums* e : entries)
        // An entry without any row carries nothing; llama-imatrix leaves it out of this format.
        if (std::any_of(e->counts.begin(), e->counts.end(), [](uint64_t c) { return c > 0; })) kept.push_back(e);
    if (kept.empty()) return makeError(file, "entries", std::nullopt, "no entry has any data to write");

    std::vector<std::byte> out;
    appendI32(out, static_cast<int32_t>(kept.size()));
    for (const ImportanceSums* e : kept) {
        const std::string field = "entries['" + e->name + "']";
        if (e->name.size() > kMaxI32 || e->sumSquares.size() > kMaxI32)
            return makeError(file, field, std::nullopt, "too large for the legacy format");
        const uint64_t most = *std::max_element(e->counts.begin(), e->counts.end());
        const uint64_t ncall = (most + data.chunkSize - 1) / data.chunkSize;
        if (ncall > kMaxI32) return makeError(file, field, std::nullopt, "count too large for the legacy format");
        appendText(out, e->name);
        appendI32(out, static_cast<int32_t>(ncall));
        appendI32(out, static_cast<int32_t>(e->sumSquares.size()));
        const size_t row = e->sumSquares.size() / e->counts.size();
        for (size_t i = 0; i < e->sumSquares.size(); ++i) {
            float count = static_cast<float>(e->counts[i / row]);
            float value = e->sumSquares[i];
            // The reader divides by ncall again; a matrix without rows gets weight 1.
            if (count == 0.0f) value = count = 1.0f;
            const float stored = (value / count) * static_cast<float>(ncall);
            const auto* p = reinterpret_cast<const std::byte*>(&stored);
            out.insert(out.end(), p, p + 4);
        }
    }
    appendI32(out, static_cast<int32_t>(std::min<uint64_t>(data.chunkCount, kMaxI32)));
    appendText(out, data.datasets.empty() ? std::string() : data.datasets.back());

    auto target = AtomicFile::create(path, overwrite);
    if (!target) return std::move(target).error();
    if (Status s = (*target)->write(out); !s) return s;
    return (*target)->commit();
}

} // namespace

Status writeImportanceMatrix(const std::filesystem::path& path, const ImportanceData& data, ImportanceFormat format,
                             Overwrite overwrite) {
    const auto entries = sortedEntries(data);
    if (entries.empty()) return makeError(path.string(), "entries", std::nullopt, "no importance data to write");
    if (Status s = checkEntries(path, entries); !s) return s;
    if (format == ImportanceFormat::Legacy) return writeLegacyMatrix(path, data, entries, overwrite);
    return writeGgufMatrix(path, data, entries, overwrite);
}

} // namespace matryx
