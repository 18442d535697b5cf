#include "gui/tensor_stats_job.h"

#include "base/progress.h"
#include "quant/type_fallback.h"

#include <QFutureWatcher>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace matryx {

namespace {

// What crosses back to the GUI thread: a plain, default-constructible value.
struct StatsOutcome {
    std::shared_ptr<const TensorStats> stats;
    QString error;
    bool cancelled = false;
    std::shared_ptr<const QuantizationError> quantization; // when a comparison was asked for
    QString quantizedAs;
};

QString typeText(TensorType type) {
    const std::string_view name = typeName(type);
    return QString::fromLatin1(name.data(), qsizetype(name.size()));
}

StatsOutcome computeOnWorker(std::shared_ptr<const Model> model, std::string name, TensorStatsOptions options,
                             std::optional<TensorType> compareWith, std::shared_ptr<Progress> progress) {
    const TensorInfo* tensor = model->findTensor(name);
    if (!tensor)
        return {nullptr, QStringLiteral("no tensor named %1").arg(QString::fromStdString(name)), false, {}, {}};
    Result<TensorStats> result =
        computeTensorStats(tensor->type, model->data(*tensor), tensor->shape, options, *progress);
    if (!result)
        return {nullptr, QString::fromStdString(result.error().toString()), result.error().cancelled, {}, {}};
    StatsOutcome outcome{std::make_shared<const TensorStats>(std::move(result).value()), {}, false, {}, {}};
    if (compareWith) {
        const TensorType type = rowFallbackType(*compareWith, tensor->rowLength());
        outcome.quantizedAs = type == *compareWith
                                  ? typeText(type)
                                  : QStringLiteral("%1 (for %2: rows of %3)")
                                        .arg(typeText(type), typeText(*compareWith))
                                        .arg(tensor->rowLength());
        auto measured = measureQuantizationError(tensor->type, model->data(*tensor), tensor->shape, type,
                                                 outcome.stats->linear.edges, 128, *progress, options.threads);
        if (measured)
            outcome.quantization = std::make_shared<const QuantizationError>(std::move(measured).value());
        else if (!measured.error().cancelled)
            outcome.quantizedAs += QStringLiteral(": ") + QString::fromStdString(measured.error().message);
    }
    return outcome;
}

} // namespace

TensorStatsJob::TensorStatsJob(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<const TensorStats>>("std::shared_ptr<const matryx::TensorStats>");
    qRegisterMetaType<std::shared_ptr<const QuantizationError>>("std::shared_ptr<const matryx::QuantizationError>");
}

TensorStatsJob::~TensorStatsJob() {
    cancel();
}

void TensorStatsJob::cancel() {
    ++generation_;
    running_ = false;
    if (progress_) progress_->cancel();
    progress_.reset();
}

void TensorStatsJob::compute(std::shared_ptr<const Model> model, const QString& name, int bins, int topK,
                             std::optional<TensorType> compareWith) {
    cancel();
    if (!model || !model->findTensor(name.toStdString())) {
        emit failed(name, tr("The open model has no tensor named %1.").arg(name));
        return;
    }
    const quint64 generation = generation_;
    running_ = true;
    progress_ = std::make_shared<Progress>();
    emit started(name);

    TensorStatsOptions options;
    options.histogramBins = bins;
    options.topK = topK;
    // One core stays free for the GUI thread; the result does not depend on the thread count.
    options.threads = std::max(1, QThread::idealThreadCount() - 1);

    auto* watcher = new QFutureWatcher<StatsOutcome>(this);
    connect(watcher, &QFutureWatcher<StatsOutcome>::finished, this, [this, watcher, generation, name] {
        watcher->deleteLater();
        if (generation != generation_) return; // cancelled, or a newer request superseded this one
        running_ = false;
        progress_.reset();
        const StatsOutcome outcome = watcher->result();
        if (outcome.stats) {
            emit finished(name, outcome.stats);
            if (!outcome.quantizedAs.isEmpty()) emit quantizationMeasured(name, outcome.quantizedAs, outcome.quantization);
        }
        else if (!outcome.cancelled)
            emit failed(name, outcome.error);
    });
    watcher->setFuture(
        QtConcurrent::run(computeOnWorker, std::move(model), name.toStdString(), options, compareWith, progress_));
}

} // namespace matryx
