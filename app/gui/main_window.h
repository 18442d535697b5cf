#pragma once

// The main window wires actions, the open job and the widgets; it computes nothing itself.

#include "format/model.h"

#include <QMainWindow>

#include <memory>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTabWidget;

namespace matryx {

class ModelOpenJob;
class ModelSummaryLabel;
class TensorInspector;
class TensorStatsJob;
class TensorTableModel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Starts opening a file or folder; the window stays responsive while it loads.
    void openPath(const QString& path);
    const Model* model() const { return model_.get(); }
    // Selects and shows the named tensor; false if the open model has none of that name.
    bool selectTensor(const QString& name);

    // Shows the page named `name` ("inspector"); false if there is no such page.
    bool showPage(const QString& name);
    QString currentPageName() const;

    QTableView* tensorView() const { return tensorView_; }
    QLineEdit* filterEdit() const { return filterEdit_; }
    TensorInspector* tensorInspector() const { return inspector_; }
    TensorStatsJob* tensorStatsJob() const { return statsJob_; }

signals:
    void modelOpened();
    void openFailed(const QString& message);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void showModel(std::shared_ptr<const Model> model);
    void showOpenError(const QString& path, const QString& message);
    void chooseFile();
    void chooseFolder();
    // Shows the tensor selected in the table in the inspector and starts computing its statistics.
    void inspectSelectedTensor();
    void computeInspectedStats();

    ModelOpenJob* openJob_;
    TensorTableModel* tensorModel_;
    QSortFilterProxyModel* tensorProxy_;
    QTableView* tensorView_;
    QLineEdit* filterEdit_;
    ModelSummaryLabel* summary_;
    QLabel* busy_;
    TensorStatsJob* statsJob_;
    TensorInspector* inspector_;
    QTabWidget* pages_;
    std::shared_ptr<const Model> model_;
};

} // namespace matryx
