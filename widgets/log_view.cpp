#include "log_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTime>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace matryx {

namespace {

constexpr int LevelRole = Qt::UserRole + 1;

} // namespace

LogView::LogView(QWidget* parent) : QWidget(parent), level_(new QComboBox), list_(new QTreeWidget) {
    for (const LogLevel level : {LogLevel::Debug, LogLevel::Info, LogLevel::Warning, LogLevel::Error})
        level_->addItem(levelText(level), static_cast<int>(level));
    level_->setCurrentIndex(static_cast<int>(LogLevel::Info));
    connect(level_, &QComboBox::currentIndexChanged, this, &LogView::applyLevel);

    list_->setColumnCount(3);
    list_->setHeaderLabels({tr("Time"), tr("Level"), tr("Message")});
    list_->setRootIsDecorated(false);
    list_->setUniformRowHeights(true);
    list_->setAlternatingRowColors(true);
    list_->setWordWrap(false);
    list_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    list_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    list_->header()->setStretchLastSection(true);

    auto* clearButton = new QPushButton(tr("Clear"));
    connect(clearButton, &QPushButton::clicked, this, &LogView::clear);

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Show from:")));
    bar->addWidget(level_);
    bar->addStretch(1);
    bar->addWidget(clearButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(list_, 1);
}

QString LogView::levelText(LogLevel level) {
    switch (level) {
    case LogLevel::Debug: return tr("Debug");
    case LogLevel::Info: return tr("Info");
    case LogLevel::Warning: return tr("Warning");
    case LogLevel::Error: return tr("Error");
    }
    return {};
}

void LogView::append(LogLevel level, const QString& message) {
    while (list_->topLevelItemCount() >= MaxEntries)
        delete list_->takeTopLevelItem(0);
    auto* item = new QTreeWidgetItem(
        {QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), levelText(level), message});
    item->setData(0, LevelRole, static_cast<int>(level));
    item->setToolTip(2, message);
    if (level >= LogLevel::Warning)
        item->setForeground(1, level == LogLevel::Error ? QColor(0xb0, 0x00, 0x20) : QColor(0xa0, 0x60, 0x00));
    list_->addTopLevelItem(item);
    item->setHidden(static_cast<int>(level) < level_->currentData().toInt());
    if (!item->isHidden())
        list_->scrollToItem(item);
    if (level >= LogLevel::Warning)
        emit problemLogged(message);
}

void LogView::clear() { list_->clear(); }

int LogView::entryCount() const { return list_->topLevelItemCount(); }

QString LogView::entryText(int row) const {
    const QTreeWidgetItem* item = list_->topLevelItem(row);
    return item ? item->text(2) : QString();
}

void LogView::setMinimumLevel(LogLevel minimum) { level_->setCurrentIndex(static_cast<int>(minimum)); }

void LogView::applyLevel() {
    const int minimum = level_->currentData().toInt();
    for (int row = 0; row < list_->topLevelItemCount(); ++row) {
        QTreeWidgetItem* item = list_->topLevelItem(row);
        item->setHidden(item->data(0, LevelRole).toInt() < minimum);
    }
}

} // namespace matryx
