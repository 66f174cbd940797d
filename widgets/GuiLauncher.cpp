#include "GuiLauncher.h"

#include "MainWindow.h"
#include "Settings.h"
#include "Translation.h"
#include "jobs/Job.h"
#include "LiveTuning.h"
#include "devices/DeviceEstimates.h"
#include "devices/DeviceView.h"
#include "panels/DistillPanel.h"
#include "panels/TunePanel.h"

#include <QSlider>
#include "zoo/Zoo.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QFileInfo>
#include <QScreen>
#include <QTabWidget>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

// After the model (and an evaluation or a distillation if asked) is done, grab the window and quit.
// Grabs once the device estimates have caught up with the controls (they run after a debounce), at most 20 s on.
void grabWhenSettled(MainWindow &window, const QString &file, int triesLeft = 200)
{
    if (triesLeft > 0 && !window.deviceView()->estimates()->isSettled()) {
        QTimer::singleShot(100, &window, [&window, file, triesLeft] { grabWhenSettled(window, file, triesLeft - 1); });
        return;
    }
    const bool ok = window.grab().save(file);
    QApplication::exit(ok ? 0 : 2);
}

void armScreenshot(MainWindow &window, const QString &file, bool evaluateFirst, int distillBits, int tuneBits)
{
    auto shoot = [&window, file] { QTimer::singleShot(400, &window, [&window, file] { grabWhenSettled(window, file); }); };
    // An error is shown in a dialog, a window of its own: grab the whole screen so that it is in the shot.
    QObject::connect(&window, &MainWindow::errorShown, &window, [&window, file](const QString &) {
        QTimer::singleShot(600, &window, [file] {
            const bool ok = QGuiApplication::primaryScreen()->grabWindow(0).save(file);
            QApplication::exit(ok ? 0 : 2);
        });
    });
    QObject::connect(&window, &MainWindow::modelLoaded, &window, [&window, evaluateFirst, distillBits, tuneBits, shoot] {
        if (tuneBits > 0 && !window.datasetPath().isEmpty()) {
            // With --evaluate too, the original's evaluation follows the measurement: every panel is filled.
            QObject::connect(window.liveTuning(), &LiveTuning::recorded, &window, [&window, evaluateFirst, shoot] {
                if (!evaluateFirst)
                    return shoot();
                window.evaluate();
                QObject::connect(&window, &MainWindow::jobFinished, &window, shoot, Qt::SingleShotConnection);
            }, Qt::SingleShotConnection);
            QTimer::singleShot(0, &window, [&window, tuneBits] { window.tunePanel()->bitsSlider()->setValue(tuneBits); });
            return;
        }
        if (distillBits > 0 && !window.datasetPath().isEmpty()) {
            window.distillPanel()->setBits(distillBits);
            if (auto *dock = window.findChild<QDockWidget *>(u"distillDock"_s))
                dock->raise(); // it shares the right-hand side with the compression controls
            QObject::connect(window.distillPanel(), &DistillPanel::finished, &window, shoot, Qt::SingleShotConnection);
            QTimer::singleShot(0, window.distillPanel(), &DistillPanel::start);
            return;
        }
        if (!evaluateFirst || window.datasetPath().isEmpty()) {
            shoot();
            return;
        }
        // After the load job has finished: its own jobFinished must not trigger the shot.
        QTimer::singleShot(0, &window, [&window, shoot] {
            window.evaluate();
            QObject::connect(&window, &MainWindow::jobFinished, &window, shoot, Qt::SingleShotConnection);
        });
    });
}

} // namespace

int runGui(int &argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"compresslab"_s);
    QApplication::setOrganizationName(u"compresslab"_s);
    QApplication::setApplicationDisplayName(u"CompressLab"_s);
    QApplication::setApplicationVersion(QStringLiteral(COMPRESSLAB_VERSION));
    // Before anything shows text (the --help output included): the chosen language, else the system's.
    installTranslators(Settings::instance().language());

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "CompressLab: a workbench for compressing neural networks."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(u"MODEL"_s, QApplication::translate("main", "TorchScript model to open."), u"[MODEL]"_s);
    const QCommandLineOption screenshot(u"screenshot"_s, QApplication::translate("main", "Save a PNG of the window once the model is open, then quit."), u"FILE"_s);
    const QCommandLineOption evaluate(u"evaluate"_s, QApplication::translate("main", "Evaluate the model on its dataset after opening it."));
    const QCommandLineOption distill(u"distill"_s, QApplication::translate("main", "With --screenshot: first distill the model quantized to BITS, other settings as the panel's defaults."), u"BITS"_s);
    const QCommandLineOption tune(u"bits"_s, QApplication::translate("main", "With --screenshot: first move the quantization control to BITS and wait for its measurement."), u"BITS"_s);
    const QCommandLineOption presentation(u"presentation"_s, QApplication::translate("main", "Start in presentation mode: larger texts, lines and markers (F5 toggles)."));
    const QCommandLineOption tab(u"tab"_s, QApplication::translate("main", "Show the chart tab or the docked panel titled NAME (for example Devices or Jobs)."), u"NAME"_s);
    parser.addOptions({screenshot, evaluate, distill, tune, presentation, tab});
    parser.process(app);

    MainWindow window;
    if (parser.isSet(presentation))
        window.setPresentationMode(true);
    if (parser.isSet(screenshot))
        armScreenshot(window, parser.value(screenshot), parser.isSet(evaluate), parser.value(distill).toInt(), parser.value(tune).toInt());
    else if (parser.isSet(evaluate))
        QObject::connect(&window, &MainWindow::modelLoaded, &window, &MainWindow::evaluate, Qt::SingleShotConnection);
    if (parser.isSet(tab)) {
        const auto tabs = window.findChildren<QTabWidget *>();
        for (QTabWidget *t : tabs) {
            for (int i = 0; i < t->count(); ++i) {
                if (t->tabText(i).remove(u'&').compare(parser.value(tab), Qt::CaseInsensitive) == 0)
                    t->setCurrentIndex(i);
            }
        }
        for (QDockWidget *dock : window.findChildren<QDockWidget *>()) { // a dock behind another's tab: "Jobs"
            if (dock->windowTitle().startsWith(parser.value(tab), Qt::CaseInsensitive))
                QTimer::singleShot(0, dock, &QDockWidget::raise);
        }
    }
    window.show();

    // First model: the one named on the command line, else the last one, else the first built demo model.
    QString first = parser.positionalArguments().value(0);
    if (first.isEmpty() && QFileInfo::exists(Settings::instance().lastModel()))
        first = Settings::instance().lastModel();
    if (first.isEmpty()) {
        for (const ZooEntry &e : zooEntries()) {
            if (e.built) {
                first = e.modelPath;
                break;
            }
        }
    }
    if (!first.isEmpty())
        QTimer::singleShot(0, &window, [&window, first] { window.openModel(first); });
    else if (parser.isSet(screenshot))
        QTimer::singleShot(0, &window, [&window, file = parser.value(screenshot)] { QApplication::exit(window.grab().save(file) ? 0 : 2); });
    return app.exec();
}

} // namespace compresslab
