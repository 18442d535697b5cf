#include "model_tree_model.h"

#include "base/units.h"

#include <QRegularExpression>

#include <map>
#include <set>
#include <utility>

namespace matryx {

namespace {

// Tensor rows carry their group's row + 1 as internal id; group rows carry 0.
constexpr quintptr GroupId = 0;

QString typeText(TensorType type) {
    const std::string_view name = typeName(type);
    return QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()));
}

QString shapeText(const TensorInfo& t) {
    QStringList dims;
    for (const int64_t d : t.shape)
        dims << QString::number(d);
    return dims.isEmpty() ? ModelTreeModel::tr("scalar") : dims.join(QStringLiteral(" × "));
}

} // namespace

ModelTreeModel::ModelTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

void ModelTreeModel::setModel(std::shared_ptr<const Model> model) {
    beginResetModel();
    model_ = std::move(model);
    groups_.clear();
    totalBytes_ = model_ ? model_->tensorBytes() : 0;
    if (model_) {
        static const QRegularExpression layerName(QStringLiteral("^(enc\\.|dec\\.)?blk\\.(\\d{1,9})\\."));
        std::map<std::pair<int, int>, size_t> byKey; // (kind, layer) -> group
        for (size_t i = 0; i < model_->tensors.size(); ++i) {
            const QString name = QString::fromStdString(model_->tensors[i].name);
            Group::Kind kind = Group::Other;
            int layer = -1;
            if (const auto m = layerName.match(name); m.hasMatch()) {
                kind = m.captured(1).isEmpty()                    ? Group::Layer
                       : m.captured(1) == QStringLiteral("enc.") ? Group::EncoderLayer
                                                                  : Group::DecoderLayer;
                layer = m.captured(2).toInt();
            } else if (name.startsWith(QStringLiteral("token_embd")) || name.startsWith(QStringLiteral("token_types")) ||
                       name.startsWith(QStringLiteral("position_embd"))) {
                kind = Group::Embeddings;
            } else if (name.startsWith(QStringLiteral("output.")) || name.startsWith(QStringLiteral("output_norm."))) {
                kind = Group::Output;
            }
            auto [it, added] = byKey.try_emplace({kind, layer}, groups_.size());
            if (added)
                groups_.push_back({kind, layer, {}, 0, 0});
            Group& group = groups_[it->second];
            group.tensors.push_back(static_cast<int>(i));
            group.bytes += model_->tensors[i].bytes;
            group.elements += model_->tensors[i].elements();
        }
    }
    endResetModel();
}

QModelIndex ModelTreeModel::indexOfTensor(const QString& name) const {
    if (!model_)
        return {};
    const std::string wanted = name.toStdString();
    for (size_t g = 0; g < groups_.size(); ++g)
        for (size_t r = 0; r < groups_[g].tensors.size(); ++r)
            if (model_->tensors[static_cast<size_t>(groups_[g].tensors[r])].name == wanted)
                return createIndex(static_cast<int>(r), 0, static_cast<quintptr>(g + 1));
    return {};
}

QModelIndex ModelTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, GroupId);
    return createIndex(row, column, static_cast<quintptr>(parent.row()) + 1);
}

QModelIndex ModelTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || child.internalId() == GroupId)
        return {};
    return createIndex(static_cast<int>(child.internalId() - 1), 0, GroupId);
}

int ModelTreeModel::rowCount(const QModelIndex& parent) const {
    if (!parent.isValid())
        return static_cast<int>(groups_.size());
    if (parent.column() != 0 || parent.internalId() != GroupId)
        return 0;
    return static_cast<int>(groups_[static_cast<size_t>(parent.row())].tensors.size());
}

int ModelTreeModel::columnCount(const QModelIndex&) const { return ColumnCount; }

double ModelTreeModel::share(uint64_t bytes) const {
    return totalBytes_ ? 100.0 * static_cast<double>(bytes) / static_cast<double>(totalBytes_) : 0.0;
}

QString ModelTreeModel::groupName(const Group& group) const {
    switch (group.kind) {
    case Group::Embeddings: return tr("Embeddings");
    case Group::Layer: return tr("Layer %1").arg(group.layer);
    case Group::EncoderLayer: return tr("Encoder layer %1").arg(group.layer);
    case Group::DecoderLayer: return tr("Decoder layer %1").arg(group.layer);
    case Group::Output: return tr("Output");
    case Group::Other: break;
    }
    return tr("Other");
}

QVariant ModelTreeModel::groupData(const Group& group, int column, int role) const {
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Name: return groupName(group);
        case Type: {
            std::set<TensorType> types;
            for (const int t : group.tensors)
                types.insert(model_->tensors[static_cast<size_t>(t)].type);
            QStringList names;
            for (const TensorType type : types)
                names << typeText(type);
            return names.join(QStringLiteral(", "));
        }
        case Shape:
            return group.tensors.size() == 1 ? tr("1 tensor") : tr("%1 tensors").arg(group.tensors.size());
        case Bytes: return QString::fromStdString(formatBytes(group.bytes));
        case Share: return QString::number(share(group.bytes), 'f', 2) + QLatin1Char('%');
        }
    } else if (role == SortRole) {
        switch (column) {
        case Name:
            // Natural order on "<rank> <layer>" keeps layers numeric and embeddings first.
            return QStringLiteral("%1 %2").arg(static_cast<int>(group.kind)).arg(group.layer);
        case Type: return QString();
        case Shape: return static_cast<qulonglong>(group.elements);
        case Bytes: return static_cast<qulonglong>(group.bytes);
        case Share: return share(group.bytes);
        }
    } else if (role == Qt::ToolTipRole && column == Shape) {
        return tr("%1 parameters").arg(QString::fromStdString(formatCount(group.elements)));
    }
    return {};
}

QVariant ModelTreeModel::tensorData(const TensorInfo& t, int column, int role) const {
    if (role == TensorNameRole)
        return QString::fromStdString(t.name);
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Name: return QString::fromStdString(t.name);
        case Type: return typeText(t.type);
        case Shape: return shapeText(t);
        case Bytes: return QString::fromStdString(formatBytes(t.bytes));
        case Share: return QString::number(share(t.bytes), 'f', 2) + QLatin1Char('%');
        }
    } else if (role == SortRole) {
        switch (column) {
        case Name: return QString::fromStdString(t.name);
        case Type: return typeText(t.type);
        case Shape: return static_cast<qulonglong>(t.elements());
        case Bytes: return static_cast<qulonglong>(t.bytes);
        case Share: return share(t.bytes);
        }
    } else if (role == Qt::ToolTipRole) {
        if (column == Bytes)
            return tr("%1 bytes at offset %2").arg(t.bytes).arg(t.offset);
        if (column == Shape)
            return tr("%1 elements").arg(QString::fromStdString(formatCount(t.elements())));
        if (column == Name)
            return QString::fromStdString(t.name);
    }
    return {};
}

QVariant ModelTreeModel::data(const QModelIndex& index, int role) const {
    if (!model_ || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (role == Qt::TextAlignmentRole && (index.column() == Bytes || index.column() == Share))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (index.internalId() == GroupId) {
        if (role == TensorNameRole)
            return QString();
        return groupData(groups_[static_cast<size_t>(index.row())], index.column(), role);
    }
    const Group& group = groups_[static_cast<size_t>(index.internalId() - 1)];
    const TensorInfo& t = model_->tensors[static_cast<size_t>(group.tensors[static_cast<size_t>(index.row())])];
    return tensorData(t, index.column(), role);
}

QVariant ModelTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
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
