#include "gui/main_window.h"

#include "gui/model_open_job.h"
#include "gui/tensor_stats_job.h"
#include "model_summary_label.h"
#include "tensor_inspector.h"
#include "tensor_table_model.h"

#include <QAction>
#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QItemSelectionModel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace matryx {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), openJob_(new ModelOpenJob(this)), tensorModel_(new TensorTableModel(this)),
      tensorProxy_(new QSortFilterProxyModel(this)), tensorView_(new QTableView), filterEdit_(new QLineEdit),
      summary_(new ModelSummaryLabel), busy_(new QLabel), statsJob_(new TensorStatsJob(this)),
      inspector_(new TensorInspector), pages_(new QTabWidget) {
    setWindowTitle(tr("Matryx"));
    setAcceptDrops(true);

    tensorProxy_->setSourceModel(tensorModel_);
    tensorProxy_->setSortRole(TensorTableModel::SortRole);
    tensorProxy_->setFilterKeyColumn(TensorTableModel::Name);
    tensorProxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);

    tensorView_->setModel(tensorProxy_);
    tensorView_->setSortingEnabled(true);
    tensorView_->sortByColumn(-1, Qt::AscendingOrder); // file order until the user sorts
    tensorView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    tensorView_->setSelectionMode(QAbstractItemView::SingleSelection);
    tensorView_->setAlternatingRowColors(true);
    tensorView_->verticalHeader()->hide();
    tensorView_->verticalHeader()->setDefaultSectionSize(tensorView_->fontMetrics().height() + 6);
    tensorView_->horizontalHeader()->setSectionResizeMode(TensorTableModel::Name, QHeaderView::Stretch);

    filterEdit_->setPlaceholderText(tr("Filter tensors by name, e.g. blk.0. or attn_q"));
    filterEdit_->setClearButtonEnabled(true);
    connect(filterEdit_, &QLineEdit::textChanged, tensorProxy_, &QSortFilterProxyModel::setFilterFixedString);

    auto* browser = new QWidget;
    auto* layout = new QVBoxLayout(browser);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(filterEdit_);
    layout->addWidget(tensorView_);

    // Pages are found by object name, which --tab and showPage() use.
    inspector_->setObjectName(QStringLiteral("inspector"));
    pages_->addTab(inspector_, tr("Inspector"));
    pages_->setDocumentMode(true);

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(browser);
    split->addWidget(pages_);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setSizes({460, 820});
    setCentralWidget(split);

    connect(tensorView_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::inspectSelectedTensor);
    connect(inspector_, &TensorInspector::binCountChanged, this, &MainWindow::computeInspectedStats);
    connect(statsJob_, &TensorStatsJob::finished, inspector_, &TensorInspector::setStats);
    connect(statsJob_, &TensorStatsJob::failed, inspector_, &TensorInspector::setError);

    statusBar()->addWidget(summary_, 1);
    statusBar()->addPermanentWidget(busy_);

    connect(openJob_, &ModelOpenJob::started, this, [this](const QString& path) {
        busy_->setText(tr("Opening %1…").arg(QFileInfo(path).fileName()));
    });
    connect(openJob_, &ModelOpenJob::opened, this, &MainWindow::showModel);
    connect(openJob_, &ModelOpenJob::failed, this, &MainWindow::showOpenError);

    createActions();
    resize(1280, 800);
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions() {
    auto* fileMenu = menuBar()->addMenu(tr("&File"));
    auto* openFile = fileMenu->addAction(tr("&Open…"), this, &MainWindow::chooseFile);
    openFile->setShortcut(QKeySequence::Open);
    fileMenu->addAction(tr("Open &Folder…"), this, &MainWindow::chooseFolder);
    fileMenu->addSeparator();
    auto* quit = fileMenu->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);
}

void MainWindow::openPath(const QString& path) { openJob_->open(path); }

void MainWindow::chooseFile() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Model"), QString(),
        tr("Model files (*.gguf *.safetensors);;GGUF (*.gguf);;safetensors (*.safetensors);;All files (*)"));
    if (!path.isEmpty())
        openPath(path);
}

void MainWindow::chooseFolder() {
    const QString path = QFileDialog::getExistingDirectory(this, tr("Open Hugging Face Model Folder"));
    if (!path.isEmpty())
        openPath(path);
}

void MainWindow::showModel(std::shared_ptr<const Model> model) {
    statsJob_->cancel();
    inspector_->setTensor(nullptr);
    model_ = std::move(model);
    tensorModel_->setModel(model_);
    summary_->setModel(model_.get());
    busy_->clear();
    setWindowTitle(tr("%1 — Matryx").arg(QString::fromStdString(model_->path.filename().string())));
    tensorView_->resizeColumnsToContents();
    tensorView_->horizontalHeader()->setSectionResizeMode(TensorTableModel::Name, QHeaderView::Stretch);
    emit modelOpened();
}

void MainWindow::showOpenError(const QString& path, const QString& message) {
    busy_->clear();
    auto* box = new QMessageBox(QMessageBox::Critical, tr("Cannot open model"),
                                tr("Matryx cannot open %1.").arg(QFileInfo(path).fileName()), QMessageBox::Ok, this);
    box->setInformativeText(message);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(QStringLiteral("openErrorDialog"));
    box->open(); // window-modal, without a nested event loop
    emit openFailed(message);
}

bool MainWindow::selectTensor(const QString& name) {
    const auto matches = tensorModel_->match(tensorModel_->index(0, TensorTableModel::Name), Qt::DisplayRole, name, 1,
                                             Qt::MatchExactly);
    if (matches.isEmpty())
        return false;
    const QModelIndex proxyIndex = tensorProxy_->mapFromSource(matches.first());
    if (!proxyIndex.isValid())
        return false;
    tensorView_->selectRow(proxyIndex.row());
    tensorView_->scrollTo(proxyIndex, QAbstractItemView::PositionAtCenter);
    return true;
}

void MainWindow::inspectSelectedTensor() {
    const QModelIndexList rows = tensorView_->selectionModel()->selectedRows(TensorTableModel::Name);
    const TensorInfo* tensor =
        model_ && !rows.isEmpty() ? model_->findTensor(rows.first().data().toString().toStdString()) : nullptr;
    // No selection (the filter hid the row) keeps the last tensor on show; the same tensor again
    // keeps what is shown or being computed.
    if (!tensor || QString::fromStdString(tensor->name) == inspector_->tensorName())
        return;
    inspector_->setTensor(tensor);
    computeInspectedStats();
}

void MainWindow::computeInspectedStats() {
    if (model_ && !inspector_->tensorName().isEmpty())
        statsJob_->compute(model_, inspector_->tensorName(), inspector_->binCount());
}

bool MainWindow::showPage(const QString& name) {
    for (int i = 0; i < pages_->count(); ++i)
        if (pages_->widget(i)->objectName() == name) {
            pages_->setCurrentIndex(i);
            return true;
        }
    return false;
}

QString MainWindow::currentPageName() const {
    return pages_->currentWidget() ? pages_->currentWidget()->objectName() : QString();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().size() == 1 &&
        event->mimeData()->urls().first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    openPath(event->mimeData()->urls().first().toLocalFile());
    event->acceptProposedAction();
}

} // namespace matryx
