#include "quant/model_quantization_error.h"

#include "quant/bit_width.h"
#include "quant/quantizable_tensor.h"
#include "quant/type_fallback.h"
#include "tensor/quantization_error.h"

#include <string>

namespace matryx {

namespace {

// Passes a tensor's progress on as its share of the whole model.
class TensorShare : public Progress {
public:
    TensorShare(Progress& outer, double from, double width, std::string stage)
        : outer_(outer), from_(from), width_(width), stage_(std::move(stage)) {}

protected:
    void onReport(double fraction, std::string_view) override {
        if (!outer_.report(from_ + width_ * fraction, stage_)) cancel();
    }

private:
    Progress& outer_;
    double from_, width_;
    std::string stage_;
};

} // namespace

Result<std::vector<TensorQuantizationError>> measureModelQuantizationError(const Model& model, int bits,
                                                                           Progress& progress, int threads) {
    const auto target = typeForBits(bits);
    if (!target)
        return makeError(model.path.string(), "bits", std::nullopt,
                         std::to_string(bits) + " bits names no type; choose 2, 3, 4, 5, 6, 8 or 16");
    return measureModelQuantizationError(model, *target, progress, threads);
}

Result<std::vector<TensorQuantizationError>> measureModelQuantizationError(const Model& model, TensorType target,
                                                                           Progress& progress, int threads) {
    const std::string architecture = model.metadata.getString("general.architecture").value_or("");
    std::vector<size_t> chosen;
    for (size_t i = 0; i < model.tensors.size(); ++i) {
        const TensorInfo& t = model.tensors[i];
        if (significantDims(t.shape) >= 2 && !reasonNotQuantized(t.name, t.shape, architecture)) chosen.push_back(i);
    }
    std::vector<TensorQuantizationError> out;
    for (size_t k = 0; k < chosen.size(); ++k) {
        const TensorInfo& t = model.tensors[chosen[k]];
        const TensorType type = rowFallbackType(target, t.rowLength());
        TensorShare share(progress, double(k) / double(chosen.size()), 1.0 / double(chosen.size()),
                          "quantizing " + t.name + " to " + std::string(typeName(type)));
        auto measured = measureQuantizationError(t.type, model.data(t), t.shape, type, {}, 0, share, threads);
        if (!measured) {
            Error e = std::move(measured).error();
            if (e.cancelled) return cancelledError(model.path.string());
            return makeError(model.path.string(), "tensors['" + t.name + "']", t.offset, e.message);
        }
        out.push_back({chosen[k], type, measured->relativeRmse, measured->rmse});
    }
    return out;
}

} // namespace matryx
