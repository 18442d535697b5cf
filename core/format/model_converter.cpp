#include "format/model_converter.h"

#include "format/gguf_writer.h"
#include "format/hf_name_map.h"
#include "format/hf_rope_permute.h"
#include "format/safetensors_writer.h"
#include "tensor/dequantize.h"
#include "tensor/float_convert.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <regex>
#include <thread>

namespace matryx {

namespace {

// llama_ftype values (llama.h) recorded as general.file_type.
uint32_t fileTypeFor(TensorType floatType) {
    switch (floatType) {
    case TensorType::F16: return 1;  // LLAMA_FTYPE_MOSTLY_F16
    case TensorType::BF16: return 32; // LLAMA_FTYPE_MOSTLY_BF16
    default: return 0;                // LLAMA_FTYPE_ALL_F32
    }
}

bool isInteger(TensorType t) {
    return t == TensorType::I8 || t == TensorType::I16 || t == TensorType::I32 || t == TensorType::I64;
}

bool sourceIsGgufNamed(const Model& model) { return model.format == ModelFormat::Gguf; }

std::string outputName(const Model& model, const TensorInfo& t, OutputFormat format) {
    const std::string arch = model.architecture();
    if (sourceIsGgufNamed(model) && format == OutputFormat::Safetensors)
        return ggufToHf(t.name, arch);
    if (!sourceIsGgufNamed(model) && format == OutputFormat::Gguf)
        return hfToGguf(t.name, arch);
    return t.name;
}

TensorType outputType(const TensorInfo& t, OutputFormat format, TensorType floatType) {
    if (isInteger(t.type))
        return t.type;
    if (!typeTraits(t.type).ggml && format == OutputFormat::Safetensors)
        return t.type; // U8, BOOL, F8: safetensors stores them as they are
    if (t.type == TensorType::U8 || t.type == TensorType::Bool)
        return TensorType::F32; // GGUF has no unsigned or boolean tensors; values are kept
    // Norms and biases stay f32, as llama.cpp's converter keeps them.
    return t.shape.size() <= 1 ? TensorType::F32 : floatType;
}

// How one tensor is transformed besides its type, when moving between naming conventions.
struct TensorFix {
    uint64_t permuteHeads = 0; // llama q/k row order; 0 = none
    bool toGguf = true;        // direction of the permutation
    float normShift = 0.0f;    // Gemma stores (1 + w) in GGUF norms, w in Hugging Face checkpoints
};

TensorFix fixFor(const Model& model, const std::string& ggufName, OutputFormat format) {
    TensorFix fix;
    const bool crossing = sourceIsGgufNamed(model) != (format == OutputFormat::Gguf);
    if (!crossing)
        return fix;
    fix.toGguf = format == OutputFormat::Gguf;
    const std::string arch = model.architecture();
    static const std::regex qk(R"(blk\.\d+\.attn_([qk])\.(weight|bias))");
    std::smatch m;
    if (hasPermutedQkRows(arch) && std::regex_match(ggufName, m, qk)) {
        const auto heads = model.metadata.getUnsigned(arch + ".attention.head_count").value_or(0);
        const auto kvHeads = model.metadata.getUnsigned(arch + ".attention.head_count_kv").value_or(heads);
        fix.permuteHeads = m[1] == "q" ? heads : kvHeads;
    }
    const bool gemma = arch == "gemma" || arch == "gemma2" || arch == "gemma3";
    if (gemma && ggufName.size() > 11 && ggufName.ends_with("norm.weight"))
        fix.normShift = fix.toGguf ? 1.0f : -1.0f;
    return fix;
}

uint64_t permutedRows(const TensorInfo& t) {
    return t.shape.size() == 1 ? static_cast<uint64_t>(t.shape[0]) : t.rows();
}

class TensorConverter {
public:
    TensorConverter(const Model& model, OutputFormat format, std::vector<OutputTensor> outputs, int threads)
        : model_(model), format_(format), outputs_(std::move(outputs)), threads_(threads) {}

    const std::vector<OutputTensor>& outputs() const { return outputs_; }

