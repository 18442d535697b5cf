#pragma once

// Everything about one tensor on one page: its histogram (bin count, linear or log counts,
// linear or symmetric-log values), its statistics, its values of largest magnitude with row and
// column, and the largest |x| of each row and column. Selecting an outlier marks its value in
// the histogram and its row and column in the channel plots.
//
// The inspector does no I/O and no statistics: the owner computes TensorStats (off the GUI
// thread) for the tensor given to setTensor() with binCount() bins, hands them to setStats(),
// and computes again when binCountChanged() is emitted.

#include "format/model.h"
#include "tensor/quantization_error.h"
#include "tensor/tensor_stats.h"

#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QSpinBox;
class QTableView;

namespace matryx {

class ChannelAbsMaxPlot;
class HistogramPlot;
class OutlierTableModel;
class QuantizationErrorView;
class StatsPanel;

class TensorInspector : public QWidget {
    Q_OBJECT
public:
    explicit TensorInspector(QWidget* parent = nullptr);

    // Shows the tensor's name, type and shape and clears the plots until setStats() brings its
    // statistics; nullptr shows that nothing is selected. The inspector keeps a copy.
    void setTensor(const TensorInfo* tensor);
    // Shows `stats` if `name` is the tensor set last; anything else is stale and ignored.
    void setStats(const QString& name, std::shared_ptr<const TensorStats> stats);
    // Shows why the statistics of `name` could not be computed.
    void setError(const QString& name, const QString& message);
    // Shows what quantizing `name` to `type` does (overlay and error view); a null error shows
    // `type` as the reason there is none. Stale names are ignored.
    void setQuantizationError(const QString& name, const QString& type,
                              std::shared_ptr<const QuantizationError> error);
    // The type chosen under "Compare with", if any.
    std::optional<TensorType> compareType() const;
    void setCompareType(std::optional<TensorType> type);

    QString tensorName() const;
    const TensorStats* stats() const { return stats_.get(); }
    int binCount() const;
    void setBinCount(int bins);

    HistogramPlot* histogramPlot() const { return histogram_; }
    StatsPanel* statsPanel() const { return statsPanel_; }
    OutlierTableModel* outlierModel() const { return outlierModel_; }
    QTableView* outlierView() const { return outlierView_; }
    ChannelAbsMaxPlot* rowPlot() const { return rowPlot_; }
    ChannelAbsMaxPlot* columnPlot() const { return columnPlot_; }
    QSpinBox* binSpinBox() const { return bins_; }
    QComboBox* countScaleBox() const { return countScale_; }
    QComboBox* valueScaleBox() const { return valueScale_; }
    QComboBox* compareBox() const { return compare_; }
    QuantizationErrorView* quantizationErrorView() const { return errorView_; }

signals:
    // The user asked for another number of histogram bins: compute the statistics again.
    void binCountChanged(int bins);
    // The user chose another type to compare with: compute again.
    void compareTypeChanged();
    // setStats() has shown the statistics of `name`.
    void statsShown(const QString& name);

private:
    QWidget* createControls();
    QWidget* createOutlierPane();
    void showOutlier(const QModelIndex& current);
    void clearPlots();

    std::optional<TensorInfo> tensor_;
    std::shared_ptr<const TensorStats> stats_;

    QLabel* title_;
    QLabel* status_;
    QSpinBox* bins_;
    QComboBox* countScale_;
    QComboBox* valueScale_;
    HistogramPlot* histogram_;
    StatsPanel* statsPanel_;
    OutlierTableModel* outlierModel_;
    QTableView* outlierView_;
    ChannelAbsMaxPlot* rowPlot_;
    ChannelAbsMaxPlot* columnPlot_;
    QComboBox* compare_;
    QuantizationErrorView* errorView_;
};

} // namespace matryx
