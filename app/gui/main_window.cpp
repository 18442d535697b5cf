#include "gui/main_window.h"

#include "gui/device_probe_job.h"
#include "gui/log_forwarder.h"
#include "gui/model_open_job.h"
#include "gui/model_stats_job.h"
#include "gui/recent_files.h"
#include "gui/tensor_stats_job.h"
#include "gui/tokenizer_load_job.h"
#include "layer_heatmap.h"
#include "log_view.h"
#include "metadata_view.h"
#include "model_browser.h"
#include "plan_editor.h"
#include "quant/plan_json.h"
#include "model_summary_label.h"
#include "tensor_inspector.h"
#include "tokenizer_view.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeView>

namespace matryx {

namespace {

// A window-modal error box that does not block: no nested event loop, deleted when closed.
QMessageBox* openErrorBox(QWidget* parent, const QString& title, const QString& text, const QString& detail,
                          const QString& objectName) {
    auto* box = new QMessageBox(QMessageBox::Critical, title, text, QMessageBox::Ok, parent);
    box->setInformativeText(detail);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(objectName);
    box->open();
    return box;
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), recent_(std::make_unique<RecentFiles>(settings_)), logForwarder_(new LogForwarder(this)),
      openJob_(new ModelOpenJob(this)), statsJob_(new TensorStatsJob(this)), tokenizerJob_(new TokenizerLoadJob(this)),
      deviceJob_(new DeviceProbeJob(this)), modelStatsJob_(new ModelStatsJob(this)),
      planErrorJob_(new ModelStatsJob(this)), browser_(new ModelBrowser),
      inspector_(new TensorInspector), heatmap_(new LayerHeatmap), planEditor_(new PlanEditor),
      metadata_(new MetadataView), tokenizer_(new TokenizerView), log_(new LogView),
      logDock_(new QDockWidget(tr("Log"))), pages_(new QTabWidget), summary_(new ModelSummaryLabel),
      busy_(new QLabel), device_(new QLabel(tr("Device: …"))), statsProgress_(new QProgressBar),
      statsCancel_(new QToolButton) {
    setWindowTitle(tr("Matryx"));
    setAcceptDrops(true);

    // Pages are found by object name, which --tab and showPage() use.
    inspector_->setObjectName(QStringLiteral("inspector"));
    heatmap_->setObjectName(QStringLiteral("heatmap"));
    planEditor_->setObjectName(QStringLiteral("plan"));
    metadata_->setObjectName(QStringLiteral("metadata"));
    tokenizer_->setObjectName(QStringLiteral("tokenizer"));
    browser_->setObjectName(QStringLiteral("browser"));
    pages_->addTab(inspector_, tr("Inspector"));
    pages_->addTab(heatmap_, tr("Heatmap"));
    pages_->addTab(planEditor_, tr("Plan"));
    pages_->addTab(metadata_, tr("Metadata"));
    pages_->addTab(tokenizer_, tr("Tokenizer"));
    pages_->setDocumentMode(true);

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(browser_);
    split->addWidget(pages_);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setSizes({500, 780});
    setCentralWidget(split);

    logDock_->setObjectName(QStringLiteral("logDock"));
    logDock_->setWidget(log_);
    logDock_->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable);
    addDockWidget(Qt::BottomDockWidgetArea, logDock_);
    resizeDocks({logDock_}, {110}, Qt::Vertical);
    connect(logForwarder_, &LogForwarder::messageLogged, log_, &LogView::append);

    connect(browser_, &ModelBrowser::tensorSelected, this, &MainWindow::inspectTensor);
    connect(inspector_, &TensorInspector::binCountChanged, this, &MainWindow::computeInspectedStats);
    connect(inspector_, &TensorInspector::compareTypeChanged, this, &MainWindow::computeInspectedStats);
    connect(statsJob_, &TensorStatsJob::quantizationMeasured, inspector_, &TensorInspector::setQuantizationError);
    connect(statsJob_, &TensorStatsJob::finished, inspector_, &TensorInspector::setStats);
    connect(statsJob_, &TensorStatsJob::failed, inspector_, &TensorInspector::setError);

