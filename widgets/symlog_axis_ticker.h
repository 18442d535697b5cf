#pragma once

// Ticks for an axis whose coordinates are symlog(x, linthresh) (see tensor/histogram_builder.h):
// ticks sit at round values of x (0, ±1, 2, 5 × 10^k) and are labelled with x, not with its
// transform, so a symmetric-log histogram reads in the tensor's own units.

#include <qcustomplot.h>

namespace matryx {

class SymlogAxisTicker : public QCPAxisTicker {
public:
    explicit SymlogAxisTicker(double linthresh);

protected:
    QVector<double> createTickVector(double tickStep, const QCPRange& range) override;
    QString getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision) override;

private:
    double linthresh_;
};

} // namespace matryx
