#include "infer/inference_model.h"

#include "format/model_reader.h"

namespace matryx {

Result<std::shared_ptr<const InferenceModel>> InferenceModel::load(Model model) {
    std::shared_ptr<InferenceModel> loaded(new InferenceModel());
    loaded->model_ = std::move(model);
    auto config = readModelConfig(loaded->model_);
    if (!config) return std::move(config).error();
    loaded->config_ = std::move(*config);
    auto weights = loadModelWeights(loaded->model_, loaded->config_);
    if (!weights) return std::move(weights).error();
    loaded->weights_ = std::move(*weights);
    return std::shared_ptr<const InferenceModel>(std::move(loaded));
}

Result<std::shared_ptr<const InferenceModel>> InferenceModel::open(const std::filesystem::path& path) {
    auto model = openModel(path);
    if (!model) return std::move(model).error();
    return load(std::move(*model));
}

} // namespace matryx
