#include "model_summary_label.h"

#include "base/units.h"

namespace matryx {

ModelSummaryLabel::ModelSummaryLabel(QWidget* parent) : QLabel(parent) { setModel(nullptr); }

void ModelSummaryLabel::setModel(const Model* model) {
    setText(model ? summary(*model) : tr("No model open"));
}

QString ModelSummaryLabel::summary(const Model& model) {
    const std::string arch = model.architecture();
    return tr("%1 · %2 · %3 parameters · %4 · %5 bits/weight")
        .arg(arch.empty() ? tr("unknown architecture") : QString::fromStdString(arch),
             QString::fromUtf8(modelFormatName(model.format).data(),
                               static_cast<qsizetype>(modelFormatName(model.format).size())),
             QString::fromStdString(formatCount(model.parameterCount())),
             QString::fromStdString(formatBytes(model.fileSize())),
             QString::number(model.bitsPerWeight(), 'f', 2));
}

} // namespace matryx
