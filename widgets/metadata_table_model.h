#pragma once

// A model's metadata as a table of key, type and value over an immutable snapshot. Long values
// are folded for display: arrays show their length and first items ("[151 936 strings] "a", "b",
// …"), strings their first line; ValueTextRole holds the whole value as text for copying and
// for a detail box.

#include "format/model.h"

#include <QAbstractTableModel>

#include <memory>

namespace matryx {

class MetadataTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Key, Type, Value, ColumnCount };
    // The whole value as text: strings as they are, arrays as "[item, item, ...]" with every item.
    static constexpr int ValueTextRole = Qt::UserRole + 1;
    // The value as the detail box shows it: like ValueTextRole, but arrays stop after 2000 items.
    static constexpr int DetailTextRole = Qt::UserRole + 2;

    explicit MetadataTableModel(QObject* parent = nullptr);

    // Shows the metadata of `model`; nullptr clears the table.
    void setModel(std::shared_ptr<const Model> model);

    // The folded rendering used in the Value column; `items` is how many array items to show.
    static QString foldedValue(const MetaValue& value, int items = 6);
    // The whole value; arrays stop after `maxItems` items with a note of how many were left out.
    static QString fullValue(const MetaValue& value, qsizetype maxItems = -1);
    // "UINT32", "STRING", "ARRAY[STRING]", ...
    static QString typeText(const MetaValue& value);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const Model> model_;
};

} // namespace matryx
