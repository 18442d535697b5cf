#pragma once

// The layer heatmap: layers (rows) by tensor kinds (columns: attn_q, attn_k, ..., ffn_down),
// each cell coloured by a measure of that tensor's statistics (excess kurtosis, largest |x|,
// share of outliers). Hovering a cell names the tensor and its value; clicking it emits
// tensorActivated. Tensors outside the layers (embeddings, output) are left out; a layer without
// a kind leaves its cell blank. Shows the statistics it is given; computes none.

#include "layer_grid.h"
#include "quant/model_quantization_error.h"
#include "quant/model_stats.h"

#include <QWidget>

#include <map>
#include <memory>
#include <vector>

class QComboBox;
class QCPColorMap;
class QCPColorScale;
class QCustomPlot;
class QLabel;
class QMouseEvent;

namespace matryx {

class LayerHeatmap : public QWidget {
    Q_OBJECT
public:
    enum class Measure { Kurtosis, AbsMax, OutlierFraction, QuantizationError };

    explicit LayerHeatmap(QWidget* parent = nullptr);
    ~LayerHeatmap() override;

    // Shows `stats` (null clears the map). The kinds are ordered as a block computes them.
    void setStats(std::shared_ptr<const ModelStats> stats);
    void setMeasure(Measure measure);
    // Colours by the relative RMSE of quantizing each tensor to `bits` (2..8); asks for the
    // errors with quantizationErrorRequested until setQuantizationErrors brings them.
    void showQuantizationError(int bits);
    // The measured errors at `bits`; shown when that width is the measure.
    void setQuantizationErrors(int bits, std::shared_ptr<const std::vector<TensorQuantizationError>> errors);
    int errorBits() const { return errorBits_; }
    Measure measure() const { return measure_; }
    // Shown over the map instead of it, e.g. while statistics are computed.
    void setMessage(const QString& message);

    int layerCount() const { return grid_.layers; }
    const QStringList& kinds() const { return grid_.kinds; }
    // The tensor in a cell and its value under the current measure; empty / NaN for a blank cell.
    QString tensorAt(int layer, int kind) const;
    double valueAt(int layer, int kind) const;
    // The cell whose value is largest under the current measure, as (layer, kind); (-1, -1) if none.
    QPoint largestCell() const;
    // The centre of a cell in the plot's pixel coordinates, for tests and tooltips.
    QPoint cellCentre(int layer, int kind) const;
    QCustomPlot* plot() const { return plot_; }

signals:
    void tensorActivated(const QString& name);
    void quantizationErrorRequested(int bits);

private:
    void rebuild();
    void redraw();
    double measureOf(const TensorStatsEntry& entry) const;
    // The cell under a pixel position of the plot, or (-1, -1).
    QPoint cellAt(const QPointF& pixel) const;
    void hover(QMouseEvent* event);
    void press(QMouseEvent* event);

    QComboBox* measureBox_;
    QLabel* message_;
    QCustomPlot* plot_;
    QCPColorMap* map_;
    QCPColorScale* scale_;
    std::shared_ptr<const ModelStats> stats_;
    Measure measure_ = Measure::Kurtosis;
    int errorBits_ = 4;
    std::map<int, std::map<size_t, double>> errors_; // bits -> model tensor index -> relative RMSE
    LayerGrid grid_; // cells index stats_->tensors
};

} // namespace matryx
