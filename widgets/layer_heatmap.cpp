#include "layer_heatmap.h"


#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QToolTip>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace matryx {

namespace {

constexpr int kErrorItem = 100; // measure box data: kErrorItem + bits

} // namespace

LayerHeatmap::LayerHeatmap(QWidget* parent)
    : QWidget(parent), measureBox_(new QComboBox), message_(new QLabel), plot_(new QCustomPlot) {
    measureBox_->addItem(tr("Excess kurtosis"), int(Measure::Kurtosis));
    measureBox_->addItem(tr("Largest |x|"), int(Measure::AbsMax));
    measureBox_->addItem(tr("Share of outliers"), int(Measure::OutlierFraction));
    for (int bits : {2, 3, 4, 5, 6, 8})
        measureBox_->addItem(tr("Quantization error at %1 bits (relative RMSE)").arg(bits), kErrorItem + bits);
    connect(measureBox_, &QComboBox::currentIndexChanged, this, [this](int index) {
        const int value = measureBox_->itemData(index).toInt();
        if (value >= kErrorItem)
            showQuantizationError(value - kErrorItem);
        else
            setMeasure(Measure(value));
    });

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Colour by:")));
    top->addWidget(measureBox_);
    top->addStretch();
    message_->setAlignment(Qt::AlignCenter);
    message_->setWordWrap(true);

    map_ = new QCPColorMap(plot_->xAxis, plot_->yAxis);
    scale_ = new QCPColorScale(plot_);
    plot_->plotLayout()->addElement(0, 1, scale_);
    map_->setColorScale(scale_);
    QCPColorGradient gradient(QCPColorGradient::gpThermal);
    gradient.setNanHandling(QCPColorGradient::nhTransparent);
    map_->setGradient(gradient);
    map_->setInterpolate(false);
    plot_->yAxis->setRangeReversed(true); // layer 0 on top, as the model tree lists it
    plot_->yAxis->setLabel(tr("layer"));
    plot_->xAxis->setTickLabelRotation(30);
    plot_->setMouseTracking(true);
    connect(plot_, &QCustomPlot::mouseMove, this, &LayerHeatmap::hover);
    connect(plot_, &QCustomPlot::mousePress, this, &LayerHeatmap::press);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(message_);
    layout->addWidget(plot_, 1);
    setMessage(tr("Open a model to see its layers."));
}

LayerHeatmap::~LayerHeatmap() = default;

void LayerHeatmap::setMessage(const QString& message) {
    message_->setText(message);
    message_->setVisible(!message.isEmpty());
}

void LayerHeatmap::setStats(std::shared_ptr<const ModelStats> stats) {
    stats_ = std::move(stats);
    errors_.clear(); // they belong to the model the statistics were of
    if (measure_ == Measure::QuantizationError) measure_ = Measure::Kurtosis;
    {
        const QSignalBlocker quiet(measureBox_); // the cells are rebuilt below
        measureBox_->setCurrentIndex(measureBox_->findData(int(measure_)));
    }
    rebuild();
}

void LayerHeatmap::setMeasure(Measure measure) {
    if (measure == Measure::QuantizationError) return showQuantizationError(errorBits_);
    measure_ = measure;
    const int index = measureBox_->findData(int(measure));
    if (index != measureBox_->currentIndex()) measureBox_->setCurrentIndex(index);
    if (stats_) setMessage({});
    redraw();
}

void LayerHeatmap::showQuantizationError(int bits) {
    measure_ = Measure::QuantizationError;
    errorBits_ = bits;
    const int index = measureBox_->findData(kErrorItem + bits);
    if (index >= 0 && index != measureBox_->currentIndex()) measureBox_->setCurrentIndex(index);
    if (stats_ && !errors_.count(bits)) {
        setMessage(tr("Measuring the error of every matrix at %1 bits…").arg(bits));
        emit quantizationErrorRequested(bits);
    } else if (stats_) {
        setMessage({});
    }
    redraw();
}

void LayerHeatmap::setQuantizationErrors(int bits, std::shared_ptr<const std::vector<TensorQuantizationError>> errors) {
    auto& byTensor = errors_[bits];
    byTensor.clear();
    if (errors)
        for (const auto& e : *errors)
            byTensor[e.index] = e.relativeRmse;
    if (measure_ == Measure::QuantizationError && bits == errorBits_) {
        setMessage({});
        redraw();
    }
}

