#include "gui/language_loader.h"
#include "gui/main_window.h"
#include "gui/model_stats_job.h"
#include "gui/recent_files.h"
#include "tensor/quantization_error.h"
#include "gui/tensor_stats_job.h"
#include "histogram_plot.h"
#include "quantization_error_view.h"
#include "layer_heatmap.h"
#include "plan_editor.h"
#include "log_view.h"
#include "metadata_view.h"
#include "model_browser.h"
#include "model_summary_label.h"
#include "tensor_inspector.h"
#include "tokenizer_view.h"

#include "base/log.h"

#include <QDropEvent>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QToolButton>
#include <QUndoStack>
#include <qcustomplot.h>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QUrl>

#include <cmath>
#include <thread>

using namespace matryx;

class MainWindowTest : public QObject {
    Q_OBJECT
private:
    static QStringList logEntries(const MainWindow& window) {
        QStringList entries;
        for (int row = 0; row < window.logView()->entryCount(); ++row)
            entries << window.logView()->entryText(row);
        return entries;
    }

    QTemporaryDir settingsDir_;
    QString demo_;

private slots:
    void initTestCase() {
        // Recent files go to a throw-away settings file, never the user's.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
        QCoreApplication::setOrganizationName(QStringLiteral("MatryxTest"));
        QCoreApplication::setApplicationName(QStringLiteral("main_window_test"));
        demo_ = qEnvironmentVariable("MATRYX_DEMO_MODEL");
    }

    void opensTheDemoModelIntoEveryPage() {
        QVERIFY2(QFileInfo::exists(demo_), "demo model missing: run packaging/bootstrap.sh models");
        MainWindow window;
        window.show();
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        QSignalSpy tokenizerShown(&window, &MainWindow::tokenizerShown);
        window.openPath(demo_);
        QVERIFY(opened.wait(10000));
        QVERIFY(window.model());
        const int tensors = static_cast<int>(window.model()->tensors.size());
        QCOMPARE(tensors, 272);

        // The tree: Embeddings, Layer 0 .. Layer 29 in numeric order, Output.
        ModelBrowser* browser = window.modelBrowser();
        QAbstractItemModel* tree = browser->view()->model();
        QCOMPARE(tree->rowCount(), 32);
        QCOMPARE(tree->index(0, 0).data().toString(), QStringLiteral("Embeddings"));
        QCOMPARE(tree->index(3, 0).data().toString(), QStringLiteral("Layer 2"));
        QCOMPARE(tree->index(11, 0).data().toString(), QStringLiteral("Layer 10"));
        QCOMPARE(tree->index(31, 0).data().toString(), QStringLiteral("Output"));
        QCOMPARE(browser->visibleTensorCount(), tensors);

        // The filter narrows the tree to the first block's tensors.
        browser->filterEdit()->setText(QStringLiteral("blk.0."));
        QCOMPARE(tree->rowCount(), 1);
        QCOMPARE(browser->visibleTensorCount(), 9);
        browser->filterEdit()->clear();

        // Selecting a tensor in the tree shows it in the inspector.
        QVERIFY(window.selectTensor(QStringLiteral("blk.0.attn_q.weight")));
        QCOMPARE(window.tensorInspector()->tensorName(), QStringLiteral("blk.0.attn_q.weight"));
        QVERIFY(!window.selectTensor(QStringLiteral("no.such.tensor")));

        // Metadata and tokenizer pages, and the status bar.
        QCOMPARE(window.metadataView()->table()->model()->rowCount(), static_cast<int>(window.model()->metadata.size()));
        QVERIFY(tokenizerShown.count() > 0 || tokenizerShown.wait(10000));
        QVERIFY(window.tokenizerView()->tokenizer());
        QCOMPARE(window.tokenizerView()->tokenizer()->vocabulary().size(), size_t{49152});
        QVERIFY(window.summaryLabel()->text().startsWith(QStringLiteral("llama · GGUF · ")));
        QVERIFY(window.summaryLabel()->text().contains(QStringLiteral("bits/weight")));

        for (const QString& page : {QStringLiteral("metadata"), QStringLiteral("tokenizer"), QStringLiteral("inspector"),
                                   QStringLiteral("browser")}) {
            QVERIFY(window.showPage(page));
            QCOMPARE(window.currentPageName(), page);
        }
        QVERIFY(!window.showPage(QStringLiteral("nothing")));
    }

