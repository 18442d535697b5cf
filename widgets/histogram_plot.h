#pragma once

// A histogram of a tensor's values in QCustomPlot: bars over the bin edges the statistics made,
// counts on a linear or a log axis, values on a linear or a symmetric-log axis. Drag pans, the
// wheel zooms, a double click shows everything again. Shows what it is given; computes nothing.

#include "tensor/histogram_builder.h"

#include <QWidget>

#include <optional>

class QCPBars;
class QCPGraph;
class QCPItemStraightLine;
class QCustomPlot;

namespace matryx {

class HistogramPlot : public QWidget {
    Q_OBJECT
public:
    enum class ValueScale { Linear, SymLog };

    explicit HistogramPlot(QWidget* parent = nullptr);

    // Shows `linear` (equal-width bins) or `symlog` (bins equal in symlog(x, linthresh)) as the
    // value scale asks; both are copied. Empty histograms clear the plot.
    void setHistograms(const Histogram& linear, const Histogram& symlog, double linthresh);
    void clear();

    void setValueScale(ValueScale scale);
    ValueScale valueScale() const { return scale_; }
    void setLogCounts(bool log);
    bool logCounts() const { return logCounts_; }

    // Overlays the histogram of the values after quantization, over the same linear edges, as a
    // step line (shown with linear values); an empty histogram removes it.
    void setOverlay(const Histogram& quantized);
    // The overlay's count sum, for tests; 0 without one.
    double overlayCountSum() const;

    // Draws a vertical marker at `value` (a selected outlier); nullopt removes it.
    void markValue(std::optional<double> value);
    // Shows all bins again after zooming or panning.
    void resetView();

    // What the plot shows, for tests: the number of bars and the sum of their counts.
    int barCount() const;
    double countSum() const;
    QCustomPlot* plot() const { return plot_; }

private:
    void rebuild();
    double toAxis(double value) const;

    QCustomPlot* plot_;
    QCPBars* bars_;
    QCPGraph* overlay_;
    Histogram overlayData_;
    QCPItemStraightLine* marker_;
    Histogram linear_;
    Histogram symlog_;
    double linthresh_ = 1;
    ValueScale scale_ = ValueScale::Linear;
    bool logCounts_ = false;
    std::optional<double> marked_;
};

} // namespace matryx
