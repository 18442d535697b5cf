#include "gui/model_stats_job.h"

#include "base/progress.h"

#include <QDateTime>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <functional>

namespace matryx {

namespace {

struct ModelStatsOutcome {
    std::shared_ptr<const ModelStats> stats;
    QString error;
    bool cancelled = false;
};

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

ModelStatsOutcome computeOnWorker(std::shared_ptr<const Model> model, std::shared_ptr<Progress> progress) {
    auto result = computeModelStats(*model, ModelStatsOptions{}, *progress);
    if (!result) return {nullptr, QString::fromStdString(result.error().toString()), result.error().cancelled};
    return {std::make_shared<const ModelStats>(std::move(result).value()), {}, false};
}

} // namespace

ModelStatsJob::ModelStatsJob(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<const ModelStats>>("std::shared_ptr<const matryx::ModelStats>");
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

void ModelStatsJob::compute(std::shared_ptr<const Model> model) {
    stop();
    if (!model) return;
    const QString key = cacheKey(*model);
    if (const auto hit = cache_.find(key); hit != cache_.end()) {
        cached_ = true;
        emit finished(*hit);
        return;
    }
    const quint64 generation = generation_;
    running_ = true;
    cached_ = false;
    progress_ = std::make_shared<ForwardingProgress>(this, [this, generation](int permille, QString stage) {
        if (generation == generation_) emit progressed(permille, stage);
    });
    emit started();
    auto* watcher = new QFutureWatcher<ModelStatsOutcome>(this);
    connect(watcher, &QFutureWatcher<ModelStatsOutcome>::finished, this, [this, watcher, generation, key] {
        watcher->deleteLater();
        if (generation != generation_) return; // cancelled, or a newer model superseded this one
        running_ = false;
        progress_.reset();
        const ModelStatsOutcome outcome = watcher->result();
        if (outcome.stats) {
            cache_.insert(key, outcome.stats);
            emit finished(outcome.stats);
        } else if (!outcome.cancelled) {
            emit failed(outcome.error);
        }
    });
    watcher->setFuture(QtConcurrent::run(computeOnWorker, std::move(model), progress_));
}

} // namespace matryx
