#include "tensor_inspector.h"

#include "channel_absmax_plot.h"
#include "histogram_plot.h"
#include "outlier_table_model.h"
#include "quantization_error_view.h"
#include "stats_panel.h"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace matryx {

namespace {

QString describe(const TensorInfo& t) {
    QStringList dims;
    for (const int64_t d : t.shape)
        dims << QLocale().toString(static_cast<qlonglong>(d));
    const std::string_view type = typeName(t.type);
    return TensorInspector::tr("%1 · %2 · %3 values · %4 rows of %5")
        .arg(QString::fromUtf8(type.data(), static_cast<qsizetype>(type.size())),
             dims.isEmpty() ? TensorInspector::tr("scalar") : dims.join(QStringLiteral(" × ")),
             QLocale().toString(static_cast<qulonglong>(t.elements())),
             QLocale().toString(static_cast<qulonglong>(t.rows())),
             QLocale().toString(static_cast<qlonglong>(t.rowLength())));
}

} // namespace

TensorInspector::TensorInspector(QWidget* parent)
    : QWidget(parent), title_(new QLabel), status_(new QLabel), bins_(new QSpinBox),
      countScale_(new QComboBox), valueScale_(new QComboBox), histogram_(new HistogramPlot),
      statsPanel_(new StatsPanel), outlierModel_(new OutlierTableModel(this)), outlierView_(new QTableView),
      rowPlot_(new ChannelAbsMaxPlot(tr("row"))), columnPlot_(new ChannelAbsMaxPlot(tr("column"))),
      compare_(new QComboBox), errorView_(new QuantizationErrorView) {
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    status_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    auto* statsBox = new QGroupBox(tr("Statistics"));
    auto* statsLayout = new QVBoxLayout(statsBox);
    statsLayout->addWidget(statsPanel_);
    statsLayout->addStretch();

    auto* top = new QWidget;
    auto* topLayout = new QHBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(histogram_, 1);
    topLayout->addWidget(statsBox);

    auto* channelPane = new QWidget;
    auto* channelLayout = new QVBoxLayout(channelPane);
    channelLayout->addWidget(rowPlot_);
    channelLayout->addWidget(columnPlot_);
    auto* channels = new QTabWidget;
    channels->setObjectName(QStringLiteral("inspectorTabs"));
    channels->addTab(channelPane, tr("Largest |x| per row and per column"));
    channels->addTab(errorView_, tr("Quantization error"));
    // A new comparison brings its error into view.
    connect(compare_, &QComboBox::currentIndexChanged, channels, [channels, this](int index) {
        if (index > 0) channels->setCurrentWidget(errorView_);
    });

    auto* bottom = new QSplitter(Qt::Horizontal);
    bottom->addWidget(createOutlierPane());
    bottom->addWidget(channels);
    bottom->setStretchFactor(0, 0);
    bottom->setStretchFactor(1, 1);
    bottom->setSizes({320, 500});

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(top);
    split->addWidget(bottom);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);

    auto* header = new QHBoxLayout;
    header->addWidget(title_, 1);
    header->addWidget(status_);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(createControls());
    layout->addWidget(split, 1);

    setTensor(nullptr);
}

QWidget* TensorInspector::createControls() {
    bins_->setRange(2, 4096);
    bins_->setValue(128);
    bins_->setKeyboardTracking(false); // one request when typing ends, not one per digit
    bins_->setToolTip(tr("Number of histogram bins; the statistics are computed again."));
    connect(bins_, &QSpinBox::valueChanged, this, &TensorInspector::binCountChanged);

    countScale_->addItem(tr("Linear counts"));
    countScale_->addItem(tr("Log counts"));
    connect(countScale_, &QComboBox::currentIndexChanged, this,
            [this](int index) { histogram_->setLogCounts(index == 1); });

    valueScale_->addItem(tr("Linear values"));
    valueScale_->addItem(tr("Symmetric-log values"));
    valueScale_->setToolTip(tr("Symmetric log: linear near zero, logarithmic in the tails."));
    connect(valueScale_, &QComboBox::currentIndexChanged, this, [this](int index) {
        histogram_->setValueScale(index == 1 ? HistogramPlot::ValueScale::SymLog
                                             : HistogramPlot::ValueScale::Linear);
    });

    compare_->addItem(tr("Compare with: none"), -1);
    for (TensorType type : {TensorType::Q8_0, TensorType::Q6_K, TensorType::Q5_K, TensorType::Q4_K, TensorType::Q3_K,
                            TensorType::Q2_K, TensorType::Q5_0, TensorType::Q4_0, TensorType::IQ4_NL, TensorType::F16,
                            TensorType::BF16}) {
        const std::string_view name = typeName(type);
        compare_->addItem(tr("Compare with %1").arg(QString::fromLatin1(name.data(), qsizetype(name.size()))), int(type));
    }
    compare_->setToolTip(tr("Quantize the tensor to this type and show the values and the error it gives"));
    connect(compare_, &QComboBox::currentIndexChanged, this, &TensorInspector::compareTypeChanged);

    auto* controls = new QWidget;
    auto* layout = new QHBoxLayout(controls);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* binsLabel = new QLabel(tr("&Bins:"));
    binsLabel->setBuddy(bins_);
    layout->addWidget(binsLabel);
    layout->addWidget(bins_);
    layout->addSpacing(12);
    layout->addWidget(countScale_);
    layout->addWidget(valueScale_);
    layout->addSpacing(12);
    layout->addWidget(compare_);
    layout->addStretch();
    return controls;
}

