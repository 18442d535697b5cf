#pragma once

// The values of largest magnitude of one tensor, largest first: rank, row, column, value and
// how many standard deviations the value lies from the mean. Over an immutable copy of the list.

#include "tensor/tensor_stats.h"

#include <QAbstractTableModel>

#include <vector>

namespace matryx {

class OutlierTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Rank, Row, ColumnIndex, Value, Sigma, ColumnCount };
    // Raw values for sorting, next to the formatted display text.
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit OutlierTableModel(QObject* parent = nullptr);

    // Shows `outliers`; mean and std turn values into distances in standard deviations
    // (no such column text when std is 0 or NaN).
    void setOutliers(std::vector<OutlierValue> outliers, double mean, double std);
    void clear();
    // The outlier of a row; the caller checks 0 <= row < rowCount().
    const OutlierValue& outlier(int row) const { return outliers_[static_cast<size_t>(row)]; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<OutlierValue> outliers_;
    double mean_ = 0;
    double std_ = 0;
};

} // namespace matryx
