#pragma once

// Computes the statistics of every tensor of the open model on a worker thread, for the layer
// heatmap, with progress and Cancel. Each request gets a generation number and cancels the one
// before it; stale results are dropped. It also measures every matrix's quantization error at a
// width, for the heatmap's error measure. Finished results are kept per file (path, size and
// modification time) for the session, so reopening a file shows its heatmap at once.

#include "format/model.h"
#include "quant/model_quantization_error.h"
#include "quant/model_stats.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <memory>

namespace matryx {

class Progress;

class ModelStatsJob : public QObject {
    Q_OBJECT
public:
    explicit ModelStatsJob(QObject* parent = nullptr);
    // Cancels a running request; its result is never emitted.
    ~ModelStatsJob() override;

    // Starts computing the summary statistics of every tensor of `model`, or emits finished at
    // once from the cache. The worker keeps `model` alive until it is done.
    void compute(std::shared_ptr<const Model> model);
    // Starts measuring every matrix's error at `bits` (quant/model_quantization_error.h), or
    // emits quantizationErrorsReady at once from the cache. Replaces a running request.
    void computeQuantizationError(std::shared_ptr<const Model> model, int bits);
    // Measures every matrix's error at each of `types`, or emits typeErrorsReady at once from the
    // cache. Replaces a running request.
    void computeTypeErrors(std::shared_ptr<const Model> model, std::vector<TensorType> types);
    // Stops the running request; emits cancelled.
    void cancel();
    bool isRunning() const { return running_; }
    bool wasCached() const { return cached_; } // the last finished result came from the cache

signals:
    void started();
    // Permille done and the stage ("blk.3.ffn_down.weight"); throttled to visible changes.
    void progressed(int permille, const QString& stage);
    void finished(std::shared_ptr<const matryx::ModelStats> stats);
    void quantizationErrorsReady(int bits, std::shared_ptr<const std::vector<matryx::TensorQuantizationError>> errors);
    // One list per type asked for, in the order asked.
    void typeErrorsReady(std::vector<matryx::TensorType> types,
                         std::shared_ptr<const std::vector<std::vector<matryx::TensorQuantizationError>>> errors);
    void failed(const QString& message);
    void cancelled();

private:
    void stop();
    template <class T, class Work, class Done> void start(Work work, Done done);

    quint64 generation_ = 0;
    bool running_ = false;
    bool cached_ = false;
    std::shared_ptr<Progress> progress_; // of the running request, to cancel it
    QHash<QString, std::shared_ptr<const ModelStats>> cache_;
    QHash<QString, std::shared_ptr<const std::vector<TensorQuantizationError>>> errorCache_;
};

} // namespace matryx
