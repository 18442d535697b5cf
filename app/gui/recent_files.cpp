#include "gui/recent_files.h"

#include <QFileInfo>
#include <QSettings>

namespace matryx {

namespace {

const QString Key = QStringLiteral("recentFiles");

} // namespace

RecentFiles::RecentFiles(QSettings& settings) : settings_(settings) {}

QStringList RecentFiles::paths() const { return settings_.value(Key).toStringList(); }

void RecentFiles::store(const QStringList& paths) {
    settings_.setValue(Key, paths);
    settings_.sync();
}

void RecentFiles::add(const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = paths();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > MaxEntries)
        list.removeLast();
    store(list);
}

void RecentFiles::clear() { store({}); }

QStringList RecentFiles::removeMissing() {
    QStringList kept, missing;
    for (const QString& path : paths())
        (QFileInfo::exists(path) ? kept : missing) << path;
    if (!missing.isEmpty())
        store(kept);
    return missing;
}

} // namespace matryx
