#include "gui/language_loader.h"
#include "gui/main_window.h"

#include <QFile>
#include <QFileInfo>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace matryx;

class MainWindowTest : public QObject {
    Q_OBJECT
private slots:
    void opensTheDemoModelAndListsItsTensors() {
        const QString demo = qEnvironmentVariable("MATRYX_DEMO_MODEL");
        QVERIFY2(QFileInfo::exists(demo), "demo model missing: run packaging/bootstrap.sh models");
        MainWindow window;
        window.show();
        QSignalSpy opened(&window, &MainWindow::modelOpened);
        window.openPath(demo);
        QVERIFY(opened.wait(10000));
        QVERIFY(window.model());
        const int tensors = static_cast<int>(window.model()->tensors.size());
        QVERIFY(tensors > 100);
        QCOMPARE(window.tensorView()->model()->rowCount(), tensors);

        // The filter narrows the list to the first block's tensors.
        window.filterEdit()->setText(QStringLiteral("blk.0."));
        const int filtered = window.tensorView()->model()->rowCount();
        QVERIFY(filtered > 0 && filtered < tensors);
        for (int row = 0; row < filtered; ++row)
            QVERIFY(window.tensorView()->model()->index(row, 0).data().toString().startsWith(QStringLiteral("blk.0.")));

        QVERIFY(window.selectTensor(QStringLiteral("blk.0.attn_q.weight")));
        QVERIFY(!window.selectTensor(QStringLiteral("no.such.tensor")));
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
