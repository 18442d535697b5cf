#pragma once

// What quantizing the inspected tensor to a chosen type does: the RMSE (absolute and relative to
// the values' RMS), the largest error, and the histogram of the errors q - x. Shows what it is
// given; computes nothing.

#include "tensor/quantization_error.h"

#include <QWidget>

#include <memory>

class QCPBars;
class QCustomPlot;
class QLabel;

namespace matryx {

class QuantizationErrorView : public QWidget {
    Q_OBJECT
public:
    explicit QuantizationErrorView(QWidget* parent = nullptr);

    // `type` as the job names it; a null error shows `type` as the reason there is none.
    void setError(const QString& type, std::shared_ptr<const QuantizationError> error);
    void clear();

    QLabel* summary() const { return summary_; }
    double errorCountSum() const; // for tests
    const QuantizationError* error() const { return error_.get(); }

private:
    QLabel* summary_;
    QCustomPlot* plot_;
    QCPBars* bars_;
    std::shared_ptr<const QuantizationError> error_;
};

} // namespace matryx
