#pragma once

// One edit of the Mix'n'Match plan (a preset, a base type, cells assigned, a rule added, a plan
// loaded), undoable: it holds the plan before and after, both plain values.

#include "quant/plan.h"

#include <QUndoCommand>

#include <functional>

namespace matryx {

class ChangePlanCommand : public QUndoCommand {
public:
    // `apply` shows a plan in the editor; it is called with `after` on redo, `before` on undo.
    ChangePlanCommand(std::function<void(const Plan&)> apply, Plan before, Plan after, const QString& text);

    void redo() override;
    void undo() override;

private:
    std::function<void(const Plan&)> apply_;
    Plan before_;
    Plan after_;
};

} // namespace matryx
