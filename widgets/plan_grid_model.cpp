#include "plan_grid_model.h"

#include "quant/tensor_kind.h"

#include <QColor>

#include <algorithm>
#include <map>

namespace matryx {

namespace {

const QStringList kKindOrder = {QStringLiteral("attn_q"),      QStringLiteral("attn_k"),
                                QStringLiteral("attn_v"),      QStringLiteral("attn_qkv"),
                                QStringLiteral("attn_output"), QStringLiteral("ffn_gate"),
                                QStringLiteral("ffn_up"),      QStringLiteral("ffn_down")};

// Cool for few bits, warm for many: the same hue for the same width whatever the type.
QColor bitsColour(double bits) {
    const double t = std::clamp((bits - 2.0) / 14.0, 0.0, 1.0);
    return QColor::fromHsvF(0.66 * (1.0 - t), 0.35, 1.0);
}

} // namespace

PlanGridModel::PlanGridModel(QObject* parent) : QAbstractTableModel(parent) {}

void PlanGridModel::setPlan(std::shared_ptr<const ResolvedPlan> plan) {
    int layers = 0;
    std::map<QString, std::map<int, int>> byKind;
    if (plan) {
        for (size_t i = 0; i < plan->tensors.size(); ++i) {
            const ResolvedTensor& t = plan->tensors[i];
            const TensorKind k = classifyTensor(t.name);
            const bool matrix = std::count_if(t.shape.begin(), t.shape.end(), [](int64_t d) { return d > 1; }) >= 2;
            if (!k.layer || !matrix) continue;
            byKind[QString::fromStdString(k.kind)][*k.layer] = int(i);
            layers = std::max(layers, *k.layer + 1);
        }
    }
    QStringList kinds;
    for (const QString& kind : kKindOrder)
        if (byKind.count(kind)) kinds << kind;
    for (const auto& [kind, entries] : byKind)
        if (!kKindOrder.contains(kind)) kinds << kind;

    const bool reshaped = layers != layers_ || kinds != kinds_;
    if (reshaped) beginResetModel();
    plan_ = std::move(plan);
    layers_ = layers;
    kinds_ = kinds;
    cells_.assign(size_t(layers_) * size_t(kinds_.size()), -1);
    for (int k = 0; k < kinds_.size(); ++k)
        for (const auto& [layer, index] : byKind[kinds_[k]])
            cells_[size_t(layer) * size_t(kinds_.size()) + size_t(k)] = index;
    if (reshaped)
        endResetModel();
    else if (layers_ > 0 && !kinds_.isEmpty())
        emit dataChanged(index(0, 0), index(layers_ - 1, int(kinds_.size()) - 1));
}

int PlanGridModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : layers_; }

int PlanGridModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(kinds_.size()); }

const ResolvedTensor* PlanGridModel::cell(int row, int column) const {
    if (!plan_ || row < 0 || row >= layers_ || column < 0 || column >= kinds_.size()) return nullptr;
    const int i = cells_[size_t(row) * size_t(kinds_.size()) + size_t(column)];
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
    if (orientation == Qt::Horizontal) return section < kinds_.size() ? kinds_[section] : QVariant();
    return section;
}

} // namespace matryx
