#include "quant/plan_layout.h"

#include "format/gguf_file_writer.h"

namespace matryx {

Metadata quantizedMetadata(const Metadata& source, std::optional<LlamaFileType> fileType,
                           const std::string& planJson) {
    Metadata out = source;
    out.set("general.quantization_version", MetaValue::u32(kQuantizationVersion));
    if (fileType)
        out.set("general.file_type", MetaValue::u32(static_cast<uint32_t>(*fileType)));
    else
        out.erase("general.file_type");
    for (const char* key : {"split.no", "split.count", "split.tensors.count"})
        out.erase(key);
    if (planJson.empty())
        out.erase(kPlanMetadataKey);
    else
        out.set(kPlanMetadataKey, MetaValue::string(planJson));
    return out;
}

Result<GgufSize> predictGgufSize(const std::string& file, const Metadata& metadata,
                                 std::span<const OutputTensor> tensors, uint64_t alignment) {
    // The writer's own planning step lays out the header; asking it keeps the two in step.
    auto plan = planGgufFile(file, metadata, tensors, alignment);
    if (!plan) return std::move(plan).error();
    GgufSize size;
    size.headerBytes = plan->header.size();
    size.fileBytes = size.headerBytes;
    if (!plan->sizes.empty()) {
        const uint64_t lastEnd = plan->offsets.back() + plan->sizes.back();
        size.fileBytes += (lastEnd + alignment - 1) / alignment * alignment;
    }
    return size;
}

} // namespace matryx
