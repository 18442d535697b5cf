#pragma once

// Brings core/base/log.h messages from any thread to the GUI thread: while alive, installs a
// log sink (at Info level) that queues each message to messageLogged(); on destruction puts the
// previous sink and level back. One forwarder is meant to be alive at a time; nested ones
// restore in reverse order.

#include "base/log.h"

#include <QObject>
#include <QString>

namespace matryx {

class LogForwarder : public QObject {
    Q_OBJECT
public:
    explicit LogForwarder(QObject* parent = nullptr);
    ~LogForwarder() override;

signals:
    // Emitted on the forwarder's thread, in the order the messages were logged.
    void messageLogged(matryx::LogLevel level, const QString& message);

private:
    LogSink previous_;
    LogLevel previousLevel_;
};

} // namespace matryx
