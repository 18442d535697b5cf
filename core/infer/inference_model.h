#pragma once

// A model ready for inference: the opened Model (its mapped files), its configuration and its
// weight views, checked once and shared read-only by any number of sessions and threads.

#include "base/error.h"
#include "format/model.h"
#include "infer/model_config.h"
#include "infer/model_weights.h"

#include <filesystem>
#include <memory>

namespace matryx {

class InferenceModel {
public:
    // Takes the model over and checks it (readModelConfig, loadModelWeights).
    static Result<std::shared_ptr<const InferenceModel>> load(Model model);
    // openModel(path), then load().
    static Result<std::shared_ptr<const InferenceModel>> open(const std::filesystem::path& path);

    const Model& model() const noexcept { return model_; }
    const ModelConfig& config() const noexcept { return config_; }
    const ModelWeights& weights() const noexcept { return weights_; }

    InferenceModel(const InferenceModel&) = delete;
    InferenceModel& operator=(const InferenceModel&) = delete;

private:
    InferenceModel() = default;

    Model model_;
    ModelConfig config_;
    ModelWeights weights_; // views into model_'s sources, which never move
};

} // namespace matryx
