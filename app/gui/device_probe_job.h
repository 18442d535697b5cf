#pragma once

// Finds out, on a worker thread, which compute device work would run on (MATRYX_DEVICE, else
// auto: an OpenCL device that works, else the CPU), for the status bar. Starting OpenCL can take
// a second, so the window does not wait for it.

#include <QObject>
#include <QString>

namespace matryx {

class DeviceProbeJob : public QObject {
    Q_OBJECT
public:
    explicit DeviceProbeJob(QObject* parent = nullptr);

    void start();

signals:
    // `device` as ComputeDevice describes it ("CPU", "OpenCL 0: ..."); `detail` says why the CPU
    // is used when OpenCL was allowed, or why the requested device failed.
    void finished(const QString& device, const QString& detail);
};

} // namespace matryx
