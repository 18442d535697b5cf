#include "tensor_table_model.h"

#include "base/units.h"

namespace matryx {

TensorTableModel::TensorTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void TensorTableModel::setModel(std::shared_ptr<const Model> model) {
    beginResetModel();
    model_ = std::move(model);
    totalBytes_ = model_ ? model_->tensorBytes() : 0;
    endResetModel();
}

int TensorTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !model_ ? 0 : static_cast<int>(model_->tensors.size());
}

int TensorTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

namespace {

QString shapeText(const TensorInfo& t) {
    QStringList dims;
    for (const int64_t d : t.shape)
        dims << QString::number(d);
    return dims.isEmpty() ? QStringLiteral("scalar") : dims.join(QStringLiteral(" × "));
}

} // namespace

QVariant TensorTableModel::data(const QModelIndex& index, int role) const {
    if (!model_ || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TensorInfo& t = model_->tensors[static_cast<size_t>(index.row())];
    const double share = totalBytes_ ? 100.0 * static_cast<double>(t.bytes) / static_cast<double>(totalBytes_) : 0.0;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Name: return QString::fromStdString(t.name);
        case Type: return QString::fromUtf8(typeName(t.type).data(), static_cast<qsizetype>(typeName(t.type).size()));
        case Shape: return shapeText(t);
        case Bytes: return QString::fromStdString(formatBytes(t.bytes));
        case Share: return QString::number(share, 'f', 2) + QLatin1Char('%');
        }
    } else if (role == SortRole) {
        switch (index.column()) {
        case Name: return QString::fromStdString(t.name);
        case Type: return static_cast<uint>(t.type);
        case Shape: return static_cast<qulonglong>(t.elements());
        case Bytes: return static_cast<qulonglong>(t.bytes);
        case Share: return share;
        }
    } else if (role == Qt::TextAlignmentRole && (index.column() == Bytes || index.column() == Share)) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    } else if (role == Qt::ToolTipRole && index.column() == Bytes) {
        return tr("%1 bytes at offset %2").arg(t.bytes).arg(t.offset);
    }
    return {};
}

QVariant TensorTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Tensor");
    case Type: return tr("Type");
    case Shape: return tr("Shape");
    case Bytes: return tr("Size");
    case Share: return tr("Share");
    }
    return {};
}

} // namespace matryx
