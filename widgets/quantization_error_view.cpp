#include "quantization_error_view.h"

#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

namespace matryx {

QuantizationErrorView::QuantizationErrorView(QWidget* parent)
    : QWidget(parent), summary_(new QLabel), plot_(new QCustomPlot), bars_(new QCPBars(plot_->xAxis, plot_->yAxis)) {
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bars_->setPen(Qt::NoPen);
    bars_->setBrush(QColor(245, 121, 0));
    bars_->setWidthType(QCPBars::wtPlotCoords);
    plot_->xAxis->setLabel(tr("error (quantized − original)"));
    plot_->yAxis->setLabel(tr("count"));
    plot_->yAxis->setNumberFormat(QStringLiteral("gb"));
    plot_->setMinimumHeight(120);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(summary_);
    layout->addWidget(plot_, 1);
    clear();
}

void QuantizationErrorView::clear() {
    error_.reset();
    summary_->setText(tr("Choose a type under “Compare with” to see what quantizing to it does."));
    bars_->data()->clear();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void QuantizationErrorView::setError(const QString& type, std::shared_ptr<const QuantizationError> error) {
    error_ = std::move(error);
    QVector<double> keys, values;
    double width = 1, most = 1;
    if (!error_) {
        summary_->setText(tr("No comparison: %1").arg(type));
    } else {
        summary_->setText(tr("%1: RMSE %2 (%3% of the values' RMS), largest error %4, over %5 values")
                              .arg(type)
                              .arg(error_->rmse, 0, 'g', 4)
                              .arg(100.0 * error_->relativeRmse, 0, 'f', 2)
                              .arg(error_->maxAbs, 0, 'g', 4)
                              .arg(QLocale().toString(qulonglong(error_->values))));
        const Histogram& h = error_->error;
        for (size_t i = 0; i + 1 < h.edges.size() && i < h.counts.size(); ++i) {
            keys << (h.edges[i] + h.edges[i + 1]) / 2;
            values << double(h.counts[i]);
            most = std::max(most, double(h.counts[i]));
        }
        if (h.edges.size() >= 2) {
            width = h.edges[1] - h.edges[0];
            plot_->xAxis->setRange(h.edges.front(), h.edges.back());
        }
    }
    bars_->setData(keys, values, true);
    bars_->setWidth(width);
    plot_->yAxis->setRange(0, most * 1.05);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

double QuantizationErrorView::errorCountSum() const {
    double sum = 0;
    for (auto it = bars_->data()->constBegin(); it != bars_->data()->constEnd(); ++it)
        sum += it->value;
    return sum;
}

} // namespace matryx
