#pragma once

// The Mix'n'Match editor: the layers-by-kinds grid of the types a plan gives, a llama.cpp preset
// to start from, a type (by bit width or exact ggml type) assigned to the selected cells, rules
// by regular expression, undo and redo, and the predicted file size and bits per weight, which
// are the plan's resolve() on the open model, the same numbers `matryx-cli plan` prints. Every
// edit is one ChangePlanCommand on the editor's undo stack. Reads and writes no files: the
// owner saves and loads plans (plan_json.h).

#include "format/model.h"
#include "quant/model_quantization_error.h"
#include "quant/plan.h"

#include <QWidget>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QUndoStack;

namespace matryx {

class PlanGridModel;
class PlanSizeErrorChart;

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

    // From now on, predicts the plan's error: asks for the per-tensor errors of the types the
    // plan uses (typeErrorsRequested) and shows their element-weighted relative RMSE.
    void predictError();
    // Per-tensor errors measured at `types` (one list per type, quant/model_quantization_error.h).
    void setTypeErrors(const std::vector<TensorType>& types,
                       const std::vector<std::vector<TensorQuantizationError>>& errors);
    // Element-weighted mean relative RMSE of the quantized tensors (0 for those kept or copied as
    // they are); nullopt until every type the plan uses has been measured.
    std::optional<double> predictedError() const;
    // Bits per weight against predicted error for llama.cpp's uniform presets and this plan.
    PlanSizeErrorChart* chart() const { return chart_; }

    QTableView* grid() const { return grid_; }
    PlanGridModel* gridModel() const { return gridModel_; }
    QUndoStack* undoStack() const { return undo_; }
    QComboBox* presetBox() const { return presetBox_; }
    QComboBox* typeBox() const { return typeBox_; }
    QLabel* summaryLabel() const { return summary_; }

signals:
    // The plan or its prediction changed (an edit, undo, redo, another model).
    void planChanged();
    // predictError() needs these types measured.
    void typeErrorsRequested(std::vector<matryx::TensorType> types);

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
    QPushButton* predict_;
    PlanSizeErrorChart* chart_;
    std::vector<std::pair<QString, ResolvedPlan>> comparison_; // the presets the chart shows
    std::optional<double> errorOf(const ResolvedPlan& plan) const;
    bool predicting_ = false;
    std::map<TensorType, std::map<size_t, double>> typeErrors_; // type -> model tensor -> relative RMSE
    std::set<TensorType> requested_;
    QString sizeText_;
    void updateSummary();
};

} // namespace matryx
