#include "format/gguf_file_writer.h"

#include "format/gguf_format.h"
#include "format/gguf_metadata_encoder.h"

#include <limits>
#include <string_view>
#include <unordered_set>

namespace matryx {

namespace {

Status checkAlignment(const std::string& file, const Metadata& metadata, uint64_t alignment) {
    if (!gguf::isPowerOfTwo(alignment) || alignment > std::numeric_limits<uint32_t>::max())
        return makeError(file, "options.alignment", std::nullopt,
                         "alignment " + std::to_string(alignment) +
                             " is not a power of two that fits UINT32");
    if (const MetaValue* v = metadata.find(gguf::kKeyAlignment)) {
        const std::string field = "metadata['" + std::string(gguf::kKeyAlignment) + "']";
        if (v->type() != MetaType::U32)
            return makeError(file, field, std::nullopt,
                             "general.alignment must be UINT32, not " + std::string(metaTypeName(v->type())));
        if (v->toUnsigned() != alignment)
            return makeError(file, field, std::nullopt,
                             "general.alignment is " + v->display() +
                                 " but the file is written with alignment " + std::to_string(alignment));
    }
    return {};
}

// The byte size of one tensor, after the checks the reader makes (same rules as ggml).
Result<uint64_t> tensorSize(const std::string& file, size_t index, const OutputTensor& t) {
    const std::string base = "tensors[" + std::to_string(index) + "]";
    const auto fail = [&](std::string_view field, std::string message) {
        return makeError(file, base + std::string(field), std::nullopt,
                         "'" + t.name + "': " + std::move(message));
    };
    if (t.name.empty()) return makeError(file, base + ".name", std::nullopt, "empty tensor name");
    if (t.name.size() > gguf::kMaxWrittenNameBytes)
        return fail(".name", "name is " + std::to_string(t.name.size()) +
                                 " bytes; llama.cpp accepts at most " +
                                 std::to_string(gguf::kMaxWrittenNameBytes));
    const TypeTraits* traits = typeTraits(static_cast<uint32_t>(t.type));
    if (!traits || !traits->ggml)
        return fail(".type", "type " + std::string(traits ? traits->name : "unknown") +
                                 " is not a ggml type and cannot be stored in GGUF");
    if (t.shape.size() > gguf::kMaxDims)
        return fail(".shape", std::to_string(t.shape.size()) + " dimensions; GGUF allows at most " +
                                  std::to_string(gguf::kMaxDims));
    uint64_t elements = 1;
    for (const int64_t d : t.shape) {
        if (d < 0) return fail(".shape", "negative dimension " + std::to_string(d));
        const auto dim = static_cast<uint64_t>(d);
        if (dim > 1 && elements > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) / dim)
            return fail(".shape", "more than 2^63 elements");
        elements *= dim;
    }
    const auto row = static_cast<uint64_t>(t.shape.empty() ? 1 : t.shape[0]);
    if (row % traits->blockSize != 0)
        return fail(".shape", "row length " + std::to_string(row) + " is not a multiple of the " +
                                  std::string(traits->name) + " block size " +
                                  std::to_string(traits->blockSize));
    const auto bytes = bytesFor(t.type, elements);
    // Keeping sizes below 2^62 leaves room for offsets and padding without overflow checks.
    if (!bytes || *bytes > (uint64_t{1} << 62)) return fail(".shape", "too large");
    return *bytes;
}

} // namespace

Result<GgufFilePlan> planGgufFile(const std::string& file, const Metadata& metadata,
                                  std::span<const OutputTensor> tensors, uint64_t alignment) {
    if (auto s = checkAlignment(file, metadata, alignment); !s) return std::move(s).error();

    GgufFilePlan plan;
    plan.file = file;
    plan.alignment = alignment;
    plan.offsets.reserve(tensors.size());
    plan.sizes.reserve(tensors.size());
    std::unordered_set<std::string_view> names;
    uint64_t next = 0;
    for (size_t i = 0; i < tensors.size(); ++i) {
        auto size = tensorSize(file, i, tensors[i]);
        if (!size) return std::move(size).error();
        if (!names.insert(tensors[i].name).second)
            return makeError(file, "tensors[" + std::to_string(i) + "].name", std::nullopt,
                             "duplicate tensor name '" + tensors[i].name + "'");
        if (*size > (uint64_t{1} << 62) - next)
            return makeError(file, "tensors", std::nullopt, "data section larger than 2^62 bytes");
        plan.offsets.push_back(next);
        plan.sizes.push_back(*size);
        plan.largestTensor = std::max(plan.largestTensor, *size);
        next = gguf::alignUp(next + *size, alignment);
    }

    const bool addAlignment = alignment != gguf::kDefaultAlignment && !metadata.contains(gguf::kKeyAlignment);
    GgufByteWriter out(plan.header);
    for (const std::byte b : gguf::kMagic)
        out.put(b);
    out.put<uint32_t>(gguf::kWriteVersion);
    out.put<uint64_t>(tensors.size());
    out.put<uint64_t>(metadata.size() + (addAlignment ? 1 : 0));
    for (const auto& [key, value] : metadata)
        if (auto s = encodeGgufKv(out, key, value, file); !s) return std::move(s).error();
    if (addAlignment)
        if (auto s = encodeGgufKv(out, gguf::kKeyAlignment, MetaValue::u32(static_cast<uint32_t>(alignment)),
                                  file);
            !s)
            return std::move(s).error();
    for (size_t i = 0; i < tensors.size(); ++i) {
        const OutputTensor& t = tensors[i];
        out.putString(t.name);
        out.put<uint32_t>(static_cast<uint32_t>(t.shape.size()));
        for (const int64_t d : t.shape)
            out.put<int64_t>(d);
        out.put<uint32_t>(static_cast<uint32_t>(t.type));
        out.put<uint64_t>(plan.offsets[i]);
    }
    out.padTo(alignment);
    return plan;
}

Status streamGgufFile(AtomicFile& out, const GgufFilePlan& plan, std::span<const OutputTensor> tensors,
                      size_t firstIndex, const TensorProducer& produce, std::span<std::byte> buffer,
                      GgufWriteProgress& progress) {
    const uint64_t start = out.position();
    if (auto s = out.write(plan.header); !s) return s;
    const uint64_t dataStart = start + plan.header.size();
    for (size_t i = 0; i < tensors.size(); ++i) {
        const double fraction =
            progress.total ? static_cast<double>(progress.done) / static_cast<double>(progress.total) : 0.0;
        if (!progress.progress.report(fraction, tensors[i].name)) return cancelledError(plan.file);
        if (out.position() != dataStart + plan.offsets[i] || buffer.size() < plan.sizes[i])
            return makeError(plan.file, "tensors[" + std::to_string(i) + "]", out.position(),
                             "internal error: data out of place");
        const std::span<std::byte> bytes = buffer.first(static_cast<size_t>(plan.sizes[i]));
        if (auto s = produce(firstIndex + i, bytes); !s) return s;
        if (auto s = out.write(bytes); !s) return s;
        if (auto s = out.writeZeros(gguf::alignUp(bytes.size(), plan.alignment) - bytes.size()); !s) return s;
        progress.done += bytes.size();
    }
    return {};
}

} // namespace matryx
