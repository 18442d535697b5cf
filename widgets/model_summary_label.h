#pragma once

// One line that says what the open model is: architecture, parameters, size, bits per weight.
// Lives in the main window's status bar.

#include "format/model.h"

#include <QLabel>

namespace matryx {

class ModelSummaryLabel : public QLabel {
    Q_OBJECT
public:
    explicit ModelSummaryLabel(QWidget* parent = nullptr);
    // nullptr shows "No model open".
    void setModel(const Model* model);

    static QString summary(const Model& model);
};

} // namespace matryx
