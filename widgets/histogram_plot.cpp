#include "histogram_plot.h"

#include "symlog_axis_ticker.h"

#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

namespace matryx {

HistogramPlot::HistogramPlot(QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot), bars_(nullptr), overlay_(nullptr), marker_(nullptr) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);

    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->axisRect()->setRangeZoom(Qt::Horizontal | Qt::Vertical);
    plot_->setToolTip(tr("Drag to pan, wheel to zoom, double-click to show all bins."));
    plot_->xAxis->setLabel(tr("value"));
    plot_->yAxis->setLabel(tr("count"));
    plot_->yAxis->setNumberFormat(QStringLiteral("gb"));

    bars_ = new QCPBars(plot_->xAxis, plot_->yAxis);
    bars_->setPen(Qt::NoPen);
    bars_->setBrush(QColor(52, 101, 164));
    bars_->setWidthType(QCPBars::wtPlotCoords);

    overlay_ = new QCPGraph(plot_->xAxis, plot_->yAxis);
    overlay_->setPen(QPen(QColor(245, 121, 0), 1.5));
    overlay_->setLineStyle(QCPGraph::lsStepCenter);
    overlay_->setName(tr("quantized"));

    marker_ = new QCPItemStraightLine(plot_);
    marker_->setPen(QPen(QColor(204, 0, 0), 1.5, Qt::DashLine));
    marker_->setVisible(false);

    connect(plot_, &QCustomPlot::mouseDoubleClick, this, &HistogramPlot::resetView);
}

void HistogramPlot::setHistograms(const Histogram& linear, const Histogram& symlog, double linthresh) {
    linear_ = linear;
    symlog_ = symlog;
    linthresh_ = linthresh > 0 ? linthresh : 1;
    rebuild();
}

void HistogramPlot::setOverlay(const Histogram& quantized) {
    overlayData_ = quantized;
    rebuild();
}

double HistogramPlot::overlayCountSum() const {
    double sum = 0;
    for (auto it = overlay_->data()->constBegin(); it != overlay_->data()->constEnd(); ++it)
        sum += it->value;
    return sum;
}

void HistogramPlot::clear() {
    linear_ = {};
    symlog_ = {};
    overlayData_ = {};
    marked_.reset();
    rebuild();
}

void HistogramPlot::setValueScale(ValueScale scale) {
    if (scale_ == scale) return;
    scale_ = scale;
    rebuild();
}

void HistogramPlot::setLogCounts(bool log) {
    if (logCounts_ == log) return;
    logCounts_ = log;
    rebuild();
}

void HistogramPlot::markValue(std::optional<double> value) {
    marked_ = value;
    marker_->setVisible(marked_.has_value());
    if (marked_) {
        marker_->point1->setCoords(toAxis(*marked_), 1); // two positive counts: valid on a log axis too
        marker_->point2->setCoords(toAxis(*marked_), 2);
    }
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

double HistogramPlot::toAxis(double value) const {
    return scale_ == ValueScale::SymLog ? symlog(value, linthresh_) : value;
}

void HistogramPlot::rebuild() {
    const Histogram& h = scale_ == ValueScale::SymLog ? symlog_ : linear_;
    // Symmetric-log bins are drawn equally wide in the transformed coordinate; the ticker labels
    // that axis with the untransformed values.
    QVector<double> keys, values;
    QVector<double> widths;
    for (size_t i = 0; i + 1 < h.edges.size() && i < h.counts.size(); ++i) {
        const double a = toAxis(h.edges[i]);
        const double b = toAxis(h.edges[i + 1]);
        keys << (a + b) / 2;
        values << static_cast<double>(h.counts[i]);
        widths << b - a;
    }
    bars_->setData(keys, values, true);
    QVector<double> overlayKeys, overlayValues;
    if (scale_ == ValueScale::Linear)
        for (size_t i = 0; i + 1 < overlayData_.edges.size() && i < overlayData_.counts.size(); ++i) {
            overlayKeys << (overlayData_.edges[i] + overlayData_.edges[i + 1]) / 2;
            overlayValues << static_cast<double>(overlayData_.counts[i]);
        }
    overlay_->setData(overlayKeys, overlayValues, true);
    // Bins of one histogram are equally wide on its axis, up to rounding.
    bars_->setWidth(widths.isEmpty() ? 1 : std::max(widths.front(), widths.back()));

    if (scale_ == ValueScale::SymLog) {
        plot_->xAxis->setTicker(QSharedPointer<SymlogAxisTicker>::create(linthresh_));
        plot_->xAxis->setLabel(tr("value (symmetric log, linear within ±%1)").arg(linthresh_, 0, 'g', 2));
    } else {
        plot_->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
        plot_->xAxis->setLabel(tr("value"));
    }
    if (logCounts_) {
        plot_->yAxis->setScaleType(QCPAxis::stLogarithmic);
        plot_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
        plot_->yAxis->setLabel(tr("count (log)"));
    } else {
        plot_->yAxis->setScaleType(QCPAxis::stLinear);
        plot_->yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
        plot_->yAxis->setLabel(tr("count"));
    }
    markValue(marked_);
    resetView();
}

void HistogramPlot::resetView() {
    const Histogram& h = scale_ == ValueScale::SymLog ? symlog_ : linear_;
    if (h.edges.size() >= 2) {
        const double lo = toAxis(h.edges.front());
        const double hi = toAxis(h.edges.back());
        const double pad = (hi - lo) * 0.02;
        plot_->xAxis->setRange(lo - pad, hi + pad);
    } else {
        plot_->xAxis->setRange(-1, 1);
    }
    uint64_t most = 0;
    for (const uint64_t c : h.counts)
        most = std::max(most, c);
    if (logCounts_)
        plot_->yAxis->setRange(0.5, std::max(10.0, most * 2.0));
    else
        plot_->yAxis->setRange(0, std::max(1.0, most * 1.05));
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

int HistogramPlot::barCount() const {
    return bars_->data()->size();
}

double HistogramPlot::countSum() const {
    double sum = 0;
    for (auto it = bars_->data()->constBegin(); it != bars_->data()->constEnd(); ++it)
        sum += it->value;
    return sum;
}

} // namespace matryx