    connect(tokenizerJob_, &TokenizerLoadJob::loaded, this, [this](std::shared_ptr<const Tokenizer> tokenizer) {
        tokenizer_->setTokenizer(std::move(tokenizer));
        if (tokenizer_->textEdit()->toPlainText().isEmpty())
            tokenizer_->setText(tr("The quick brown fox jumps over the lazy dog. Quantization: 4-bit, 8-bit; ✓ 2026!"));
        emit tokenizerShown();
    });
    connect(tokenizerJob_, &TokenizerLoadJob::failed, this, [this](const QString& message) {
        tokenizer_->setTokenizer(nullptr, message);
        logInfo(tr("No tokenizer for this model: %1").arg(message).toStdString());
        emit tokenizerShown();
    });

    statusBar()->addWidget(summary_, 1);
    statusBar()->addPermanentWidget(busy_);
    statusBar()->addPermanentWidget(statsProgress_);
    statusBar()->addPermanentWidget(statsCancel_);
    connectModelStats();
    statusBar()->addPermanentWidget(device_);
    connect(deviceJob_, &DeviceProbeJob::finished, this, [this](const QString& device, const QString& detail) {
        device_->setText(tr("Device: %1").arg(device));
        device_->setToolTip(detail);
        probingDevice_ = false;
        emit deviceShown();
    });

    connect(openJob_, &ModelOpenJob::started, this, [this](const QString& path) {
        busy_->setText(tr("Opening %1…").arg(QFileInfo(path).fileName()));
    });
    connect(openJob_, &ModelOpenJob::opened, this, &MainWindow::showModel);
    connect(openJob_, &ModelOpenJob::failed, this, &MainWindow::showOpenError);