    void theHeatmapFindsTheLargestOutliersAndOpensThemInTheInspector() {
        QVERIFY2(QFileInfo::exists(demo_), "demo model missing: run packaging/bootstrap.sh models");
        MainWindow window;
        window.show();
        QSignalSpy shown(&window, &MainWindow::heatmapShown);
        window.openPath(demo_);
        QVERIFY(shown.wait(60000));
        LayerHeatmap* map = window.layerHeatmap();
        QCOMPARE(map->layerCount(), 30);
        QCOMPARE(map->kinds(), (QStringList{QStringLiteral("attn_q"), QStringLiteral("attn_k"), QStringLiteral("attn_v"),
                                            QStringLiteral("attn_output"), QStringLiteral("ffn_gate"),
                                            QStringLiteral("ffn_up"), QStringLiteral("ffn_down")}));
        QVERIFY(!window.statsProgress()->isVisible());
        QVERIFY(window.showPage(QStringLiteral("heatmap")));
        map->setMeasure(LayerHeatmap::Measure::AbsMax);
        const QPoint largest = map->largestCell();
        const QString name = map->tensorAt(largest.x(), largest.y());
        QVERIFY(!name.isEmpty());
        // Its value is the largest |x| the statistics of that tensor report.
        for (int layer = 0; layer < map->layerCount(); ++layer)
            for (int kind = 0; kind < map->kinds().size(); ++kind)
                QVERIFY(std::isnan(map->valueAt(layer, kind)) || map->valueAt(layer, kind) <= map->valueAt(largest.x(), largest.y()));
        map->plot()->replot();
        QTest::mouseClick(map->plot(), Qt::LeftButton, Qt::NoModifier, map->cellCentre(largest.x(), largest.y()));
        QCOMPARE(window.currentPageName(), QStringLiteral("inspector"));
        QCOMPARE(window.tensorInspector()->tensorName(), name);

        // Colour by the error at 4 bits: measured on request, the same as measuring that tensor alone.
        QSignalSpy errors(&window, &MainWindow::heatmapShown);
        map->showQuantizationError(4);
        QVERIFY(errors.wait(60000));
        QCOMPARE(map->measure(), LayerHeatmap::Measure::QuantizationError);
        const int down = int(map->kinds().indexOf(QStringLiteral("ffn_down")));
        const TensorInfo* t = window.model()->findTensor("blk.3.ffn_down.weight");
        auto alone = measureQuantizationError(t->type, window.model()->data(*t), t->shape, TensorType::Q4_K, {}, 0,
                                              Progress::none());
        QVERIFY(alone);
        QCOMPARE(map->valueAt(3, down), alone->relativeRmse);
        const double at4 = map->valueAt(3, down);
        map->showQuantizationError(2);
        QVERIFY(errors.wait(60000));
        QVERIFY(map->valueAt(3, down) > at4);

        // Opening the same file again takes the statistics from the cache.
        QSignalSpy again(&window, &MainWindow::heatmapShown);
        window.openPath(demo_);
        QVERIFY(again.wait(10000));
        QVERIFY(window.modelStatsJob()->wasCached());
        QCOMPARE(map->layerCount(), 30);
    }

    void cancellingTheModelStatisticsLeavesAMessage() {
        QVERIFY2(QFileInfo::exists(demo_), "demo model missing: run packaging/bootstrap.sh models");
        MainWindow window;
        window.show();
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        QSignalSpy cancelled(window.modelStatsJob(), &ModelStatsJob::cancelled);
        window.openPath(demo_);
        QVERIFY(opened.wait(10000));
        QVERIFY(window.isComputingModelStats());
        QVERIFY(window.statsCancelButton()->isVisible());
        window.statsCancelButton()->click();
        QCOMPARE(cancelled.count(), 1);
        QVERIFY(!window.isComputingModelStats());
        QVERIFY(!window.statsCancelButton()->isVisible());
        QCOMPARE(window.layerHeatmap()->layerCount(), 0);
        // A late result of the cancelled run is dropped.
        QTest::qWait(1500);
        QCOMPARE(window.layerHeatmap()->layerCount(), 0);
    }