    Status produce(size_t index, std::span<std::byte> out) {
        const TensorInfo& in = model_.tensors[index];
        const OutputTensor& target = outputs_[index];
        const std::string ggufName = format_ == OutputFormat::Gguf ? target.name : in.name;
        const TensorFix fix = fixFor(model_, ggufName, format_);
        const std::span<const std::byte> src = model_.data(in);
        if (src.size() != in.bytes)
            return makeError(model_.path.string(), "tensor " + in.name, in.offset, "tensor data is not in the file");

        if (target.type == in.type && fix.normShift == 0.0f) {
            if (fix.permuteHeads)
                return permute(src, out, permutedRows(in), fix);
            std::memcpy(out.data(), src.data(), src.size());
            return {};
        }

        floats_.resize(in.elements());
        if (auto s = dequantize(in.type, src, floats_, threads_); !s)
            return makeError(model_.path.string(), "tensor " + in.name, in.offset, s.error().message);
        if (fix.normShift != 0.0f)
            for (float& v : floats_)
                v += fix.normShift;
        if (fix.permuteHeads) {
            scratch_.resize(floats_.size());
            if (auto s = permute(std::as_bytes(std::span(floats_)), std::as_writable_bytes(std::span(scratch_)),
                                 permutedRows(in), fix);
                !s)
                return s;
            floats_.swap(scratch_);
        }
        if (isInteger(target.type) || !typeTraits(target.type).ggml)
            return makeError(model_.path.string(), "tensor " + in.name, in.offset,
                             "cannot convert " + std::string(typeName(in.type)) + " to " +
                                 std::string(typeName(target.type)));
        return convertFromFloat(target.type, floats_.data(), out.data(), static_cast<int64_t>(floats_.size()));
    }

private:
    Status permute(std::span<const std::byte> in, std::span<std::byte> out, uint64_t rows, const TensorFix& fix) {
        Status s = fix.toGguf ? permuteQkRowsToGguf(in, out, rows, fix.permuteHeads)
                              : permuteQkRowsToHf(in, out, rows, fix.permuteHeads);
        if (!s)
            return makeError(model_.path.string(), "attention head count", std::nullopt, s.error().message);
        return s;
    }

    const Model& model_;
    OutputFormat format_;
    std::vector<OutputTensor> outputs_;
    int threads_;
    std::vector<float> floats_;
    std::vector<float> scratch_;
};

Metadata convertedMetadata(const Model& model, const ConvertOptions& options) {
    Metadata metadata = model.metadata;
    // The output is one file with the default alignment.
    for (const char* key : {"split.no", "split.count", "split.tensors.count", "general.alignment"})
        metadata.erase(key);
    metadata.set("general.file_type", MetaValue::u32(fileTypeFor(options.floatType)));
    return metadata;
}

} // namespace

Result<OutputFormat> outputFormatFor(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".gguf")
        return OutputFormat::Gguf;
    if (ext == ".safetensors")
        return OutputFormat::Safetensors;
    return makeError(path.string(), {}, std::nullopt, "the output must end in .gguf or .safetensors");
}

Result<std::vector<OutputTensor>> planConversion(const Model& model, OutputFormat format,
                                                 const ConvertOptions& options) {
    if (options.floatType != TensorType::F32 && options.floatType != TensorType::F16 &&
        options.floatType != TensorType::BF16)
        return makeError(model.path.string(), {}, std::nullopt, "conversion writes F32, F16 or BF16 weights");
    std::vector<OutputTensor> outputs;
    outputs.reserve(model.tensors.size());
    for (const auto& t : model.tensors) {
        if (format == OutputFormat::Gguf && t.shape.size() > 4)
            return makeError(model.path.string(), "tensor " + t.name, std::nullopt,
                             "GGUF holds at most 4 dimensions, this tensor has " + std::to_string(t.shape.size()));
        outputs.push_back({outputName(model, t, format), outputType(t, format, options.floatType), t.shape});
    }
    for (size_t i = 0; i < outputs.size(); ++i)
        for (size_t j = 0; j < i; ++j)
            if (outputs[i].name == outputs[j].name)
                return makeError(model.path.string(), "tensor " + model.tensors[i].name, std::nullopt,
                                 "maps to the same output name as " + model.tensors[j].name + ": " + outputs[i].name);
    return outputs;
}

Status convertModel(const Model& model, const std::filesystem::path& out, const ConvertOptions& options,
                    Progress& progress) {
    auto format = outputFormatFor(out);
    if (!format)
        return std::move(format).error();
    auto outputs = planConversion(model, *format, options);
    if (!outputs)
        return std::move(outputs).error();

    const int threads = options.threads > 0 ? options.threads
                                            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    TensorConverter converter(model, *format, std::move(outputs).value(), threads);
    const TensorProducer produce = [&converter](size_t index, std::span<std::byte> bytes) {
        return converter.produce(index, bytes);
    };
    WriteOptions writeOptions;
    writeOptions.overwrite = options.overwrite;
    const Metadata metadata = convertedMetadata(model, options);
    if (*format == OutputFormat::Gguf)
        return writeGguf(out, metadata, converter.outputs(), produce, writeOptions, progress);
    return writeSafetensors(out, metadata, converter.outputs(), produce, writeOptions, progress);
}

} // namespace matryx
