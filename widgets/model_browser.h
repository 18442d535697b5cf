#pragma once

// The model browser: a filter box (substring or regular expression) over a tree of layers and
// their tensors (ModelTreeModel + ModelTreeProxy). Selecting a tensor emits tensorSelected();
// the owner shows it elsewhere. Does no I/O; the owner hands over the opened Model.

#include "format/model.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QLabel;
class QLineEdit;
class QTreeView;

namespace matryx {

class ModelTreeModel;
class ModelTreeProxy;

class ModelBrowser : public QWidget {
    Q_OBJECT
public:
    explicit ModelBrowser(QWidget* parent = nullptr);

    // Shows the tensors of `model` (shared, never copied); nullptr clears the tree.
    void setModel(std::shared_ptr<const Model> model);

    // Selects, reveals and scrolls to the named tensor; false if it is not in the tree or the
    // filter hides it.
    bool selectTensor(const QString& name);
    // The selected tensor's name, or empty when none (or a group) is selected.
    QString selectedTensor() const;
    // Tensors the filter lets through.
    int visibleTensorCount() const;
    // Opens the first `groups` groups in the tree (all when negative).
    void expandGroups(int groups);

    QTreeView* view() const { return view_; }
    QLineEdit* filterEdit() const { return filterEdit_; }
    QCheckBox* regexBox() const { return regexBox_; }

signals:
    void tensorSelected(const QString& name);

private:
    void applyFilter();
    void updateCount();

    ModelTreeModel* model_;
    ModelTreeProxy* proxy_;
    QLineEdit* filterEdit_;
    QCheckBox* regexBox_;
    QTreeView* view_;
    QLabel* count_;
};

} // namespace matryx
