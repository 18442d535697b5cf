#pragma once

// The main window wires actions, the open job and the widgets; it computes nothing itself.

#include "format/model.h"

#include <QMainWindow>

#include <memory>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace matryx {

class ModelOpenJob;
class ModelSummaryLabel;
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

    QTableView* tensorView() const { return tensorView_; }
    QLineEdit* filterEdit() const { return filterEdit_; }

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

    ModelOpenJob* openJob_;
    TensorTableModel* tensorModel_;
    QSortFilterProxyModel* tensorProxy_;
    QTableView* tensorView_;
    QLineEdit* filterEdit_;
    ModelSummaryLabel* summary_;
    QLabel* busy_;
    std::shared_ptr<const Model> model_;
};

} // namespace matryx
