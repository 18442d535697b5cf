#pragma once

// The main window wires actions, jobs and widgets; it computes nothing itself. Left: the model
// browser; right: pages (inspector, layer heatmap, plan editor, metadata, tokenizer); bottom: the log panel;
// status bar: what the open model is, the whole-model statistics' progress with Cancel, and the
// compute device.

#include "format/model.h"

#include <QMainWindow>
#include <QSettings>

#include <memory>

class QDockWidget;
class QLabel;
class QMenu;
class QProgressBar;
class QToolButton;
class QTabWidget;

namespace matryx {

class DeviceProbeJob;
class LayerHeatmap;
class ModelStatsJob;
class LogForwarder;
class LogView;
class MetadataView;
class ModelBrowser;
class ModelOpenJob;
class ModelSummaryLabel;
class PlanEditor;
class RecentFiles;
class TensorInspector;
class TensorStatsJob;
class TokenizerLoadJob;
class TokenizerView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Starts opening a file or folder; the window stays responsive while it loads.
    void openPath(const QString& path);
    const Model* model() const { return model_.get(); }
    // Selects the named tensor in the browser and shows it in the inspector; false if the open
    // model has none of that name (or the browser's filter hides it).
    bool selectTensor(const QString& name);

    // Shows the page named `name` ("inspector", "metadata", "tokenizer"; "browser" opens the
    // first layers in the tree and gives it the focus); false if there is no such page.
    bool showPage(const QString& name);
    QString currentPageName() const;

    // The recent files as the File menu lists them, newest first.
    QStringList recentFiles() const;
    bool isTokenizerLoading() const;
    // True until the status bar shows the compute device.
    bool isProbingDevice() const { return probingDevice_; }
    // True while the statistics of the whole model (the heatmap's) are computed.
    bool isComputingModelStats() const;

    ModelBrowser* modelBrowser() const { return browser_; }
    MetadataView* metadataView() const { return metadata_; }
    TokenizerView* tokenizerView() const { return tokenizer_; }
    LogView* logView() const { return log_; }
    QMenu* recentMenu() const { return recentMenu_; }
    QLabel* deviceLabel() const { return device_; }
    ModelSummaryLabel* summaryLabel() const { return summary_; }
    TensorInspector* tensorInspector() const { return inspector_; }
    TensorStatsJob* tensorStatsJob() const { return statsJob_; }
    LayerHeatmap* layerHeatmap() const { return heatmap_; }
    PlanEditor* planEditor() const { return planEditor_; }
    // Saves the editor's plan as JSON (plan_json.h); false, after a dialog, on an error.
    bool savePlanTo(const QString& path);
    // Loads a plan into the editor as one undoable edit; false, after a dialog, on an error.
    bool loadPlanFrom(const QString& path);
    ModelStatsJob* modelStatsJob() const { return modelStatsJob_; }
    QProgressBar* statsProgress() const { return statsProgress_; }
    QToolButton* statsCancelButton() const { return statsCancel_; }

signals:
    void modelOpened();
    void openFailed(const QString& message);
    // The tokenizer page shows the open model's tokenizer, or why there is none.
    void tokenizerShown();
    void deviceShown();
    // The heatmap shows the open model's statistics, or why there are none.
    void heatmapShown();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void showModel(std::shared_ptr<const Model> model);
    void showOpenError(const QString& path, const QString& message);
    void chooseFile();
    void chooseFolder();
    void choosePlanToSave();
    void choosePlanToLoad();
    void fillRecentMenu();
    // Shows the named tensor in the inspector and starts computing its statistics.
    void inspectTensor(const QString& name);
    void computeInspectedStats();
    void connectModelStats();

    QSettings settings_;
    std::unique_ptr<RecentFiles> recent_;
    LogForwarder* logForwarder_;
    ModelOpenJob* openJob_;
    TensorStatsJob* statsJob_;
    TokenizerLoadJob* tokenizerJob_;
    DeviceProbeJob* deviceJob_;
    ModelStatsJob* modelStatsJob_;
    ModelStatsJob* planErrorJob_; // the plan editor's measurements, apart from the heatmap's
    ModelBrowser* browser_;
    TensorInspector* inspector_;
    LayerHeatmap* heatmap_;
    PlanEditor* planEditor_;
    MetadataView* metadata_;
    TokenizerView* tokenizer_;
    LogView* log_;
    QDockWidget* logDock_;
    QTabWidget* pages_;
    QMenu* recentMenu_ = nullptr;
    ModelSummaryLabel* summary_;
    QLabel* busy_;
    QLabel* device_;
    QProgressBar* statsProgress_;
    QToolButton* statsCancel_;
    QString lastPage_;
    bool probingDevice_ = true;
    std::shared_ptr<const Model> model_;
};

} // namespace matryx