    createActions();
    resize(1280, 860);
    deviceJob_->start();
}

MainWindow::~MainWindow() = default;

void MainWindow::connectModelStats() {
    statsProgress_->setRange(0, 1000);
    statsProgress_->setMaximumWidth(220);
    statsProgress_->setFormat(tr("Statistics %p%"));
    statsProgress_->hide();
    statsCancel_->setText(tr("Cancel"));
    statsCancel_->setToolTip(tr("Stop computing the statistics of every tensor"));
    statsCancel_->hide();
    const auto idle = [this] {
        statsProgress_->hide();
        statsCancel_->hide();
    };
    connect(statsCancel_, &QToolButton::clicked, modelStatsJob_, &ModelStatsJob::cancel);
    connect(modelStatsJob_, &ModelStatsJob::started, this, [this] {
        statsProgress_->setValue(0);
        statsProgress_->show();
        statsCancel_->show();
    });
    connect(modelStatsJob_, &ModelStatsJob::progressed, this, [this](int permille, const QString& stage) {
        statsProgress_->setValue(permille);
        statsProgress_->setToolTip(stage);
    });
    connect(modelStatsJob_, &ModelStatsJob::finished, this, [this, idle](std::shared_ptr<const ModelStats> stats) {
        idle();
        heatmap_->setStats(std::move(stats));
        emit heatmapShown();
    });
    connect(modelStatsJob_, &ModelStatsJob::failed, this, [this, idle](const QString& message) {
        idle();
        heatmap_->setMessage(tr("No statistics: %1").arg(message));
        logError(tr("Statistics of the model failed: %1").arg(message).toStdString());
        emit heatmapShown();
    });
    connect(modelStatsJob_, &ModelStatsJob::cancelled, this, [this, idle] {
        idle();
        heatmap_->setMessage(tr("Cancelled. Open the model again to compute the statistics."));
        emit heatmapShown();
    });
    connect(planEditor_, &PlanEditor::typeErrorsRequested, this,
            [this](std::vector<TensorType> types) { planErrorJob_->computeTypeErrors(model_, std::move(types)); });
    connect(planErrorJob_, &ModelStatsJob::typeErrorsReady, planEditor_,
            [this](std::vector<TensorType> types,
                   std::shared_ptr<const std::vector<std::vector<TensorQuantizationError>>> errors) {
                planEditor_->setTypeErrors(types, *errors);
            });
    connect(planErrorJob_, &ModelStatsJob::failed, this, [](const QString& message) {
        logError(QObject::tr("Predicting the plan's error failed: %1").arg(message).toStdString());
    });
    connect(heatmap_, &LayerHeatmap::quantizationErrorRequested, this,
            [this](int bits) { modelStatsJob_->computeQuantizationError(model_, bits); });
    connect(modelStatsJob_, &ModelStatsJob::quantizationErrorsReady, this,
            [this, idle](int bits, std::shared_ptr<const std::vector<TensorQuantizationError>> errors) {
                idle();
                heatmap_->setQuantizationErrors(bits, std::move(errors));
                emit heatmapShown();
            });
    connect(heatmap_, &LayerHeatmap::tensorActivated, this, [this](const QString& name) {
        if (selectTensor(name)) showPage(inspector_->objectName());
    });
}

bool MainWindow::isComputingModelStats() const { return modelStatsJob_->isRunning(); }

void MainWindow::createActions() {
    auto* fileMenu = menuBar()->addMenu(tr("&File"));
    auto* openFile = fileMenu->addAction(tr("&Open…"), this, &MainWindow::chooseFile);
    openFile->setShortcut(QKeySequence::Open);
    fileMenu->addAction(tr("Open &Folder…"), this, &MainWindow::chooseFolder);
    recentMenu_ = fileMenu->addMenu(tr("Open &Recent"));
    connect(recentMenu_, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    fillRecentMenu();
    fileMenu->addSeparator();
    fileMenu->addAction(tr("&Load Plan…"), this, &MainWindow::choosePlanToLoad);
    fileMenu->addAction(tr("&Save Plan…"), this, &MainWindow::choosePlanToSave)->setShortcut(QKeySequence::Save);
    fileMenu->addSeparator();
    auto* quit = fileMenu->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    auto* viewMenu = menuBar()->addMenu(tr("&View"));
    QAction* showLog = logDock_->toggleViewAction();
    showLog->setText(tr("&Log"));
    viewMenu->addAction(showLog);
}

void MainWindow::fillRecentMenu() {
    const QStringList missing = recent_->removeMissing();
    if (!missing.isEmpty()) {
        const QString message =
            tr("No longer found, removed from the recent files: %1").arg(missing.join(QStringLiteral(", ")));
        statusBar()->showMessage(message, 8000);
        logWarning(message.toStdString());
    }
    recentMenu_->clear();
    const QStringList paths = recent_->paths();
    for (int i = 0; i < paths.size(); ++i) {
        const QString& path = paths[i];
        QAction* action = recentMenu_->addAction(
            QStringLiteral("&%1 %2").arg(i < 9 ? QString::number(i + 1) : QStringLiteral("1&0"), QFileInfo(path).fileName()),
            this, [this, path] { openPath(path); });
        action->setToolTip(path);
        action->setStatusTip(path);
    }
    if (paths.isEmpty())
        recentMenu_->addAction(tr("No recent files"))->setEnabled(false);
    recentMenu_->addSeparator();
    QAction* clear = recentMenu_->addAction(tr("&Clear List"), this, [this] {
        recent_->clear();
        fillRecentMenu();
    });
    clear->setEnabled(!paths.isEmpty());
}

QStringList MainWindow::recentFiles() const { return recent_->paths(); }

bool MainWindow::isTokenizerLoading() const { return tokenizerJob_->isRunning(); }

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
    browser_->setModel(model_);
    metadata_->setModel(model_);
    tokenizer_->setTokenizer(nullptr);
    tokenizerJob_->load(model_);
    planErrorJob_->cancel();
    heatmap_->setStats(nullptr);
    heatmap_->setMessage(tr("Computing the statistics of every tensor…"));
    modelStatsJob_->compute(model_);
    planEditor_->setModel(model_);
    summary_->setModel(model_.get());
    busy_->clear();
    const QString path = QString::fromStdString(model_->path.string());
    setWindowTitle(tr("%1 — Matryx").arg(QString::fromStdString(model_->path.filename().string())));
    recent_->add(path);
    fillRecentMenu();
    logInfo(tr("Opened %1: %2 tensors").arg(path).arg(model_->tensors.size()).toStdString());
    emit modelOpened();
}

void MainWindow::showOpenError(const QString& path, const QString& message) {
    busy_->clear();
    logError(tr("Cannot open %1: %2").arg(path, message).toStdString());
    openErrorBox(this, tr("Cannot open model"), tr("Matryx cannot open %1.").arg(QFileInfo(path).fileName()), message,
                 QStringLiteral("openErrorDialog"));
    emit openFailed(message);
}

void MainWindow::choosePlanToSave() {
    if (!model_) return;
    // The dialog asks before replacing a file.
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save Plan"), QFileInfo(QString::fromStdString(model_->path.string())).completeBaseName() +
                                   QStringLiteral(".plan.json"),
        tr("Plans (*.json)"));
    if (!path.isEmpty()) savePlanTo(path);
}

