#include "plan_size_error_chart.h"

#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

namespace matryx {

PlanSizeErrorChart::PlanSizeErrorChart(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot) {
    presets_ = plot_->addGraph();
    presets_->setLineStyle(QCPGraph::lsNone);
    presets_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(52, 101, 164), 7));
    plan_ = plot_->addGraph();
    plan_->setLineStyle(QCPGraph::lsNone);
    plan_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssStar, QColor(204, 0, 0), 14));
    plot_->xAxis->setLabel(tr("bits per weight"));
    plot_->yAxis->setLabel(tr("predicted error (relative RMSE, %)"));
    plot_->setMinimumHeight(160);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
}

void PlanSizeErrorChart::setPoints(const std::vector<Point>& presets, std::optional<Point> plan) {
    plot_->clearItems();
    QVector<double> x, y;
    double maxX = 1, maxY = 0.01;
    for (const Point& p : presets) {
        x << p.bitsPerWeight;
        y << 100.0 * p.error;
        maxX = std::max(maxX, p.bitsPerWeight);
        maxY = std::max(maxY, 100.0 * p.error);
        auto* label = new QCPItemText(plot_);
        label->position->setCoords(p.bitsPerWeight, 100.0 * p.error);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        label->setText(p.label);
        label->setPadding(QMargins(4, 0, 0, 2));
    }
    presets_->setData(x, y);
    presetCount_ = int(presets.size());
    showsPlan_ = plan.has_value();
    if (plan) {
        plan_->setData(QVector<double>{plan->bitsPerWeight}, QVector<double>{100.0 * plan->error});
        maxX = std::max(maxX, plan->bitsPerWeight);
        maxY = std::max(maxY, 100.0 * plan->error);
    } else {
        plan_->data()->clear();
    }
    plot_->xAxis->setRange(0, maxX * 1.15);
    plot_->yAxis->setRange(0, maxY * 1.15);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace matryx
