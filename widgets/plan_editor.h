#pragma once

// The Mix'n'Match editor: the layers-by-kinds grid of the types a plan gives, a llama.cpp preset
// to start from, a type (by bit width or exact ggml type) assigned to the selected cells, rules
// by regular expression, undo and redo, and the predicted file size and bits per weight, which
// are the plan's resolve() on the open model, the same numbers `matryx-cli plan` prints. Every
// edit is one ChangePlanCommand on the editor's undo stack. Reads and writes no files: the
// owner saves and loads plans (plan_json.h).

#include "format/model.h"
#include "quant/plan.h"

#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QUndoStack;

namespace matryx {

class PlanGridModel;

class PlanEditor : public QWidget {
    Q_OBJECT
public:
    explicit PlanEditor(QWidget* parent = nullptr);
    ~PlanEditor() override;

    // Starts over on `model` with llama.cpp's Q4_K_M; clears the undo history. Null clears.
    void setModel(std::shared_ptr<const Model> model);
    // Replaces the plan, as one undoable edit named `what`.
    void setPlan(const Plan& plan, const QString& what);
    const Plan& plan() const { return plan_; }
    // The plan resolved on the open model; null when there is none or it does not resolve.
    std::shared_ptr<const ResolvedPlan> resolved() const { return resolved_; }

    // Gives the selected cells' tensors `type` (one undoable edit); returns how many.
    int assignToSelection(TensorType type);
    // Removes the selected cells' overrides (one undoable edit); returns how many were removed.
    int clearSelection();
    // Appends a rule: tensors whose names match `pattern` get `type` (one undoable edit).
    void addRule(const QString& pattern, TensorType type);

    QTableView* grid() const { return grid_; }
    PlanGridModel* gridModel() const { return gridModel_; }
    QUndoStack* undoStack() const { return undo_; }
    QComboBox* presetBox() const { return presetBox_; }
    QComboBox* typeBox() const { return typeBox_; }
    QLabel* summaryLabel() const { return summary_; }

signals:
    // The plan or its prediction changed (an edit, undo, redo, another model).
    void planChanged();

private:
    void show(const Plan& plan);
    void edit(Plan after, const QString& what);
    std::optional<TensorType> chosenType() const;
    QStringList selectedTensors() const;

    std::shared_ptr<const Model> model_;
    Plan plan_;
    std::shared_ptr<const ResolvedPlan> resolved_;
    QUndoStack* undo_;
    PlanGridModel* gridModel_;
    QTableView* grid_;
    QComboBox* presetBox_;
    QComboBox* typeBox_;
    QLineEdit* ruleEdit_;
    QLabel* summary_;
};

} // namespace matryx
