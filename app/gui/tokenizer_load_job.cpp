#include "gui/tokenizer_load_job.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace matryx {

namespace {

struct LoadOutcome {
    std::shared_ptr<const Tokenizer> tokenizer;
    QString error;
};

LoadOutcome loadOnWorker(const std::shared_ptr<const Model>& model) {
    Result<Vocabulary> vocabulary = Vocabulary::fromMetadata(model->metadata, model->path.string());
    if (!vocabulary)
        return {nullptr, QString::fromStdString(vocabulary.error().toString())};
    Result<std::unique_ptr<Tokenizer>> tokenizer = makeTokenizer(*vocabulary);
    if (!tokenizer)
        return {nullptr, QString::fromStdString(tokenizer.error().toString())};
    return {std::shared_ptr<const Tokenizer>(std::move(tokenizer).value()), {}};
}

} // namespace

TokenizerLoadJob::TokenizerLoadJob(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<const Tokenizer>>("std::shared_ptr<const matryx::Tokenizer>");
}

void TokenizerLoadJob::load(std::shared_ptr<const Model> model) {
    const quint64 generation = ++generation_;
    running_ = true;
    auto* watcher = new QFutureWatcher<LoadOutcome>(this);
    connect(watcher, &QFutureWatcher<LoadOutcome>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != generation_)
            return;
        running_ = false;
        const LoadOutcome outcome = watcher->result();
        if (outcome.tokenizer)
            emit loaded(outcome.tokenizer);
        else
            emit failed(outcome.error);
    });
    watcher->setFuture(QtConcurrent::run(loadOnWorker, std::move(model)));
}

} // namespace matryx
