#include "model_tree_proxy.h"

#include "model_tree_model.h"
#include "natural_compare.h"

#include <QRegularExpression>

namespace matryx {

ModelTreeProxy::ModelTreeProxy(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(ModelTreeModel::SortRole);
    setRecursiveFilteringEnabled(true);
}

bool ModelTreeProxy::setNameFilter(const QString& text, bool regex) {
    QRegularExpression expression(regex ? text : QRegularExpression::escape(text),
                                  QRegularExpression::CaseInsensitiveOption);
    if (!expression.isValid()) {
        filterError_ = tr("Invalid regular expression at %1: %2")
                           .arg(expression.patternErrorOffset())
                           .arg(expression.errorString());
        return false;
    }
    filterError_.clear();
    setFilterRegularExpression(expression);
    return true;
}

bool ModelTreeProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    if (a.typeId() == QMetaType::QString && b.typeId() == QMetaType::QString)
        return naturalCompare(a.toString(), b.toString()) < 0;
    return QSortFilterProxyModel::lessThan(left, right);
}

bool ModelTreeProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const QRegularExpression& expression = filterRegularExpression();
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const QString tensor = index.data(ModelTreeModel::TensorNameRole).toString();
    if (expression.pattern().isEmpty())
        return true;
    // Group rows never match on their own; recursive filtering shows them for matching tensors.
    return !tensor.isEmpty() && expression.match(tensor).hasMatch();
}

} // namespace matryx
