#pragma once

// The Mix'n'Match grid: layers (rows) by tensor kinds (columns), each cell the type a resolved
// plan gives that layer's tensor of that kind, coloured by its bits per weight; the tooltip says
// why (preset, rule, override, fallback). An immutable snapshot of a ResolvedPlan; the editor
// sets a new one after each edit.

#include "layer_grid.h"
#include "quant/plan.h"

#include <QAbstractTableModel>
#include <QStringList>

#include <memory>
#include <vector>

namespace matryx {

class PlanGridModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit PlanGridModel(QObject* parent = nullptr);

    // Lays out the tensors of `plan` (null clears); the grid's shape changes only when the
    // model's layers or kinds do.
    void setPlan(std::shared_ptr<const ResolvedPlan> plan);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The tensor in a cell; empty for a blank cell.
    QString tensorAt(const QModelIndex& index) const;
    const QStringList& kinds() const { return grid_.kinds; }

private:
    const ResolvedTensor* cell(int row, int column) const;

    std::shared_ptr<const ResolvedPlan> plan_;
    LayerGrid grid_; // cells index plan_->tensors
};

} // namespace matryx
