#include "quant/model_stats.h"

#include <regex>

namespace matryx {

namespace {

// Maps one tensor's progress into the model's range under the tensor's name, and passes the
// model-level cancellation down: report() of a Progress only checks its own flag.
class TensorProgress : public Progress {
public:
    TensorProgress(Progress& parent, double base, double span, const std::string& name)
        : parent_(parent), base_(base), span_(span), name_(name) {}

protected:
    void onReport(double fraction, std::string_view) override {
        if (!parent_.report(base_ + span_ * fraction, name_)) cancel();
    }

private:
    Progress& parent_;
    double base_;
    double span_;
    const std::string& name_;
};

std::string fileOf(const Model& model, const TensorInfo& t) {
    if (t.source < model.sources.size() && model.sources[t.source]) return model.sources[t.source]->name();
    return model.path.string();
}

} // namespace

Result<ModelStats> computeModelStats(const Model& model, const ModelStatsOptions& options,
                                     Progress& progress) {
    std::vector<size_t> selected;
    try {
        const std::regex pattern(options.tensorPattern, std::regex::ECMAScript);
        for (size_t i = 0; i < model.tensors.size(); ++i)
            if (options.tensorPattern.empty() || std::regex_search(model.tensors[i].name, pattern))
                selected.push_back(i);
    } catch (const std::regex_error& e) {
        return makeError(model.path.string(), "tensorPattern", std::nullopt,
                         "not a valid regular expression: '" + options.tensorPattern + "' (" + e.what() +
                             ")");
    }

    double total = 0;
    for (const size_t i : selected)
        total += double(model.tensors[i].elements());
    ModelStats out;
    out.tensors.reserve(selected.size());
    double done = 0;
    for (const size_t i : selected) {
        const TensorInfo& t = model.tensors[i];
        const double share = total > 0 ? double(t.elements()) / total : 0.0;
        const double base = total > 0 ? done / total : 0.0;
        if (!progress.report(base, t.name)) return cancelledError(model.path.string());
        TensorProgress tensorProgress(progress, base, share, t.name);
        auto stats = computeTensorStats(t.type, model.data(t), t.shape, options.tensor, tensorProgress);
        if (!stats) {
            Error e = std::move(stats).error();
            if (e.cancelled || progress.cancelled()) return cancelledError(model.path.string());
            return makeError(fileOf(model, t),
                             "tensors[" + std::to_string(i) + "] " + t.name + ": " + e.field, t.offset,
                             e.message);
        }
        out.tensors.push_back({i, t.name, t.type, t.shape, std::move(stats).value()});
        done += double(t.elements());
    }
    progress.report(1.0, "statistics");
    return out;
}

} // namespace matryx
