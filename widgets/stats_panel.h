#pragma once

// The scalar statistics of one tensor as a two-column form: counts, range, moments, outliers.
// Shows what it is given; computes nothing.

#include "tensor/tensor_stats.h"

#include <QWidget>

class QFormLayout;
class QLabel;

namespace matryx {

class StatsPanel : public QWidget {
    Q_OBJECT
public:
    explicit StatsPanel(QWidget* parent = nullptr);

    // Fills the form from `stats`; nullptr shows dashes.
    void setStats(const TensorStats* stats);
    // The shown text of a row, for tests: "elements", "min", "max", "mean", "std", "absmax",
    // "kurtosis", "outliers", "nonfinite"; empty for an unknown key.
    QString valueText(const QString& key) const;

private:
    // Adds a row whose value label is named `key`; returns the row's name label.
    QLabel* addRow(const QString& key, const QString& label, const QString& toolTip = {});

    QFormLayout* form_;
    QLabel* outlierName_ = nullptr; // names the k used
};

} // namespace matryx
