#pragma once

// Computes the statistics of one tensor on a worker thread for the tensor inspector. Each
// request gets a generation number and cancels the one before it; a result that arrives after a
// newer request is dropped, so the inspector only ever shows the tensor last asked for.

#include "format/model.h"
#include "tensor/quantization_error.h"
#include "tensor/tensor_stats.h"

#include <QObject>
#include <QString>

#include <memory>
#include <optional>

namespace matryx {

class Progress;

class TensorStatsJob : public QObject {
    Q_OBJECT
public:
    explicit TensorStatsJob(QObject* parent = nullptr);
    // Cancels a running request; its result is never emitted.
    ~TensorStatsJob() override;

    // Starts computing statistics of the tensor `name` of `model` with `bins` histogram bins and
    // the `topK` values of largest magnitude. The worker keeps `model` (and so its mapped bytes)
    // alive until it is done. An unknown name fails at once with `failed`.
    // With `compareWith`, also measures what quantizing the tensor to that type does (after
    // llama.cpp's fallback when its rows are not whole blocks of it) and emits quantizationMeasured.
    void compute(std::shared_ptr<const Model> model, const QString& name, int bins, int topK = 32,
                 std::optional<TensorType> compareWith = std::nullopt);
    // Stops the running request, if any; nothing is emitted for it.
    void cancel();
    bool isRunning() const { return running_; }

signals:
    void started(const QString& name);
    void finished(const QString& name, std::shared_ptr<const matryx::TensorStats> stats);
    void failed(const QString& name, const QString& message);
    // `type` names the type measured, with the fallback that replaced the one asked for.
    void quantizationMeasured(const QString& name, const QString& type,
                              std::shared_ptr<const matryx::QuantizationError> error);

private:
    quint64 generation_ = 0;
    bool running_ = false;
    std::shared_ptr<Progress> progress_; // of the running request, to cancel it
};

} // namespace matryx
