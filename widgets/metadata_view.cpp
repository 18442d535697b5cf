#include "metadata_view.h"

#include "metadata_table_model.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace matryx {

namespace {


} // namespace

MetadataView::MetadataView(QWidget* parent)
    : QWidget(parent), model_(new MetadataTableModel(this)), proxy_(new QSortFilterProxyModel(this)),
      filterEdit_(new QLineEdit), table_(new QTableView), detail_(new QPlainTextEdit) {
    proxy_->setSourceModel(model_);
    proxy_->setFilterKeyColumn(MetadataTableModel::Key);
    proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);

    filterEdit_->setPlaceholderText(tr("Filter keys, e.g. tokenizer or context_length"));
    filterEdit_->setClearButtonEnabled(true);
    connect(filterEdit_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);

    table_->setModel(proxy_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->setTextElideMode(Qt::ElideRight);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    table_->horizontalHeader()->setSectionResizeMode(MetadataTableModel::Key, QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(MetadataTableModel::Type, QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(MetadataTableModel::Value, QHeaderView::Stretch);
    table_->setContextMenuPolicy(Qt::CustomContextMenu);
    table_->installEventFilter(this);
    connect(table_, &QWidget::customContextMenuRequested, this, &MetadataView::showContextMenu);
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MetadataView::showCurrentValue);

    detail_->setReadOnly(true);
    detail_->setPlaceholderText(tr("Select a key to see its whole value."));
    detail_->setLineWrapMode(QPlainTextEdit::WidgetWidth);

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(table_);
    split->addWidget(detail_);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(filterEdit_);
    layout->addWidget(split, 1);
}

void MetadataView::setModel(std::shared_ptr<const Model> model) {
    model_->setModel(std::move(model));
    detail_->clear();
    // The first row starts selected so that the detail box and Ctrl+C have something to work on.
    if (proxy_->rowCount() > 0)
        table_->selectionModel()->setCurrentIndex(proxy_->index(0, 0),
                                                  QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

bool MetadataView::selectKey(const QString& key) {
    for (int row = 0; row < proxy_->rowCount(); ++row) {
        const QModelIndex index = proxy_->index(row, MetadataTableModel::Key);
        if (index.data().toString() == key) {
            table_->selectionModel()->setCurrentIndex(index,
                                                      QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            table_->scrollTo(index);
            return true;
        }
    }
    return false;
}

QString MetadataView::selectedRowsText() const {
    QModelIndexList rows = table_->selectionModel()->selectedRows(MetadataTableModel::Key);
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    QStringList lines;
    for (const QModelIndex& key : rows)
        lines << QStringList{key.data().toString(), key.siblingAtColumn(MetadataTableModel::Type).data().toString(),
                             key.data(MetadataTableModel::ValueTextRole).toString()}
                     .join(QLatin1Char('\t'));
    return lines.join(QLatin1Char('\n'));
}

QString MetadataView::currentValueText() const {
    const QModelIndex current = table_->selectionModel()->currentIndex();
    return current.isValid() ? current.data(MetadataTableModel::ValueTextRole).toString() : QString();
}

void MetadataView::showCurrentValue() {
    const QModelIndex current = table_->selectionModel()->currentIndex();
    if (!current.isValid()) {
        detail_->clear();
        return;
    }
    // The box stops after DetailItems array items (a vocabulary has 150 000); Copy takes them all.
    const QString key = current.siblingAtColumn(MetadataTableModel::Key).data().toString();
    detail_->setPlainText(key + QStringLiteral(" = ") + current.data(MetadataTableModel::DetailTextRole).toString());
}

bool MetadataView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == table_ && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent*>(event)->matches(QKeySequence::Copy)) {
        QApplication::clipboard()->setText(selectedRowsText());
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void MetadataView::showContextMenu(const QPoint& position) {
    const QModelIndex index = table_->indexAt(position);
    if (!index.isValid())
        return;
    QMenu menu(this);
    const QString value = index.data(MetadataTableModel::ValueTextRole).toString();
    const QString key = index.siblingAtColumn(MetadataTableModel::Key).data().toString();
    menu.addAction(tr("Copy value"), this, [value] { QApplication::clipboard()->setText(value); });
    menu.addAction(tr("Copy key"), this, [key] { QApplication::clipboard()->setText(key); });
    menu.addAction(tr("Copy selected rows"), this, [this] { QApplication::clipboard()->setText(selectedRowsText()); });
    menu.exec(table_->viewport()->mapToGlobal(position));
}

} // namespace matryx
