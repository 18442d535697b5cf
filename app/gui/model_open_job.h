#pragma once

// Opens a model on a worker thread. Each request gets a generation number; a result that
// arrives after a newer request is dropped, so the window shows only the last file asked for.

#include "format/model.h"

#include <QObject>
#include <QString>

#include <memory>

namespace matryx {

class ModelOpenJob : public QObject {
    Q_OBJECT
public:
    explicit ModelOpenJob(QObject* parent = nullptr);

    void open(const QString& path);
    bool isRunning() const { return running_; }

signals:
    void started(const QString& path);
    void opened(std::shared_ptr<const matryx::Model> model);
    void failed(const QString& path, const QString& message);

private:
    quint64 generation_ = 0;
    bool running_ = false;
};

} // namespace matryx
