#include "gui/device_probe_job.h"

#include "compute/compute_device.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <utility>

namespace matryx {

namespace {

std::pair<QString, QString> probe() {
    const Result<DeviceRequest> request = deviceRequestFromEnvironment();
    if (!request)
        return {QStringLiteral("CPU"), QString::fromStdString(request.error().toString())};
    Result<std::shared_ptr<ComputeDevice>> device = ComputeDevice::open(*request);
    if (!device)
        return {QStringLiteral("CPU"), QString::fromStdString(device.error().toString())};
    return {QString::fromStdString((*device)->description()), QString::fromStdString((*device)->cpuReason())};
}

} // namespace

DeviceProbeJob::DeviceProbeJob(QObject* parent) : QObject(parent) {}

void DeviceProbeJob::start() {
    using Outcome = std::pair<QString, QString>;
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const Outcome outcome = watcher->result();
        emit finished(outcome.first, outcome.second);
    });
    watcher->setFuture(QtConcurrent::run(probe));
}

} // namespace matryx
