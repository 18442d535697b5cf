#pragma once

// The File menu's recent files, kept in QSettings under "recentFiles": newest first, at most
// MaxEntries, each path once. Paths that no longer exist are dropped by removeMissing().

#include <QStringList>

class QSettings;

namespace matryx {

class RecentFiles {
public:
    static constexpr int MaxEntries = 10;

    // Reads and writes `settings`, which must outlive this object.
    explicit RecentFiles(QSettings& settings);

    QStringList paths() const;
    // Puts `path` (made absolute) first, removing an older entry of it and the oldest beyond MaxEntries.
    void add(const QString& path);
    void clear();
    // Removes the entries whose file or folder is gone and returns them.
    QStringList removeMissing();

private:
    void store(const QStringList& paths);

    QSettings& settings_;
};

} // namespace matryx
