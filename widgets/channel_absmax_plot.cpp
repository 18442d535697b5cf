#include "channel_absmax_plot.h"

#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

namespace matryx {

ChannelAbsMaxPlot::ChannelAbsMaxPlot(const QString& channelName, QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot), graph_(nullptr), marker_(nullptr) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);

    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->axisRect()->setRangeZoom(Qt::Horizontal | Qt::Vertical);
    plot_->setToolTip(tr("Drag to pan, wheel to zoom, double-click to show all channels."));
    plot_->xAxis->setLabel(channelName);
    plot_->yAxis->setLabel(tr("max |x|"));
    plot_->yAxis->ticker()->setTickCount(3); // the plot is short; more labels would collide

    graph_ = plot_->addGraph();
    graph_->setPen(QPen(QColor(52, 101, 164), 1));
    graph_->setBrush(QColor(52, 101, 164, 60));
    graph_->setAdaptiveSampling(true); // token embeddings have tens of thousands of rows

    marker_ = new QCPItemStraightLine(plot_);
    marker_->setPen(QPen(QColor(204, 0, 0), 1.5, Qt::DashLine));
    marker_->setVisible(false);

    connect(plot_, &QCustomPlot::mouseDoubleClick, this, &ChannelAbsMaxPlot::resetView);
}

void ChannelAbsMaxPlot::setValues(const std::vector<float>& absMax) {
    QVector<double> keys(static_cast<qsizetype>(absMax.size()));
    QVector<double> values(static_cast<qsizetype>(absMax.size()));
    largest_ = 0;
    for (size_t i = 0; i < absMax.size(); ++i) {
        keys[static_cast<qsizetype>(i)] = static_cast<double>(i);
        values[static_cast<qsizetype>(i)] = absMax[i];
        largest_ = std::max(largest_, static_cast<double>(absMax[i]));
    }
    channels_ = static_cast<qint64>(absMax.size());
    graph_->setData(keys, values, true);
    markChannel(std::nullopt);
    resetView();
}

void ChannelAbsMaxPlot::markChannel(std::optional<qint64> channel) {
    marker_->setVisible(channel.has_value());
    if (channel) {
        marker_->point1->setCoords(static_cast<double>(*channel), 0);
        marker_->point2->setCoords(static_cast<double>(*channel), 1);
    }
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ChannelAbsMaxPlot::resetView() {
    plot_->xAxis->setRange(-0.5, std::max<double>(1.0, static_cast<double>(channels_) - 0.5));
    plot_->yAxis->setRange(0, largest_ > 0 ? largest_ * 1.08 : 1.0);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

int ChannelAbsMaxPlot::pointCount() const {
    return graph_->data()->size();
}

} // namespace matryx
