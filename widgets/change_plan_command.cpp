#include "change_plan_command.h"

namespace matryx {

ChangePlanCommand::ChangePlanCommand(std::function<void(const Plan&)> apply, Plan before, Plan after,
                                     const QString& text)
    : QUndoCommand(text), apply_(std::move(apply)), before_(std::move(before)), after_(std::move(after)) {}

void ChangePlanCommand::redo() { apply_(after_); }

void ChangePlanCommand::undo() { apply_(before_); }

} // namespace matryx
