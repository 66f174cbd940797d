// Runs Model ▸ Fit to Device… or Model ▸ Sweep… on a real model and saves a PNG of the dialog with its results,
// for the user guide (docs/user-guide.md):
//   dialog_screenshot fit MODEL DATA DEVICE UNIFORM_BITS OUT.png
//   dialog_screenshot sweep MODEL DATA BITS,... PERCENT,... OUT.png
#include "dialogs/FitDialog.h"
#include "dialogs/SweepDialog.h"
#include "jobs/Job.h"
#include "panels/TunePanel.h"
#include "runtime/ProcessSetup.h"

#include <QApplication>
#include <QComboBox>
#include <QEventLoop>
#include <QPushButton>
#include <QSpinBox>
#include <QTextStream>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace compresslab;

namespace {

// Lets the dialog lay out its final texts, then grabs it.
int grabAfterFinishing(QWidget &dialog, const QString &out)
{
    QEventLoop settle;
    QTimer::singleShot(500, &settle, &QEventLoop::quit);
    settle.exec();
    return dialog.grab().save(out) ? 0 : 2;
}

} // namespace

int main(int argc, char **argv)
{
    ensureShortThreadWaiting(argv);
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    QTextStream err(stderr);
    if (args.size() != 7 || (args[1] != "fit"_L1 && args[1] != "sweep"_L1)) {
        err << "usage: dialog_screenshot fit MODEL DATA DEVICE UNIFORM_BITS OUT.png\n"
               "       dialog_screenshot sweep MODEL DATA BITS,... PERCENT,... OUT.png\n";
        return 1;
    }
    TunePanel tune;
    QEventLoop done;
    if (args[1] == "fit"_L1) {
        FitDialog dialog(args[2], args[3], &tune);
        const int device = dialog.deviceBox()->findText(args[4]);
        if (device < 0) {
            err << "no device profile named " << args[4] << '\n';
            return 1;
        }
        dialog.deviceBox()->setCurrentIndex(device);
        dialog.uniformBitsBox()->setValue(args[5].toInt());
        dialog.show();
        QObject::connect(&dialog, &FitDialog::planned, &done, &QEventLoop::quit);
        QObject::connect(&dialog, &FitDialog::failed, &done, [&](const QString &why) { err << why << '\n'; done.exit(1); });
        dialog.runButton()->click();
        if (done.exec() != 0)
            return 1;
        return grabAfterFinishing(dialog, args[6]);
    }
    SweepDialog dialog(args[2], args[3], &tune);
    for (const QString &b : {u"2"_s, u"3"_s, u"4"_s, u"5"_s, u"6"_s, u"8"_s, u"fp16"_s})
        dialog.setBitsTicked(b, args[4].split(u',').contains(b));
    for (int p : {0, 25, 50, 75})
        dialog.setPruningTicked(p, args[5].split(u',').contains(QString::number(p)));
    dialog.show();
    QObject::connect(&dialog, &SweepDialog::sweepFinished, &done, &QEventLoop::quit);
    dialog.run();
    done.exec();
    return grabAfterFinishing(dialog, args[6]);
}
