#include "gui/model_stats_job.h"

#include "base/progress.h"

#include <QDateTime>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QPointer>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <atomic>
#include <functional>

namespace matryx {

namespace {

// Forwards reports to the job on the GUI thread when the permille changes.
class ForwardingProgress : public Progress {
public:
    ForwardingProgress(ModelStatsJob* job, std::function<void(int, QString)> deliver)
        : job_(job), deliver_(std::move(deliver)) {}

protected:
    void onReport(double fraction, std::string_view stage) override {
        const int permille = int(fraction * 1000.0);
        if (permille == last_.exchange(permille)) return;
        QMetaObject::invokeMethod(job_, [deliver = deliver_, permille, text = QString::fromUtf8(stage.data(), qsizetype(stage.size()))] {
            deliver(permille, text);
        }, Qt::QueuedConnection);
    }

private:
    QPointer<ModelStatsJob> job_; // a queued call to a deleted job is dropped
    std::function<void(int, QString)> deliver_;
    std::atomic<int> last_{-1};
};

QString cacheKey(const Model& model) {
    const QFileInfo info(QString::fromStdString(model.path.string()));
    return info.absoluteFilePath() + QLatin1Char('|') + QString::number(info.size()) + QLatin1Char('|') +
           QString::number(info.lastModified().toMSecsSinceEpoch());
}

} // namespace

ModelStatsJob::ModelStatsJob(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<const ModelStats>>("std::shared_ptr<const matryx::ModelStats>");
    qRegisterMetaType<std::shared_ptr<const std::vector<TensorQuantizationError>>>(
        "std::shared_ptr<const std::vector<matryx::TensorQuantizationError>>");
    qRegisterMetaType<std::vector<TensorType>>("std::vector<matryx::TensorType>");
    qRegisterMetaType<std::shared_ptr<const std::vector<std::vector<TensorQuantizationError>>>>(
        "std::shared_ptr<const std::vector<std::vector<matryx::TensorQuantizationError>>>");
}

ModelStatsJob::~ModelStatsJob() { stop(); }

void ModelStatsJob::stop() {
    ++generation_;
    running_ = false;
    if (progress_) progress_->cancel();
    progress_.reset();
}

void ModelStatsJob::cancel() {
    if (!running_) return;
    stop();
    emit cancelled();
}

// What crosses back to the GUI thread: a plain value holding the result or why there is none.
template <class T> struct JobOutcome {
    std::shared_ptr<const T> value;
    QString error;
    bool cancelled = false;
};

template <class T, class Work, class Done>
void ModelStatsJob::start(Work work, Done done) {
    const quint64 generation = generation_;
    running_ = true;
    cached_ = false;
    progress_ = std::make_shared<ForwardingProgress>(this, [this, generation](int permille, QString stage) {
        if (generation == generation_) emit progressed(permille, stage);
    });
    emit started();
    auto* watcher = new QFutureWatcher<JobOutcome<T>>(this);
    connect(watcher, &QFutureWatcher<JobOutcome<T>>::finished, this, [this, watcher, generation, done] {
        watcher->deleteLater();
        if (generation != generation_) return; // cancelled, or a newer request superseded this one
        running_ = false;
        progress_.reset();
        const JobOutcome<T> outcome = watcher->result();
        if (outcome.value)
            done(outcome.value);
        else if (!outcome.cancelled)
            emit failed(outcome.error);
    });
    watcher->setFuture(QtConcurrent::run([work, progress = progress_]() -> JobOutcome<T> {
        auto result = work(*progress);
        if (!result) return {nullptr, QString::fromStdString(result.error().toString()), result.error().cancelled};
        return {std::make_shared<const T>(std::move(result).value()), {}, false};
    }));
}

void ModelStatsJob::compute(std::shared_ptr<const Model> model) {
    stop();
    if (!model) return;
    const QString key = cacheKey(*model);
    if (const auto hit = cache_.find(key); hit != cache_.end()) {
        cached_ = true;
        emit finished(*hit);
        return;
    }
    start<ModelStats>([model](Progress& progress) { return computeModelStats(*model, ModelStatsOptions{}, progress); },
                      [this, key](std::shared_ptr<const ModelStats> stats) {
                          cache_.insert(key, stats);
                          emit finished(stats);
                      });
}

void ModelStatsJob::computeQuantizationError(std::shared_ptr<const Model> model, int bits) {
    stop();
    if (!model) return;
    const QString key = cacheKey(*model) + QStringLiteral("|bits=") + QString::number(bits);
    if (const auto hit = errorCache_.find(key); hit != errorCache_.end()) {
        cached_ = true;
        emit quantizationErrorsReady(bits, *hit);
        return;
    }
    const int threads = std::max(1, QThread::idealThreadCount() - 1); // one core stays with the GUI
    start<std::vector<TensorQuantizationError>>(
        [model, bits, threads](Progress& progress) {
            return measureModelQuantizationError(*model, bits, progress, threads);
        },
        [this, key, bits](std::shared_ptr<const std::vector<TensorQuantizationError>> errors) {
            errorCache_.insert(key, errors);
            emit quantizationErrorsReady(bits, errors);
        });
}

void ModelStatsJob::computeTypeErrors(std::shared_ptr<const Model> model, std::vector<TensorType> types) {
    stop();
    if (!model || types.empty()) return;
    const int threads = std::max(1, QThread::idealThreadCount() - 1);
    using PerType = std::vector<std::vector<TensorQuantizationError>>;
    start<PerType>(
        [model, types, threads](Progress& progress) -> Result<PerType> {
            PerType out;
            for (TensorType type : types) {
                auto errors = measureModelQuantizationError(*model, type, progress, threads);
                if (!errors) return std::move(errors).error();
                out.push_back(std::move(*errors));
            }
            return out;
        },
        [this, types](std::shared_ptr<const PerType> errors) { emit typeErrorsReady(types, errors); });
}

} // namespace matryx
