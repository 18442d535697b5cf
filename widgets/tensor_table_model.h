#pragma once

// A flat table of a model's tensors (name, type, shape, size, share of the file) over an
// immutable snapshot. Sorting and filtering belong in a QSortFilterProxyModel on top.

#include "format/model.h"

#include <QAbstractTableModel>

#include <memory>

namespace matryx {

class TensorTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Type, Shape, Bytes, Share, ColumnCount };
    // Raw values for sorting (numbers stay numbers), next to the formatted display text.
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit TensorTableModel(QObject* parent = nullptr);

    // Shows the tensors of `model`; nullptr clears the table.
    void setModel(std::shared_ptr<const Model> model);
    const Model* model() const { return model_.get(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const Model> model_;
    uint64_t totalBytes_ = 0;
};

} // namespace matryx
