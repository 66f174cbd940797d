// Live feel of the compression controls (docs/performance.md): opens a model in the real window (offscreen),
// moves the bits and sparsity controls through a series of positions, and measures
//  - how long after the control stops moving the live point appears (quick subset) and settles (full set),
//  - the longest stall of the GUI thread's event loop while the jobs run (a 2 ms timer's largest gap),
// against a peer: the same compress + quick evaluation called directly in this process, without the window.
//
// usage: live_feel MODEL [DATASET]   (DATASET defaults to eval.safetensors beside MODEL)
#include "LiveTuning.h"
#include "MainWindow.h"
#include "Settings.h"
#include "charts/TradeoffChart.h"
#include "compress/Compressor.h"
#include "data/Dataset.h"
#include "eval/Evaluator.h"
#include "model/Model.h"
#include "model/ModelImpl.h"
#include "panels/TunePanel.h"
#include "runtime/ProcessSetup.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace compresslab;

namespace {

double median(QVector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v[v.size() / 2];
}

// Sleeps in a real event loop until the spy has a signal. (processEvents(flags, ms) drops WaitForMoreEvents
// and returns at once when idle: looping on it kept the GUI thread busy and halved the cores the jobs had.)
void waitFor(QSignalSpy &spy, int timeoutMs)
{
    if (!spy.isEmpty())
        return;
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    QTimer poll; // QSignalSpy has no signal of its own: look at it every millisecond, asleep in between
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (!spy.isEmpty())
            loop.quit();
    });
    timeout.start(timeoutMs);
    poll.start(1);
    loop.exec();
}

} // namespace

int main(int argc, char **argv)
{
    ensureShortThreadWaiting(argv); // as the window starts (runtime/ProcessSetup.h)
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: live_feel MODEL [DATASET]\n");
        return 1;
    }
    const QString modelPath = QString::fromLocal8Bit(argv[1]);
    const QString dataPath = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QFileInfo(modelPath).absolutePath() + u"/eval.safetensors"_s;
    QTemporaryDir dir;
    Settings::instance().setHistoryPath(dir.filePath(u"live.sqlite"_s));

    MainWindow w;
    w.resize(1280, 800);
    w.show();
    QSignalSpy loaded(&w, &MainWindow::modelLoaded);
    QElapsedTimer openClock;
    openClock.start();
    w.openModel(modelPath);
    if (!loaded.wait(60000))
        return 2;
    const double openMs = openClock.nsecsElapsed() / 1e6; // the isolated probe; the window loads nothing itself
    LiveTuning *live = w.liveTuning();
    QSignalSpy shown(live, &LiveTuning::livePointShown);
    w.setDatasetPath(dataPath);

    // The event loop's longest stall: a 2 ms timer should fire every 2 ms; its largest gap is the stall.
    QElapsedTimer loopClock;
    loopClock.start();
    qint64 lastTick = 0, longestGap = 0;
    bool watching = false;
    QTimer ticker;
    ticker.setInterval(2);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const qint64 now = loopClock.nsecsElapsed();
        if (watching && lastTick > 0)
            longestGap = std::max(longestGap, now - lastTick);
        lastTick = now;
    });
    ticker.start();

    // Let the first measurement (the controls' initial state) and the baseline evaluation finish.
    QSignalSpy recorded(live, &LiveTuning::recorded);
    shown.clear();
    QVector<double> quickMs, fullMs;
    const QVector<std::pair<int, int>> positions{{8, 0}, {6, 0}, {4, 0}, {3, 0}, {2, 0}, {4, 30}, {4, 50}, {3, 50}, {8, 50}, {5, 0}};
    watching = true;
    for (const auto &[bits, sparsity] : positions) {
        // A drag: the control passes through a neighbouring value first.
        w.tunePanel()->bitsSlider()->setValue(bits == 8 ? 7 : bits + 1);
        w.tunePanel()->sparsitySlider()->setValue(sparsity);
        w.tunePanel()->bitsSlider()->setValue(bits);
        QElapsedTimer stopped;
        stopped.start();
        shown.clear();
        recorded.clear();
        waitFor(shown, 60000);
        quickMs << stopped.nsecsElapsed() / 1e6;
        waitFor(recorded, 120000);
        fullMs << stopped.nsecsElapsed() / 1e6;
    }
    watching = false;

    // Peer: the same work without the window (compress a copy, evaluate the quick subset), in this process.
    QElapsedTimer loadClock;
    loadClock.start();
    const auto model = Model::load(modelPath);
    const double loadMs = loadClock.nsecsElapsed() / 1e6; // what the window used to add after the probe
    const auto data = Dataset::load(dataPath);
    QVector<double> peerMs, compressMs, evalMs;
    for (const auto &[bits, sparsity] : positions) {
        QJsonObject json{{u"quantize"_s, QJsonObject{{u"bits"_s, bits}}}};
        if (sparsity > 0)
            json.insert(u"prune"_s, QJsonObject{{u"sparsity"_s, sparsity / 100.0}});
        QElapsedTimer t;
        t.start();
        const CompressionResult r = compressModel(*model, parseCompressionConfig(json), data.get());
        compressMs << t.nsecsElapsed() / 1e6;
        EvalParams p;
        p.limit = live->quickSamples();
        evaluate(*r.model, *data, p);
        peerMs << t.nsecsElapsed() / 1e6;
        evalMs << peerMs.back() - compressMs.back();
    }
    // The copy every compression starts from (the loaded model is never touched).
    QVector<double> copyMs;
    for (int i = 0; i < positions.size(); ++i) {
        QElapsedTimer t;
        t.start();
        const torch::jit::Module copy = model->impl().module.deepcopy();
        copyMs << t.nsecsElapsed() / 1e6;
    }
    std::printf("model %s, %d positions, quick subset %lld samples, debounce %d ms\n", qPrintable(QFileInfo(modelPath).absoluteFilePath()),
                int(positions.size()), qint64(live->quickSamples()), LiveTuning::kDebounceMs);
    std::printf("open (isolated probe, description from its JSON): %.0f ms; the in-process load it replaced: %.0f ms\n",
                openMs, loadMs);
    std::printf("live point (quick) after the control stops: median %.0f ms, max %.0f ms\n", median(quickMs),
                *std::max_element(quickMs.begin(), quickMs.end()));
    std::printf("settled (full set, recorded):            median %.0f ms, max %.0f ms\n", median(fullMs), *std::max_element(fullMs.begin(), fullMs.end()));
    std::printf("peer, compress + quick evaluation direct: median %.0f ms  (window overhead incl. debounce: %.0f ms)\n", median(peerMs),
                median(quickMs) - median(peerMs));
    std::printf("  of which compress a copy: median %.0f ms (the copy alone: %.1f ms), quick evaluation: median %.0f ms\n",
                median(compressMs), median(copyMs), median(evalMs));
    std::printf("longest GUI event-loop stall while jobs ran: %.1f ms\n", longestGap / 1e6);
    return 0;
}
