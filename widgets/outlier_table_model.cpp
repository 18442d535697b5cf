#include "outlier_table_model.h"

#include <QLocale>

#include <cmath>

namespace matryx {

OutlierTableModel::OutlierTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void OutlierTableModel::setOutliers(std::vector<OutlierValue> outliers, double mean, double std) {
    beginResetModel();
    outliers_ = std::move(outliers);
    mean_ = mean;
    std_ = std;
    endResetModel();
}

void OutlierTableModel::clear() {
    setOutliers({}, 0, 0);
}

int OutlierTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(outliers_.size());
}

int OutlierTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant OutlierTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const OutlierValue& o = outliers_[static_cast<size_t>(index.row())];
    const bool hasSigma = std_ > 0 && std::isfinite(std_);
    const double sigma = hasSigma ? std::abs(o.value - mean_) / std_ : 0;
    if (role == SortRole) {
        switch (index.column()) {
        case Rank:
            return index.row() + 1;
        case Row:
            return static_cast<qulonglong>(o.row);
        case ColumnIndex:
            return static_cast<qulonglong>(o.column);
        case Value:
            return static_cast<double>(o.value);
        case Sigma:
            return hasSigma ? QVariant(sigma) : QVariant();
        default:
            return {};
        }
    }
    if (role == Qt::DisplayRole) {
        const QLocale locale;
        switch (index.column()) {
        case Rank:
            return locale.toString(index.row() + 1);
        case Row:
            return locale.toString(static_cast<qulonglong>(o.row));
        case ColumnIndex:
            return locale.toString(static_cast<qulonglong>(o.column));
        case Value:
            return locale.toString(static_cast<double>(o.value), 'g', 6);
        case Sigma:
            return hasSigma ? locale.toString(sigma, 'f', 1) : QString();
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole) return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant OutlierTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == Sigma)
        return tr("Distance from the mean in standard deviations: |x − mean| / std");
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Rank:
        return tr("#");
    case Row:
        return tr("Row");
    case ColumnIndex:
        return tr("Column");
    case Value:
        return tr("Value");
    case Sigma:
        return tr("σ");
    default:
        return {};
    }
}

} // namespace matryx