QWidget* TensorInspector::createOutlierPane() {
    outlierView_->setModel(outlierModel_);
    outlierView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    outlierView_->setSelectionMode(QAbstractItemView::SingleSelection);
    outlierView_->setAlternatingRowColors(true);
    outlierView_->verticalHeader()->hide();
    outlierView_->verticalHeader()->setDefaultSectionSize(outlierView_->fontMetrics().height() + 6);
    outlierView_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    outlierView_->horizontalHeader()->setStretchLastSection(true);
    connect(outlierView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TensorInspector::showOutlier);

    auto* box = new QGroupBox(tr("Largest values"));
    box->setToolTip(tr("The values of largest magnitude; select one to mark it in the plots."));
    auto* layout = new QVBoxLayout(box);
    layout->addWidget(outlierView_);
    return box;
}

void TensorInspector::setTensor(const TensorInfo* tensor) {
    if (tensor)
        tensor_ = *tensor;
    else
        tensor_.reset();
    stats_.reset();
    clearPlots();
    if (tensor_) {
        title_->setText(QStringLiteral("<b>%1</b><br>%2")
                            .arg(QString::fromStdString(tensor_->name).toHtmlEscaped(), describe(*tensor_)));
        status_->setText(tr("Computing statistics…"));
    } else {
        title_->setText(tr("Select a tensor to inspect its values."));
        status_->clear();
    }
}

void TensorInspector::setStats(const QString& name, std::shared_ptr<const TensorStats> stats) {
    if (!stats || name != tensorName()) return;
    stats_ = std::move(stats);
    status_->clear();
    // A comparison asked for with these statistics arrives right after them.
    histogram_->setOverlay({});
    errorView_->clear();
    histogram_->setHistograms(stats_->linear, stats_->symlog, stats_->symlogLinthresh);
    histogram_->markValue(std::nullopt);
    statsPanel_->setStats(stats_.get());
    outlierModel_->setOutliers(stats_->topOutliers, stats_->mean, stats_->std);
    rowPlot_->setValues(stats_->rowAbsMax);
    columnPlot_->setValues(stats_->columnAbsMax);
    emit statsShown(name);
}

void TensorInspector::setError(const QString& name, const QString& message) {
    if (name != tensorName()) return;
    clearPlots();
    status_->setText(tr("Cannot compute statistics: %1").arg(message));
}

void TensorInspector::setQuantizationError(const QString& name, const QString& type,
                                           std::shared_ptr<const QuantizationError> error) {
    if (name != tensorName()) return;
    histogram_->setOverlay(error ? error->quantized : Histogram{});
    errorView_->setError(type, std::move(error));
}

std::optional<TensorType> TensorInspector::compareType() const {
    const int value = compare_->currentData().toInt();
    return value < 0 ? std::nullopt : std::optional<TensorType>(TensorType(value));
}

void TensorInspector::setCompareType(std::optional<TensorType> type) {
    compare_->setCurrentIndex(std::max(0, type ? compare_->findData(int(*type)) : 0));
}

void TensorInspector::clearPlots() {
    histogram_->clear();
    errorView_->clear();
    statsPanel_->setStats(nullptr);
    outlierModel_->clear();
    rowPlot_->setValues({});
    columnPlot_->setValues({});
}

void TensorInspector::showOutlier(const QModelIndex& current) {
    if (!current.isValid() || current.row() >= outlierModel_->rowCount()) {
        histogram_->markValue(std::nullopt);
        rowPlot_->markChannel(std::nullopt);
        columnPlot_->markChannel(std::nullopt);
        return;
    }
    const OutlierValue& o = outlierModel_->outlier(current.row());
    histogram_->markValue(o.value);
    rowPlot_->markChannel(static_cast<qint64>(o.row));
    columnPlot_->markChannel(static_cast<qint64>(o.column));
}

QString TensorInspector::tensorName() const {
    return tensor_ ? QString::fromStdString(tensor_->name) : QString();
}

int TensorInspector::binCount() const {
    return bins_->value();
}

void TensorInspector::setBinCount(int bins) {
    bins_->setValue(bins);
}

} // namespace matryx
