#pragma once

// Sorting and filtering over ModelTreeModel: names in natural order (blk.2 before blk.10),
// numbers by value; the filter matches tensor names only, by substring or regular expression,
// case-insensitively, and a group stays visible while one of its tensors matches.

#include <QSortFilterProxyModel>

namespace matryx {

class ModelTreeProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ModelTreeProxy(QObject* parent = nullptr);

    // Filters by `text`: a plain substring, or a regular expression when `regex` is true.
    // Returns false (and keeps the previous filter) when the expression is invalid; then
    // filterError() says why. An empty text shows everything.
    bool setNameFilter(const QString& text, bool regex);
    QString filterError() const { return filterError_; }

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString filterError_;
};

} // namespace matryx
