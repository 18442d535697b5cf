#include "gui/model_open_job.h"

#include "format/model_reader.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace matryx {

namespace {

// What crosses back to the GUI thread: a plain, default-constructible value.
struct OpenOutcome {
    std::shared_ptr<const Model> model;
    QString error;
};

OpenOutcome openOnWorker(const std::filesystem::path& path) {
    Result<Model> result = openModel(path);
    if (!result)
        return {nullptr, QString::fromStdString(result.error().toString())};
    return {std::make_shared<const Model>(std::move(result).value()), {}};
}

} // namespace

ModelOpenJob::ModelOpenJob(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<const Model>>("std::shared_ptr<const matryx::Model>");
}

void ModelOpenJob::open(const QString& path) {
    const quint64 generation = ++generation_;
    running_ = true;
    emit started(path);
    const std::filesystem::path fsPath = path.toStdString();
    auto* watcher = new QFutureWatcher<OpenOutcome>(this);
    connect(watcher, &QFutureWatcher<OpenOutcome>::finished, this, [this, watcher, generation, path] {
        watcher->deleteLater();
        if (generation != generation_)
            return; // a newer request superseded this one
        running_ = false;
        const OpenOutcome outcome = watcher->result();
        if (outcome.model)
            emit opened(outcome.model);
        else
            emit failed(path, outcome.error);
    });
    watcher->setFuture(QtConcurrent::run(openOnWorker, fsPath));
}

} // namespace matryx
