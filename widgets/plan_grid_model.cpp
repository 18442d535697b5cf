#include "plan_grid_model.h"


#include <QColor>

#include <algorithm>

namespace matryx {

namespace {

// Cool for few bits, warm for many: the same hue for the same width whatever the type.
QColor bitsColour(double bits) {
    const double t = std::clamp((bits - 2.0) / 14.0, 0.0, 1.0);
    return QColor::fromHsvF(0.66 * (1.0 - t), 0.35, 1.0);
}

} // namespace

PlanGridModel::PlanGridModel(QObject* parent) : QAbstractTableModel(parent) {}

void PlanGridModel::setPlan(std::shared_ptr<const ResolvedPlan> plan) {
    LayerGrid grid = plan ? LayerGrid::of(plan->tensors) : LayerGrid{};
    const bool reshaped = grid.layers != grid_.layers || grid.kinds != grid_.kinds;
    if (reshaped) beginResetModel();
    plan_ = std::move(plan);
    grid_ = std::move(grid);
    if (reshaped)
        endResetModel();
    else if (grid_.layers > 0 && !grid_.kinds.isEmpty())
        emit dataChanged(index(0, 0), index(grid_.layers - 1, int(grid_.kinds.size()) - 1));
}

int PlanGridModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : grid_.layers; }

int PlanGridModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(grid_.kinds.size());
}

const ResolvedTensor* PlanGridModel::cell(int row, int column) const {
    const int i = plan_ ? grid_.at(row, column) : -1;
    return i < 0 ? nullptr : &plan_->tensors[size_t(i)];
}

QString PlanGridModel::tensorAt(const QModelIndex& index) const {
    const ResolvedTensor* t = cell(index.row(), index.column());
    return t ? QString::fromStdString(t->name) : QString();
}

QVariant PlanGridModel::data(const QModelIndex& index, int role) const {
    const ResolvedTensor* t = cell(index.row(), index.column());
    if (!t) return {};
    switch (role) {
    case Qt::DisplayRole: return QString::fromLatin1(typeName(t->target).data(), qsizetype(typeName(t->target).size()));
    case Qt::ToolTipRole:
        return tr("%1: %2\n%3").arg(QString::fromStdString(t->name),
                                   QString::fromLatin1(typeName(t->target).data(), qsizetype(typeName(t->target).size())),
                                   QString::fromStdString(t->why));
    case Qt::BackgroundRole:
        return t->elements ? bitsColour(8.0 * double(t->bytes) / double(t->elements)) : QVariant();
    case Qt::TextAlignmentRole: return int(Qt::AlignCenter);
    default: return {};
    }
}

QVariant PlanGridModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole) return {};
    if (orientation == Qt::Horizontal) return section < grid_.kinds.size() ? grid_.kinds[section] : QVariant();
    return section;
}

} // namespace matryx
