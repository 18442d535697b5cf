#pragma once

// The metadata page: a key filter, the table of MetadataTableModel and a detail box that shows
// the selected value unfolded. Ctrl+C copies the selected rows as tab-separated "key, type,
// value" lines with whole values; the context menu copies the value or the key alone.
// Does no I/O; the owner hands over the opened Model.

#include "format/model.h"

#include <QWidget>

#include <memory>

class QLineEdit;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTableView;

namespace matryx {

class MetadataTableModel;

class MetadataView : public QWidget {
    Q_OBJECT
public:
    explicit MetadataView(QWidget* parent = nullptr);

    // Shows the metadata of `model` with its first key selected; nullptr clears it.
    void setModel(std::shared_ptr<const Model> model);

    // The text Ctrl+C puts on the clipboard for the current selection (empty when none).
    QString selectedRowsText() const;
    // The whole value of the current row, or empty.
    QString currentValueText() const;
    // Selects the row of `key`; false if there is none (or the filter hides it).
    bool selectKey(const QString& key);

    QTableView* table() const { return table_; }
    QPlainTextEdit* detail() const { return detail_; }
    QLineEdit* filterEdit() const { return filterEdit_; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void showCurrentValue();
    void showContextMenu(const QPoint& position);

    MetadataTableModel* model_;
    QSortFilterProxyModel* proxy_;
    QLineEdit* filterEdit_;
    QTableView* table_;
    QPlainTextEdit* detail_;
};

} // namespace matryx
