// matryx: the desktop application.
//   matryx [FILE]                       open FILE, or the demo model when none is given
//   matryx --screenshot out.png [...]   render the window to a PNG once the model is open (and, with
//                                       --tensor, its statistics are shown), then quit; --compare
//                                       TYPE shows what quantizing that tensor to TYPE does

#include "gui/demo_model.h"
#include "gui/language_loader.h"
#include "gui/main_window.h"
#include "gui/tensor_stats_job.h"
#include "tensor_inspector.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <utility>

using namespace matryx;

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Matryx"));
    QApplication::setOrganizationName(QStringLiteral("Matryx"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/matryx.svg")));
    loadLanguage(QLocale::system());

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Inspect, plan and convert LLM model files."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("file"), QApplication::translate("main", "Model file or folder to open."),
                                 QStringLiteral("[file]"));
    const QCommandLineOption openOption(QStringLiteral("open"), QApplication::translate("main", "Model to open."),
                                        QStringLiteral("model"));
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"),
                                              QApplication::translate("main", "Save the window as a PNG and quit."),
                                              QStringLiteral("png"));
    const QCommandLineOption tabOption(QStringLiteral("tab"), QApplication::translate("main", "Page to show."),
                                       QStringLiteral("name"));
    const QCommandLineOption tensorOption(QStringLiteral("tensor"),
                                          QApplication::translate("main", "Tensor to select."), QStringLiteral("name"));
    const QCommandLineOption compareOption(QStringLiteral("compare"),
                                           QApplication::translate("main", "Type to compare the tensor with."),
                                           QStringLiteral("type"));
    parser.addOptions({openOption, screenshotOption, tabOption, tensorOption, compareOption});
    parser.process(app);

    QString path = parser.value(openOption);
    if (path.isEmpty() && !parser.positionalArguments().isEmpty())
        path = parser.positionalArguments().first();
    if (path.isEmpty()) {
        const QString demo = QString::fromStdString(demoModelPath().string());
        if (QFileInfo::exists(demo))
            path = demo;
    }

    MainWindow window;
    const QString screenshot = parser.value(screenshotOption);
    if (!screenshot.isEmpty()) {
        const QString tensor = parser.value(tensorOption);
        const QString tab = parser.value(tabOption);
        if (parser.isSet(compareOption)) {
            const auto type = typeFromName(parser.value(compareOption).toStdString());
            if (!type)
                std::fprintf(stderr, "matryx: no type named %s\n", qPrintable(parser.value(compareOption)));
            window.tensorInspector()->setCompareType(type);
        }
        auto grab = [&window, &app, screenshot] {
            QTimer::singleShot(100, &app, [&window, &app, screenshot] {
                const bool saved = window.grab().save(screenshot);
                if (!saved)
                    std::fprintf(stderr, "matryx: cannot write %s\n", qPrintable(screenshot));
                app.exit(saved ? 0 : 1);
            });
        };
        auto save = [&window, grab, tensor, tab](bool ok) {
            if (!tab.isEmpty() && !window.showPage(tab))
                std::fprintf(stderr, "matryx: no page named %s\n", qPrintable(tab));
            if (ok && !tensor.isEmpty() && !window.selectTensor(tensor))
                std::fprintf(stderr, "matryx: no tensor named %s\n", qPrintable(tensor));
            // The picture waits for the inspector's statistics (or why there are none), the
            // tokenizer page and the heatmap, whichever of them is still being computed.
            auto pending = std::make_shared<int>(0);
            const auto done = [pending, grab] {
                if (--*pending == 0)
                    grab();
            };
            if (window.tensorStatsJob()->isRunning()) {
                ++*pending;
                auto fired = std::make_shared<bool>(false);
                const auto once = [fired, done] {
                    if (!std::exchange(*fired, true))
                        done();
                };
                QObject::connect(window.tensorInspector(), &TensorInspector::statsShown, &window, once);
                QObject::connect(window.tensorStatsJob(), &TensorStatsJob::failed, &window, once);
            }
            if (window.isTokenizerLoading()) {
                ++*pending;
                QObject::connect(&window, &MainWindow::tokenizerShown, &window,
                                 done, Qt::SingleShotConnection);
            }
            if (window.isComputingModelStats()) {
                ++*pending;
                QObject::connect(&window, &MainWindow::heatmapShown, &window, done, Qt::SingleShotConnection);
            }
            if (window.isProbingDevice()) {
                ++*pending;
                QObject::connect(&window, &MainWindow::deviceShown, &window, done, Qt::SingleShotConnection);
            }
            if (*pending == 0)
                grab();
        };
        QObject::connect(&window, &MainWindow::modelOpened, &app, [save] { save(true); });
        QObject::connect(&window, &MainWindow::openFailed, &app, [save] { save(false); });
        if (path.isEmpty())
            save(false);
    }
    window.show();
    if (!path.isEmpty())
        window.openPath(path);
    return app.exec();
}
