#include "channel_absmax_plot.h"
#include "gui/main_window.h"
#include "gui/tensor_stats_job.h"
#include "histogram_plot.h"
#include "outlier_table_model.h"
#include "stats_panel.h"
#include "tensor_inspector.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

#include <cmath>

using namespace matryx;

namespace {

// Opens the demo model in a shown window; the caller checks window.model().
void openDemo(MainWindow& window) {
    const QString demo = qEnvironmentVariable("MATRYX_DEMO_MODEL");
    QVERIFY2(QFileInfo::exists(demo), "demo model missing: run packaging/bootstrap.sh models");
    window.show();
    QSignalSpy opened(&window, &MainWindow::modelOpened);
    window.openPath(demo);
    QVERIFY(opened.wait(10000));
}

} // namespace

class TensorInspectorTest : public QObject {
    Q_OBJECT
private slots:
    void selectingATensorShowsItsHistogramStatisticsAndOutliers() {
        MainWindow window;
        openDemo(window);
        QVERIFY(window.model());
        TensorInspector* inspector = window.tensorInspector();
        QVERIFY(window.showPage(QStringLiteral("inspector")));
        QCOMPARE(window.currentPageName(), QStringLiteral("inspector"));
        QVERIFY(!window.showPage(QStringLiteral("no such page")));

        const QString name = QStringLiteral("blk.0.attn_q.weight");
        const TensorInfo* tensor = window.model()->findTensor(name.toStdString());
        QVERIFY(tensor);
        inspector->setBinCount(64);
        QSignalSpy shown(inspector, &TensorInspector::statsShown);
        QVERIFY(window.selectTensor(name));
        QCOMPARE(inspector->tensorName(), name);
        QVERIFY(shown.wait(20000));
        QCOMPARE(shown.last().first().toString(), name);

        // The histogram shows the asked bins, and every value of the tensor falls in one.
        HistogramPlot* histogram = inspector->histogramPlot();
        QCOMPARE(histogram->barCount(), 64);
        QCOMPARE(histogram->countSum(), static_cast<double>(tensor->elements()));
        // Log counts and symmetric-log values show the same bins and counts.
        inspector->countScaleBox()->setCurrentIndex(1);
        QVERIFY(histogram->logCounts());
        inspector->valueScaleBox()->setCurrentIndex(1);
        QCOMPARE(histogram->valueScale(), HistogramPlot::ValueScale::SymLog);
        QCOMPARE(histogram->barCount(), 64);
        QCOMPARE(histogram->countSum(), static_cast<double>(tensor->elements()));

        // The panel states the element count; max |x| of rows and columns cover the shape.
        QCOMPARE(
            inspector->statsPanel()->valueText(QStringLiteral("elements")).remove(QLocale().groupSeparator()),
            QString::number(tensor->elements()));
        QCOMPARE(inspector->rowPlot()->pointCount(), static_cast<int>(tensor->rows()));
        QCOMPARE(inspector->columnPlot()->pointCount(), static_cast<int>(tensor->rowLength()));

        // Top-k outliers: k rows, largest magnitude first, each inside the shape.
        OutlierTableModel* outliers = inspector->outlierModel();
        QAbstractItemModelTester tester(outliers, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(outliers->rowCount(), 32);
        double previous = INFINITY;
        for (int row = 0; row < outliers->rowCount(); ++row) {
            const OutlierValue& o = outliers->outlier(row);
            QVERIFY(o.row < tensor->rows());
            QVERIFY(o.column < static_cast<uint64_t>(tensor->rowLength()));
            QVERIFY(std::abs(o.value) <= previous);
            previous = std::abs(o.value);
            QCOMPARE(
                outliers->index(row, OutlierTableModel::Row).data(OutlierTableModel::SortRole).toULongLong(),
                o.row);
            QCOMPARE(outliers->index(row, OutlierTableModel::ColumnIndex)
                         .data(OutlierTableModel::SortRole)
                         .toULongLong(),
                     o.column);
        }
        QCOMPARE(static_cast<double>(std::abs(outliers->outlier(0).value)), inspector->stats()->absMax);

        // Changing the bin count computes the statistics again with the new count.
        inspector->binSpinBox()->setValue(200);
        QVERIFY(shown.wait(20000));
        QCOMPARE(histogram->barCount(), 200);
        QCOMPARE(histogram->countSum(), static_cast<double>(tensor->elements()));
        QCOMPARE(inspector->stats()->symlog.counts.size(), size_t{200});

        // Selecting an outlier in its table keeps the window usable (the marks are drawn).
        inspector->outlierView()->selectionModel()->setCurrentIndex(
            outliers->index(3, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QCOMPARE(inspector->outlierView()->currentIndex().row(), 3);
    }

    void aNewerSelectionDropsTheOlderResult() {
        MainWindow window;
        openDemo(window);
        QVERIFY(window.model());
        TensorInspector* inspector = window.tensorInspector();
        QSignalSpy shown(inspector, &TensorInspector::statsShown);
        // The first request is superseded at once; only the second tensor's statistics arrive.
        QVERIFY(window.selectTensor(QStringLiteral("token_embd.weight")));
        QVERIFY(window.selectTensor(QStringLiteral("blk.1.ffn_down.weight")));
        QVERIFY(shown.wait(20000));
        QTest::qWait(200);
        QCOMPARE(shown.count(), 1);
        QCOMPARE(shown.first().first().toString(), QStringLiteral("blk.1.ffn_down.weight"));
        const TensorInfo* tensor = window.model()->findTensor("blk.1.ffn_down.weight");
        QVERIFY(tensor);
        QCOMPARE(inspector->stats()->elements, tensor->elements());
        QCOMPARE(inspector->histogramPlot()->countSum(), static_cast<double>(tensor->elements()));
    }

    void anUnknownTensorFailsWithoutStats() {
        MainWindow window;
        openDemo(window);
        QVERIFY(window.model());
        QSignalSpy failed(window.tensorStatsJob(), &TensorStatsJob::failed);
        std::shared_ptr<const Model> model(window.model(), [](const Model*) {});
        window.tensorStatsJob()->compute(model, QStringLiteral("no.such.tensor"), 16);
        QCOMPARE(failed.count(), 1);
        QVERIFY(!window.tensorStatsJob()->isRunning());
    }
};

QTEST_MAIN(TensorInspectorTest)
#include "tensor_inspector_test.moc"