double LayerHeatmap::measureOf(const TensorStatsEntry& e) const {
    switch (measure_) {
    case Measure::Kurtosis: return e.stats.excessKurtosis;
    case Measure::AbsMax: return e.stats.absMax;
    case Measure::OutlierFraction: return e.stats.outlierFraction;
    case Measure::QuantizationError: {
        const auto width = errors_.find(errorBits_);
        if (width == errors_.end()) break;
        const auto value = width->second.find(e.index);
        if (value != width->second.end()) return value->second;
        break;
    }
    }
    return std::numeric_limits<double>::quiet_NaN();
}

void LayerHeatmap::rebuild() {
    grid_ = stats_ ? LayerGrid::of(stats_->tensors) : LayerGrid{};

    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int k = 0; k < grid_.kinds.size(); ++k)
        ticker->addTick(k, grid_.kinds[k]);
    plot_->xAxis->setTicker(ticker);
    map_->data()->setSize(std::max<int>(int(grid_.kinds.size()), 1), std::max(grid_.layers, 1));
    map_->data()->setRange(QCPRange(0, std::max<int>(int(grid_.kinds.size()) - 1, 1)), QCPRange(0, std::max(grid_.layers - 1, 1)));
    plot_->xAxis->setRange(-0.5, grid_.kinds.size() - 0.5);
    plot_->yAxis->setRange(-0.5, grid_.layers - 0.5);
    if (!stats_)
        setMessage(tr("Open a model to see its layers."));
    else if (grid_.cells.empty())
        setMessage(tr("This model has no layers of matrices to show."));
    else
        setMessage({});
    redraw();
}

void LayerHeatmap::redraw() {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (int layer = 0; layer < grid_.layers; ++layer)
        for (int k = 0; k < grid_.kinds.size(); ++k)
            map_->data()->setCell(k, layer, valueAt(layer, k));
    if (grid_.cells.empty()) map_->data()->fill(nan);
    map_->rescaleDataRange(true);
    scale_->axis()->setLabel(measureBox_->currentText());
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

QString LayerHeatmap::tensorAt(int layer, int kind) const {
    const int i = grid_.at(layer, kind);
    return i < 0 ? QString() : QString::fromStdString(stats_->tensors[size_t(i)].name);
}

double LayerHeatmap::valueAt(int layer, int kind) const {
    const int i = grid_.at(layer, kind);
    return i < 0 ? std::numeric_limits<double>::quiet_NaN() : measureOf(stats_->tensors[size_t(i)]);
}

QPoint LayerHeatmap::largestCell() const {
    QPoint best(-1, -1);
    double largest = -std::numeric_limits<double>::infinity();
    for (int layer = 0; layer < grid_.layers; ++layer)
        for (int k = 0; k < grid_.kinds.size(); ++k)
            if (const double v = valueAt(layer, k); !std::isnan(v) && v > largest) {
                largest = v;
                best = QPoint(layer, k);
            }
    return best;
}

QPoint LayerHeatmap::cellCentre(int layer, int kind) const {
    return QPoint(int(plot_->xAxis->coordToPixel(kind)), int(plot_->yAxis->coordToPixel(layer)));
}

QPoint LayerHeatmap::cellAt(const QPointF& pixel) const {
    const int kind = int(std::lround(plot_->xAxis->pixelToCoord(pixel.x())));
    const int layer = int(std::lround(plot_->yAxis->pixelToCoord(pixel.y())));
    if (layer < 0 || layer >= grid_.layers || kind < 0 || kind >= grid_.kinds.size()) return {-1, -1};
    return {layer, kind};
}

void LayerHeatmap::hover(QMouseEvent* event) {
    const QPoint cell = cellAt(event->position());
    const QString name = tensorAt(cell.x(), cell.y());
    if (name.isEmpty()) {
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(event->globalPosition().toPoint(),
                       tr("%1\n%2: %3").arg(name, measureBox_->currentText()).arg(valueAt(cell.x(), cell.y()), 0, 'g', 4),
                       plot_);
}

void LayerHeatmap::press(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    const QPoint cell = cellAt(event->position());
    const QString name = tensorAt(cell.x(), cell.y());
    if (!name.isEmpty()) emit tensorActivated(name);
}

} // namespace matryx
