#include "gui/main_window.h"

#include "gui/model_open_job.h"
#include "model_summary_label.h"
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
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>

namespace matryx {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), openJob_(new ModelOpenJob(this)), tensorModel_(new TensorTableModel(this)),
      tensorProxy_(new QSortFilterProxyModel(this)), tensorView_(new QTableView), filterEdit_(new QLineEdit),
      summary_(new ModelSummaryLabel), busy_(new QLabel) {
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

    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->addWidget(filterEdit_);
    layout->addWidget(tensorView_);
    setCentralWidget(central);

    statusBar()->addWidget(summary_, 1);
    statusBar()->addPermanentWidget(busy_);

    connect(openJob_, &ModelOpenJob::started, this, [this](const QString& path) {
        busy_->setText(tr("Opening %1…").arg(QFileInfo(path).fileName()));
    });
    connect(openJob_, &ModelOpenJob::opened, this, &MainWindow::showModel);
    connect(openJob_, &ModelOpenJob::failed, this, &MainWindow::showOpenError);

    createActions();
    resize(1100, 720);
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