    void savesAndLoadsThePlan() {
        QVERIFY2(QFileInfo::exists(demo_), "demo model missing: run packaging/bootstrap.sh models");
        MainWindow window;
        window.show();
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        window.openPath(demo_);
        QVERIFY(opened.wait(10000));
        PlanEditor* editor = window.planEditor();
        QVERIFY(window.showPage(QStringLiteral("plan")));
        editor->addRule(QStringLiteral("attn_output"), TensorType::Q8_0);
        const Plan edited = editor->plan();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("demo.plan.json"));
        QVERIFY(window.savePlanTo(path));
        editor->undoStack()->undo();
        QVERIFY(editor->plan() != edited);
        QVERIFY(window.loadPlanFrom(path));
        QCOMPARE(editor->plan(), edited);
        editor->undoStack()->undo(); // loading is one edit
        QVERIFY(editor->plan() != edited);

        QFile bad(dir.filePath(QStringLiteral("bad.json")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{\"version\": 1, \"base\": \"Q9_9\"}");
        bad.close();
        QVERIFY(!window.loadPlanFrom(bad.fileName()));
        auto* box = window.findChild<QMessageBox*>(QStringLiteral("planErrorDialog"));
        QVERIFY(box);
        QVERIFY(box->informativeText().contains(QStringLiteral("Q9_9")));
    }

    void comparingWithATypeShowsItsValuesAndError() {
        QVERIFY2(QFileInfo::exists(demo_), "demo model missing: run packaging/bootstrap.sh models");
        MainWindow window;
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        window.openPath(demo_);
        QVERIFY(opened.wait(10000));
        QSignalSpy measured(window.tensorStatsJob(), &TensorStatsJob::quantizationMeasured);
        QVERIFY(window.selectTensor(QStringLiteral("blk.3.ffn_down.weight")));
        window.tensorInspector()->setCompareType(TensorType::Q3_K);
        QVERIFY(measured.wait(30000));
        QCOMPARE(measured.last().at(0).toString(), QStringLiteral("blk.3.ffn_down.weight"));
        QCOMPARE(measured.last().at(1).toString(), QStringLiteral("Q3_K"));
        TensorInspector* inspector = window.tensorInspector();
        const double elements = 1536.0 * 576.0;
        QCOMPARE(inspector->histogramPlot()->overlayCountSum(), elements); // every value, within the bins
        QCOMPARE(inspector->quantizationErrorView()->errorCountSum(), elements);
        const QuantizationError* error = inspector->quantizationErrorView()->error();
        QVERIFY(error && error->rmse > 0 && error->relativeRmse < 0.5);
        QVERIFY(inspector->quantizationErrorView()->summary()->text().startsWith(QStringLiteral("Q3_K: RMSE")));

        // Rows of 576 are no whole 256-blocks: the measurement names llama.cpp's fallback.
        QVERIFY(window.selectTensor(QStringLiteral("blk.3.attn_q.weight")));
        QVERIFY(measured.wait(30000));
        QVERIFY(measured.last().at(1).toString().startsWith(QStringLiteral("Q4_0 (for Q3_K: rows of 576)")));
        // Choosing none removes the overlay.
        inspector->setCompareType(std::nullopt);
        QTRY_VERIFY(inspector->stats() && !window.tensorStatsJob()->isRunning());
        QCOMPARE(inspector->histogramPlot()->overlayCountSum(), 0.0);
    }

    void thePlanEditorPredictsItsErrorFromMeasurements() {
        QVERIFY2(QFileInfo::exists(demo_), "demo model missing: run packaging/bootstrap.sh models");
        MainWindow window;
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        window.openPath(demo_);
        QVERIFY(opened.wait(10000));
        PlanEditor* editor = window.planEditor();
        editor->predictError();
        QTRY_VERIFY_WITH_TIMEOUT(editor->predictedError().has_value(), 120000);
        const double q4km = *editor->predictedError();
        QVERIFY(q4km > 0.01 && q4km < 0.5);
        editor->setPlan(Plan::fromPreset(LlamaFileType::Q8_0), QStringLiteral("Q8_0"));
        QTRY_VERIFY_WITH_TIMEOUT(editor->predictedError().has_value(), 120000);
        QVERIFY(*editor->predictedError() < q4km); // eight bits lose less than four
    }

    void showsTheComputeDevice() {
        MainWindow window;
        QSignalSpy shown(&window, &MainWindow::deviceShown);
        QVERIFY(!window.isProbingDevice() || shown.wait(30000));
        const QString text = window.deviceLabel()->text();
        QVERIFY2(text == QStringLiteral("Device: CPU") || text.startsWith(QStringLiteral("Device: OpenCL ")),
                 qPrintable(text));
    }

    void aBadFileShowsAnErrorDialog() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.gguf"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("GGUF\x03\x00\x00\x00truncated", 17);
        file.close();

        MainWindow window;
        window.show();
        QSignalSpy failed(&window, &MainWindow::openFailed);
        window.openPath(path);
        QVERIFY(failed.wait(10000));
        auto* box = window.findChild<QMessageBox*>(QStringLiteral("openErrorDialog"));
        QVERIFY(box);
        QVERIFY(box->isVisible());
        QVERIFY(box->informativeText().contains(path));
        QVERIFY(!window.model());
        // The log panel has the error too (next to what the device probe logs meanwhile).
        QTRY_VERIFY2(logEntries(window).filter(path).size() == 1, qPrintable(logEntries(window).join(u'\n')));
        QVERIFY(!window.recentFiles().contains(QFileInfo(path).absoluteFilePath()));
    }

