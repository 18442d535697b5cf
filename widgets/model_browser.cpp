#include "model_browser.h"

#include "model_tree_model.h"
#include "model_tree_proxy.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QTreeView>
#include <QVBoxLayout>

namespace matryx {

ModelBrowser::ModelBrowser(QWidget* parent)
    : QWidget(parent), model_(new ModelTreeModel(this)), proxy_(new ModelTreeProxy(this)),
      filterEdit_(new QLineEdit), regexBox_(new QCheckBox(tr("Regex"))), view_(new QTreeView), count_(new QLabel) {
    proxy_->setSourceModel(model_);

    filterEdit_->setPlaceholderText(tr("Filter tensors, e.g. blk.0. or attn_q"));
    filterEdit_->setClearButtonEnabled(true);
    regexBox_->setToolTip(tr("Read the filter as a regular expression, e.g. blk\\.(1|2)\\..*ffn"));
    connect(filterEdit_, &QLineEdit::textChanged, this, &ModelBrowser::applyFilter);
    connect(regexBox_, &QCheckBox::toggled, this, &ModelBrowser::applyFilter);

    view_->setModel(proxy_);
    view_->setSortingEnabled(true);
    view_->sortByColumn(ModelTreeModel::Name, Qt::AscendingOrder);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setAlternatingRowColors(true);
    view_->setUniformRowHeights(true);
    view_->header()->setStretchLastSection(false);
    view_->header()->setSectionResizeMode(ModelTreeModel::Name, QHeaderView::Stretch);
    for (int column = ModelTreeModel::Type; column < ModelTreeModel::ColumnCount; ++column)
        view_->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    connect(view_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        const QString name = current.data(ModelTreeModel::TensorNameRole).toString();
        if (!name.isEmpty())
            emit tensorSelected(name);
    });
    connect(proxy_, &QAbstractItemModel::rowsInserted, this, &ModelBrowser::updateCount);
    connect(proxy_, &QAbstractItemModel::rowsRemoved, this, &ModelBrowser::updateCount);
    connect(proxy_, &QAbstractItemModel::modelReset, this, &ModelBrowser::updateCount);
    connect(proxy_, &QAbstractItemModel::layoutChanged, this, &ModelBrowser::updateCount);

    auto* filterRow = new QHBoxLayout;
    filterRow->addWidget(filterEdit_, 1);
    filterRow->addWidget(regexBox_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filterRow);
    layout->addWidget(view_, 1);
    layout->addWidget(count_);
    updateCount();
}

void ModelBrowser::setModel(std::shared_ptr<const Model> model) {
    model_->setModel(std::move(model));
    applyFilter();
}

void ModelBrowser::applyFilter() {
    if (proxy_->setNameFilter(filterEdit_->text(), regexBox_->isChecked())) {
        filterEdit_->setStyleSheet(QString());
        filterEdit_->setToolTip(QString());
    } else {
        filterEdit_->setStyleSheet(QStringLiteral("QLineEdit { color: #b00020; }"));
        filterEdit_->setToolTip(proxy_->filterError());
    }
    // A filtered tree is only useful open: the matches sit inside their groups.
    if (!filterEdit_->text().isEmpty())
        view_->expandAll();
    updateCount();
}

void ModelBrowser::updateCount() {
    const int total = model_->tensorCount();
    if (!proxy_->filterError().isEmpty())
        count_->setText(proxy_->filterError());
    else if (filterEdit_->text().isEmpty())
        count_->setText(total == 1 ? tr("1 tensor") : tr("%1 tensors").arg(total));
    else
        count_->setText(tr("%1 of %2 tensors shown").arg(visibleTensorCount()).arg(total));
}

int ModelBrowser::visibleTensorCount() const {
    int visible = 0;
    for (int group = 0; group < proxy_->rowCount(); ++group)
        visible += proxy_->rowCount(proxy_->index(group, 0));
    return visible;
}

void ModelBrowser::expandGroups(int groups) {
    const int count = groups < 0 ? proxy_->rowCount() : qMin(groups, proxy_->rowCount());
    for (int group = 0; group < count; ++group)
        view_->expand(proxy_->index(group, 0));
}

bool ModelBrowser::selectTensor(const QString& name) {
    const QModelIndex index = proxy_->mapFromSource(model_->indexOfTensor(name));
    if (!index.isValid())
        return false;
    view_->expand(index.parent());
    view_->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    view_->scrollTo(index, QAbstractItemView::PositionAtCenter);
    return true;
}

QString ModelBrowser::selectedTensor() const {
    return view_->selectionModel()->currentIndex().data(ModelTreeModel::TensorNameRole).toString();
}

} // namespace matryx
