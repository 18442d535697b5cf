#pragma once

// Bits per weight against predicted error: llama.cpp's uniform presets as labelled points, the
// plan being edited as a highlighted one, so that a user sees whether a Mix'n'Match plan beats the
// preset of the same size. Shows what it is given; computes nothing.

#include <QString>
#include <QWidget>

#include <optional>
#include <vector>

class QCPGraph;
class QCustomPlot;

namespace matryx {

class PlanSizeErrorChart : public QWidget {
    Q_OBJECT
public:
    struct Point {
        QString label;
        double bitsPerWeight = 0;
        double error = 0; // relative RMSE
    };

    explicit PlanSizeErrorChart(QWidget* parent = nullptr);

    void setPoints(const std::vector<Point>& presets, std::optional<Point> plan);
    int presetCount() const { return presetCount_; }
    bool showsPlan() const { return showsPlan_; }
    QCustomPlot* plot() const { return plot_; }

private:
    QCustomPlot* plot_;
    QCPGraph* presets_;
    QCPGraph* plan_;
    int presetCount_ = 0;
    bool showsPlan_ = false;
};

} // namespace matryx