    void aMissingFileShowsAnErrorDialog() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("gone.gguf"));
        MainWindow window;
        window.show();
        QSignalSpy failed(&window, &MainWindow::openFailed);
        window.openPath(path);
        QVERIFY(failed.wait(10000));
        auto* box = window.findChild<QMessageBox*>(QStringLiteral("openErrorDialog"));
        QVERIFY(box);
        QVERIFY(box->informativeText().contains(path));
    }

    void droppingAFileOpensIt() {
        QVERIFY2(QFileInfo::exists(demo_), "demo model missing: run packaging/bootstrap.sh models");
        MainWindow window;
        window.show();
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(demo_)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &drop);
        QVERIFY(opened.wait(10000));
        QCOMPARE(QString::fromStdString(window.model()->path.string()), demo_);
    }

    void coreLogMessagesReachThePanel() {
        MainWindow window;
        std::thread worker([] { logWarning("message from a worker thread"); });
        worker.join();
        QTRY_COMPARE(logEntries(window).count(QStringLiteral("message from a worker thread")), 1);
    }

    void recentFilesKeepTheNewestTenAndDropMissingOnes() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("recent.ini")), QSettings::IniFormat);
        RecentFiles recent(settings);
        QStringList made;
        for (int i = 0; i < 12; ++i) {
            made << dir.filePath(QStringLiteral("m%1.gguf").arg(i));
            QFile file(made.last());
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
        for (const QString& path : made)
            recent.add(path);
        recent.add(made[5]); // again: moves to the top, not twice
        QStringList expected{made[5], made[11], made[10], made[9], made[8], made[7], made[6], made[4], made[3], made[2]};
        QCOMPARE(recent.paths(), expected);

        QVERIFY(QFile::remove(made[9]));
        QVERIFY(QFile::remove(made[3]));
        QCOMPARE(recent.removeMissing(), (QStringList{made[9], made[3]}));
        expected.removeAll(made[9]);
        expected.removeAll(made[3]);
        QCOMPARE(recent.paths(), expected);
        QCOMPARE(RecentFiles(settings).paths(), expected); // kept in the settings
    }

    void openingAddsToTheRecentMenu() {
        QVERIFY2(QFileInfo::exists(demo_), "demo model missing: run packaging/bootstrap.sh models");
        {
            QSettings settings;
            RecentFiles(settings).clear();
            RecentFiles(settings).add(settingsDir_.filePath(QStringLiteral("deleted.gguf")));
        }
        MainWindow window;
        // The missing file is dropped when the menu is built.
        QVERIFY(window.recentFiles().isEmpty());
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        window.openPath(demo_);
        QVERIFY(opened.wait(10000));
        QCOMPARE(window.recentFiles(), QStringList{QFileInfo(demo_).absoluteFilePath()});
        QStringList tips;
        for (QAction* action : window.recentMenu()->actions())
            tips << action->toolTip();
        QVERIFY(tips.contains(QFileInfo(demo_).absoluteFilePath()));
    }

    void switchingLanguageChangesVisibleStrings() {
        const auto fileMenuTitle = [] {
            MainWindow window;
            return window.menuBar()->actions().first()->text();
        };
        QVERIFY(loadLanguage(QLocale(QLocale::German)));
        QCOMPARE(fileMenuTitle(), QStringLiteral("&Datei"));
        QVERIFY(loadLanguage(QLocale(QLocale::French)));
        QCOMPARE(fileMenuTitle(), QStringLiteral("&Fichier"));
        QVERIFY(!loadLanguage(QLocale(QLocale::English)));
        QCOMPARE(fileMenuTitle(), QStringLiteral("&File"));
    }
};

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