void MainWindow::choosePlanToLoad() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Load Plan"), QString(), tr("Plans (*.json)"));
    if (!path.isEmpty()) loadPlanFrom(path);
}

bool MainWindow::savePlanTo(const QString& path) {
    if (Status s = savePlan(planEditor_->plan(), path.toStdString(), Overwrite::Yes); !s) {
        openErrorBox(this, tr("Cannot save the plan"), tr("Matryx cannot save the plan to %1.").arg(path),
                     QString::fromStdString(s.error().toString()), QStringLiteral("planErrorDialog"));
        return false;
    }
    logInfo(tr("Plan saved to %1").arg(path).toStdString());
    return true;
}

bool MainWindow::loadPlanFrom(const QString& path) {
    auto plan = loadPlan(path.toStdString());
    if (!plan) {
        openErrorBox(this, tr("Cannot load the plan"), tr("Matryx cannot load the plan %1.").arg(path),
                     QString::fromStdString(plan.error().toString()), QStringLiteral("planErrorDialog"));
        return false;
    }
    planEditor_->setPlan(*plan, tr("Load %1").arg(QFileInfo(path).fileName()));
    logInfo(tr("Plan loaded from %1").arg(path).toStdString());
    return true;
}

bool MainWindow::selectTensor(const QString& name) { return browser_->selectTensor(name); }

void MainWindow::inspectTensor(const QString& name) {
    const TensorInfo* tensor = model_ ? model_->findTensor(name.toStdString()) : nullptr;
    // The same tensor again keeps what is shown or being computed.
    if (!tensor || name == inspector_->tensorName())
        return;
    inspector_->setTensor(tensor);
    computeInspectedStats();
}

void MainWindow::computeInspectedStats() {
    if (model_ && !inspector_->tensorName().isEmpty())
        statsJob_->compute(model_, inspector_->tensorName(), inspector_->binCount(), 32, inspector_->compareType());
}

bool MainWindow::showPage(const QString& name) {
    if (name == browser_->objectName()) {
        browser_->expandGroups(3);
        browser_->view()->setFocus();
        lastPage_ = name;
        return true;
    }
    for (int i = 0; i < pages_->count(); ++i)
        if (pages_->widget(i)->objectName() == name) {
            pages_->setCurrentIndex(i);
            lastPage_ = name;
            return true;
        }
    return false;
}

QString MainWindow::currentPageName() const {
    if (lastPage_ == browser_->objectName())
        return lastPage_;
    return pages_->currentWidget() ? pages_->currentWidget()->objectName() : QString();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().size() == 1 &&
        event->mimeData()->urls().first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    if (!event->mimeData()->hasUrls() || event->mimeData()->urls().isEmpty())
        return;
    openPath(event->mimeData()->urls().first().toLocalFile());
    event->acceptProposedAction();
}

} // namespace matryx
