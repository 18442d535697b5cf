#include "quant/matryoshka_slicer.h"

#include "format/gguf_writer.h"
#include "quant/matryoshka_export.h"
#include "quant/matryoshka_file.h"
#include "quant/matryoshka_slice.h"
#include "quant/plan_layout.h"
#include "quant/row_workers.h"
#include "quant/source_pages.h"

#include <algorithm>
#include <cstring>
#include <regex>
#include <thread>

namespace matryx {

namespace {

constexpr size_t kMaxPatternBytes = 1000;

Status checkBits(int bits, const std::string& field) {
    if (matryoshkaExport(bits)) return {};
    return makeError("command line", field, std::nullopt,
                     std::to_string(bits) + " bits has no export; choose 8, 6, 5, 4, 3 or 2");
}

std::string sliceDescription(const SliceOptions& options) {
    std::string text = std::to_string(options.bits);
    for (const auto& rule : options.rules)
        text += "; " + rule.pattern + "=" + std::to_string(rule.bits);
    return text;
}

} // namespace

Status validateSliceOptions(const SliceOptions& options) {
    if (auto s = checkBits(options.bits, "--bits"); !s) return s;
    for (size_t i = 0; i < options.rules.size(); ++i) {
        const std::string field = "rules[" + std::to_string(i) + "]";
        if (auto s = checkBits(options.rules[i].bits, field + ".bits"); !s) return s;
        if (options.rules[i].pattern.size() > kMaxPatternBytes)
            return makeError("command line", field + ".pattern", std::nullopt, "longer than 1000 bytes");
        try {
            std::regex re(options.rules[i].pattern, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            return makeError("command line", field + ".pattern", std::nullopt,
                             "'" + options.rules[i].pattern + "' is not a regular expression: " + e.what());
        }
    }
    return {};
}

Result<SliceReport> sliceMatryoshkaModel(const Model& nested, const std::filesystem::path& out,
                                         const SliceOptions& options, Progress& progress) {
    if (auto s = validateSliceOptions(options); !s) return std::move(s).error();
    auto layout = readNestedLayout(nested);
    if (!layout) return std::move(layout).error();
    std::vector<std::regex> patterns;
    for (const auto& rule : options.rules)
        patterns.emplace_back(rule.pattern, std::regex::ECMAScript);

    SliceReport report;
    std::vector<OutputTensor> outputs;
    std::vector<int> widths; // per output tensor; 0 for a copy
    for (const NestedFileTensor& entry : *layout) {
        const TensorInfo& t = nested.tensors[entry.index];
        if (!entry.nested()) {
            outputs.push_back({t.name, t.type, t.shape});
            widths.push_back(0);
            ++report.copied;
            continue;
        }
        int bits = options.bits;
        for (size_t r = 0; r < patterns.size(); ++r)
            if (std::regex_search(t.name, patterns[r])) bits = options.rules[r].bits;
        const TensorType type = matryoshkaExportType(bits, t.rowLength());
        outputs.push_back({t.name, type, t.shape});
        widths.push_back(bits);
        ++report.sliced;
        ++report.tensorsPerBits[bits];
        ++report.typeCounts[std::string(typeName(type))];
    }
    report.fileType = fileTypeForBase(matryoshkaExport(options.bits)->type);
    Metadata metadata = quantizedMetadata(nested.metadata, report.fileType);
    for (std::string_view key : {kMatryoshkaVersionKey, kMatryoshkaGroupSizeKey, kMatryoshkaBitsKey})
        metadata.erase(key);
    metadata.set(std::string(kMatryoshkaSliceKey), MetaValue::string(sliceDescription(options)));

    const int threads = options.threads > 0 ? options.threads
                                            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const std::string file = out.string();
    const TensorProducer produce = [&](size_t index, std::span<std::byte> bytes) -> Status {
        const NestedFileTensor& entry = (*layout)[index];
        const TensorInfo& t = nested.tensors[entry.index];
        const std::span<const std::byte> src = nested.data(t);
        if (widths[index] == 0) {
            if (bytes.size() != src.size())
                return makeError(file, "tensors['" + t.name + "']", std::nullopt, "internal error: sizes differ");
            std::memcpy(bytes.data(), src.data(), src.size());
            releasePages(src);
            return {};
        }
        const auto* codes = reinterpret_cast<const int8_t*>(src.data());
        const std::span<const std::byte> scaleBytes = nested.data(nested.tensors[*entry.scales]);
        const std::span<const std::byte> minBytes = nested.data(nested.tensors[*entry.mins]);
        // A file may declare an alignment of 1, so the fp16 values are copied rather than cast.
        std::vector<uint16_t> scales(scaleBytes.size() / 2), mins(minBytes.size() / 2);
        std::memcpy(scales.data(), scaleBytes.data(), scales.size() * 2);
        std::memcpy(mins.data(), minBytes.data(), mins.size() * 2);
        const uint64_t rowLength = static_cast<uint64_t>(t.rowLength());
        const uint64_t groupsPerRow = rowLength / kMatryoshkaGroup;
        const TensorType type = outputs[index].type;
        const uint64_t rowBytes = bytesFor(type, rowLength).value_or(0);
        if (rowBytes * t.rows() != bytes.size())
            return makeError(file, "tensors['" + t.name + "']", std::nullopt, "internal error: sizes differ");
        if (progress.cancelled()) return cancelledError(file);
        Status s = runOnRows(t.rows(), rowLength, threads, [&](uint64_t, uint64_t first, uint64_t count) {
            return exportSlice(widths[index], type, codes + first * rowLength, scales.data() + first * groupsPerRow,
                               mins.data() + first * groupsPerRow, static_cast<int64_t>(count),
                               static_cast<int64_t>(rowLength), bytes.subspan(first * rowBytes, count * rowBytes));
        });
        releasePages(src);
        return s;
    };
    WriteOptions writeOptions;
    writeOptions.overwrite = options.overwrite;
    writeOptions.alignment = nested.alignment;
    if (auto s = writeGguf(out, metadata, outputs, produce, writeOptions, progress); !s) {
        Error e = std::move(s).error();
        e.cancelled = e.cancelled || progress.cancelled();
        return e;
    }
    std::error_code ec;
    report.fileBytes = std::filesystem::file_size(out, ec);
    return report;
}

} // namespace matryx
