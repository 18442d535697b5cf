#pragma once

// Builds the tokenizer of an opened model on a worker thread (unpacking a 150 000-token
// vocabulary takes a moment). Each request gets a generation number; a result that arrives
// after a newer request is dropped.

#include "format/model.h"
#include "infer/tokenizer.h"

#include <QObject>
#include <QString>

#include <memory>

namespace matryx {

class TokenizerLoadJob : public QObject {
    Q_OBJECT
public:
    explicit TokenizerLoadJob(QObject* parent = nullptr);

    // Starts building the tokenizer of `model` (kept alive by the job while it works).
    void load(std::shared_ptr<const Model> model);
    bool isRunning() const { return running_; }

signals:
    void loaded(std::shared_ptr<const matryx::Tokenizer> tokenizer);
    // The model has no vocabulary Matryx tokenizes; `message` says why.
    void failed(const QString& message);

private:
    quint64 generation_ = 0;
    bool running_ = false;
};

} // namespace matryx
