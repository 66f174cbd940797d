// Threads of one process setting their thread counts while another runs qnnpack kernels, as the model host's
// request threads do. LibTorch's at::set_num_threads rebuilt qnnpack's process-wide pool under such a run,
// which then waited forever (the window's int8 export hung in the engine timing).
#include "TestSupport.h"

#include "compress/Int8Kernels.h"
#include "data/Dataset.h"
#include "eval/Evaluator.h"
#include "model/Model.h"
#include "runtime/RuntimeInfo.h"

#include <QElapsedTimer>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

using namespace Qt::StringLiterals;
using namespace compresslab;
using testsupport::fixture;

class TestRuntimeThreads : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void qnnpackKeepsRunningWhileOtherThreadsConfigureTheirs()
    {
        if (QThread::idealThreadCount() < 2)
            QSKIP("one processor: qnnpack runs on the calling thread and has no pool to lose");
        const auto lm = Model::load(fixture(u"tiny_lm.pt"_s));
        const auto data = Dataset::load(fixture(u"tiny_lm_eval.safetensors"_s));
        const Int8Conversion q = convertLinearsToInt8(*lm, {}, u"qnnpack"_s);
        QCOMPARE(packedInt8Engine(*q.model), u"qnnpack"_s);

        // The whole scenario runs on its own thread: when a run hangs, so may the threads waiting for it.
        std::atomic<int> qnnpackRuns{0}, before{0}, started{0};
        std::mutex m;
        std::condition_variable done;
        bool finished = false;
        std::thread([&] {
            std::atomic<bool> stop{false};
            std::thread runner([&] {
                EvalParams params;
                params.threads = 2; // qnnpack's pool, not the calling thread alone
                while (!stop)
                    if (evaluate(*q.model, *data, params).samples > 0)
                        ++qnnpackRuns;
            });
            // Fresh threads, each configuring its count and running a model, for two seconds.
            QElapsedTimer clock;
            clock.start();
            while (clock.elapsed() < 2000) {
                std::thread([&, threads = 1 + started % 2] {
                    configureRuntime(threads);
                    EvalParams params;
                    params.threads = threads;
                    params.limit = 8;
                    evaluate(*lm, *data, params);
                }).join();
                ++started;
            }
            before = qnnpackRuns.load();
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            stop = true;
            runner.join();
            std::lock_guard<std::mutex> lock(m);
            finished = true;
            done.notify_one();
        }).detach();
        std::unique_lock<std::mutex> lock(m);
        if (!done.wait_for(lock, std::chrono::seconds(60), [&] { return finished; }))
            qFatal("a run hung: qnnpack %d runs, %d other threads started", qnnpackRuns.load(), started.load());
        QVERIFY2(qnnpackRuns > before, qPrintable(u"%1 runs, none after the other threads stopped"_s.arg(before.load())));
        QVERIFY(started > 10);
    }

    // Each thread keeps the count it set: another thread's choice does not change it.
    void eachThreadKeepsItsOwnCount()
    {
        QCOMPARE(configureRuntime(2).threads, 2);
        int other = 0;
        std::thread([&] { other = configureRuntime(1).threads; }).join();
        QCOMPARE(other, 1);
        QCOMPARE(currentRuntime().threads, 2);
        QCOMPARE(configureRuntime(1).qnnpackThreads, 1); // one thread: qnnpack runs on the caller, not its pool
    }
};

QTEST_GUILESS_MAIN(TestRuntimeThreads)
#include "tst_runtime_threads.moc"
