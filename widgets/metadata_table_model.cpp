#include "metadata_table_model.h"

namespace matryx {

namespace {

QString fromView(std::string_view text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

// Digits in groups of three separated by spaces, as in "151 936": readable in every language.
QString groupedCount(qsizetype n) {
    QString digits = QString::number(n);
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, QLatin1Char(' '));
    return digits;
}

QString itemKindName(MetaType type, qsizetype count) {
    const bool one = count == 1;
    switch (type) {
    case MetaType::String: return one ? MetadataTableModel::tr("string") : MetadataTableModel::tr("strings");
    case MetaType::Array: return one ? MetadataTableModel::tr("array") : MetadataTableModel::tr("arrays");
    case MetaType::Bool: return one ? MetadataTableModel::tr("boolean") : MetadataTableModel::tr("booleans");
    case MetaType::F32:
    case MetaType::F64: return one ? MetadataTableModel::tr("float") : MetadataTableModel::tr("floats");
    default: return one ? MetadataTableModel::tr("integer") : MetadataTableModel::tr("integers");
    }
}

QString itemText(const MetaValue& item) { return QString::fromStdString(item.display(4)); }

} // namespace

MetadataTableModel::MetadataTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void MetadataTableModel::setModel(std::shared_ptr<const Model> model) {
    beginResetModel();
    model_ = std::move(model);
    endResetModel();
}

QString MetadataTableModel::typeText(const MetaValue& value) {
    if (value.isArray())
        return QStringLiteral("ARRAY[%1]").arg(fromView(metaTypeName(value.arrayType())));
    return fromView(metaTypeName(value.type()));
}

QString MetadataTableModel::foldedValue(const MetaValue& value, int items) {
    if (value.isString()) {
        const QString text = QString::fromStdString(*value.toString());
        const qsizetype lineEnd = text.indexOf(QLatin1Char('\n'));
        QString line = lineEnd < 0 ? text : text.left(lineEnd);
        const bool folded = lineEnd >= 0 || line.size() > 160;
        line.truncate(160);
        return folded ? line + QStringLiteral(" …") : line;
    }
    if (!value.isArray())
        return QString::fromStdString(value.display());
    const auto& list = value.items();
    const auto count = static_cast<qsizetype>(list.size());
    QStringList shown;
    for (qsizetype i = 0; i < count && i < items; ++i)
        shown << itemText(list[static_cast<size_t>(i)]);
    if (count > items)
        shown << QStringLiteral("…");
    return QStringLiteral("[%1 %2] %3")
        .arg(groupedCount(count), itemKindName(value.arrayType(), count), shown.join(QStringLiteral(", ")));
}

QString MetadataTableModel::fullValue(const MetaValue& value, qsizetype maxItems) {
    if (value.isString())
        return QString::fromStdString(*value.toString());
    if (!value.isArray())
        return QString::fromStdString(value.display());
    const auto& list = value.items();
    const auto count = static_cast<qsizetype>(list.size());
    const qsizetype shown = maxItems < 0 ? count : qMin(count, maxItems);
    QStringList items;
    items.reserve(shown);
    for (qsizetype i = 0; i < shown; ++i)
        items << itemText(list[static_cast<size_t>(i)]);
    QString text = QLatin1Char('[') + items.join(QStringLiteral(", ")) + QLatin1Char(']');
    if (shown < count)
        text += QLatin1Char('\n') + tr("… %1 more items").arg(groupedCount(count - shown));
    return text;
}

int MetadataTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !model_ ? 0 : static_cast<int>(model_->metadata.size());
}

int MetadataTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant MetadataTableModel::data(const QModelIndex& index, int role) const {
    if (!model_ || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto& [key, value] = model_->metadata.entries()[static_cast<size_t>(index.row())];
    if (role == ValueTextRole)
        return fullValue(value);
    if (role == DetailTextRole)
        return fullValue(value, 2000);
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Key: return QString::fromStdString(key);
        case Type: return typeText(value);
        case Value: return foldedValue(value);
        }
    } else if (role == Qt::ToolTipRole && index.column() == Value) {
        // Enough to read the start of a long value without the detail box.
        QString text = fullValue(value, 40);
        if (text.size() > 2000)
            text = text.left(2000) + QStringLiteral(" …");
        return text;
    }
    return {};
}

QVariant MetadataTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Key: return tr("Key");
    case Type: return tr("Type");
    case Value: return tr("Value");
    }
    return {};
}

} // namespace matryx
