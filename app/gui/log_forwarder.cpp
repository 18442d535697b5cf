#include "gui/log_forwarder.h"

#include <QMetaObject>

namespace matryx {

LogForwarder::LogForwarder(QObject* parent) : QObject(parent), previousLevel_(logLevel()) {
    qRegisterMetaType<matryx::LogLevel>("matryx::LogLevel");
    // The sink runs under the log's lock and the destructor takes that lock to remove it, so the
    // sink never sees a destroyed forwarder; a queued call to a deleted object is dropped by Qt.
    previous_ = setLogSink([this](LogLevel level, std::string_view message) {
        const QString text = QString::fromUtf8(message.data(), static_cast<qsizetype>(message.size()));
        QMetaObject::invokeMethod(
            this, [this, level, text] { emit messageLogged(level, text); }, Qt::QueuedConnection);
    });
    setLogLevel(LogLevel::Info);
}

LogForwarder::~LogForwarder() {
    setLogSink(std::move(previous_));
    setLogLevel(previousLevel_);
}

} // namespace matryx
