#pragma once

// The log panel: time, level and text of each message, newest last, with a level to show from.
// Keeps the last MaxEntries messages. Does no I/O; the owner appends what core/base/log.h and
// the application report.

#include "base/log.h"

#include <QWidget>

class QComboBox;
class QTreeWidget;

namespace matryx {

class LogView : public QWidget {
    Q_OBJECT
public:
    static constexpr int MaxEntries = 2000;

    explicit LogView(QWidget* parent = nullptr);

    void append(LogLevel level, const QString& message);
    void clear();
    // Messages held (shown or hidden by the level filter).
    int entryCount() const;
    // The text of message `row` (0 = oldest held).
    QString entryText(int row) const;
    // Hides messages below `minimum`.
    void setMinimumLevel(LogLevel minimum);

    static QString levelText(LogLevel level);

signals:
    // A warning or error arrived, so the owner can bring the panel to the user's attention.
    void problemLogged(const QString& message);

private:
    void applyLevel();

    QComboBox* level_;
    QTreeWidget* list_;
};

} // namespace matryx
