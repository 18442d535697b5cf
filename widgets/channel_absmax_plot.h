#pragma once

// The largest |x| of each row or each column of a tensor as a line over the channel index: a
// spike is an outlier channel. Drag pans, the wheel zooms, a double click shows all channels.
// Shows what it is given; computes nothing.

#include <QWidget>

#include <optional>
#include <vector>

class QCPGraph;
class QCPItemStraightLine;
class QCustomPlot;

namespace matryx {

class ChannelAbsMaxPlot : public QWidget {
    Q_OBJECT
public:
    // channelName labels the x axis ("row", "column").
    explicit ChannelAbsMaxPlot(const QString& channelName, QWidget* parent = nullptr);

    // Copies `absMax`, one value per channel; empty clears the plot.
    void setValues(const std::vector<float>& absMax);
    // Draws a vertical marker at a channel (a selected outlier's row or column); nullopt removes it.
    void markChannel(std::optional<qint64> channel);
    void resetView();

    int pointCount() const;
    QCustomPlot* plot() const { return plot_; }

private:
    QCustomPlot* plot_;
    QCPGraph* graph_;
    QCPItemStraightLine* marker_;
    double largest_ = 0;
    qint64 channels_ = 0;
};

} // namespace matryx
