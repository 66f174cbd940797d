// The window's model host (core/host): what it measures must equal the same work done in this process,
// and every way it can fail (a bad file, a crash while loading, a crash on the data, a kill, a cancel)
// must come back as a message or a Cancelled, with the next request served by a fresh host.
#include "TestSupport.h"

#include "common/UserError.h"
#include "compress/Compressor.h"
#include "data/Dataset.h"
#include "eval/Evaluator.h"
#include "host/ModelHostClient.h"
#include "model/Model.h"
#include "report/FromJson.h"
#include "compress/CompressionReport.h"
#include "eval/Latency.h"

#include <QtTest>

#include <atomic>
#include <csignal>
#include <thread>

using namespace Qt::StringLiterals;
using namespace compresslab;
using testsupport::fixture;

namespace {

QJsonObject evaluateRequest(const QString &model, const QString &data)
{
    return {{u"op"_s, u"evaluate"_s}, {u"model"_s, fixture(model)}, {u"data"_s, data.isEmpty() ? QString() : fixture(data)}};
}

const QJsonObject kInt4Config{{u"steps"_s, QJsonArray{u"quantize"_s}},
                              {u"quantize"_s, QJsonObject{{u"bits"_s, 4}, {u"granularity"_s, u"group"_s}, {u"group_size"_s, 8}}}};

// The isolated worker the launcher started (the launcher itself only supervises).
pid_t workerOf(qint64 launcher)
{
    QFile children(u"/proc/%1/task/%1/children"_s.arg(launcher));
    if (!children.open(QIODevice::ReadOnly))
        return 0;
    return pid_t(children.readAll().trimmed().split(' ').value(0).toLongLong());
}

} // namespace

class TestModelHost : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void evaluatesAsThisProcessWould()
    {
        ModelHostClient host(u"" CLI_PATH ""_s);
        const EvalResult remote = evalResultFromJson(host.call(evaluateRequest(u"tiny_mlp.pt"_s, u"tiny_mlp_eval.safetensors"_s)).value(u"eval"_s).toObject());
        const auto model = Model::load(fixture(u"tiny_mlp.pt"_s));
        const auto data = Dataset::load(fixture(u"tiny_mlp_eval.safetensors"_s));
        const EvalResult local = evaluate(*model, *data);
        QCOMPARE(remote.samples, local.samples);
        QCOMPARE(remote.metrics.size(), local.metrics.size());
        for (int i = 0; i < local.metrics.size(); ++i) {
            QCOMPARE(remote.metrics[i].key, local.metrics[i].key);
            QCOMPARE(remote.metrics[i].label, local.metrics[i].label);
            QCOMPARE(remote.metrics[i].higherIsBetter, local.metrics[i].higherIsBetter);
            QCOMPARE(remote.metrics[i].value, local.metrics[i].value);
        }
        QCOMPARE(remote.headline()->key, u"accuracy"_s);
        QVERIFY(!remote.runtime.blas.isEmpty());
    }

    void compressesKeepsAndEvaluatesTheKeptCopy()
    {
        ModelHostClient host(u"" CLI_PATH ""_s);
        QJsonObject quick = evaluateRequest(u"tiny_lm.pt"_s, u"tiny_lm_eval.safetensors"_s);
        quick.insert(u"config"_s, kInt4Config);
        quick.insert(u"keep_as"_s, u"int4"_s);
        quick.insert(u"limit"_s, 2);
        const QJsonObject first = host.call(quick);
        const CompressionReport report = compressionReportFromJson(first.value(u"report"_s).toObject());
        QCOMPARE(evalResultFromJson(first.value(u"eval"_s).toObject()).samples, 2);

        QJsonObject full = evaluateRequest(u"tiny_lm.pt"_s, u"tiny_lm_eval.safetensors"_s);
        full.insert(u"use_kept"_s, u"int4"_s);
        const EvalResult remote = evalResultFromJson(host.call(full).value(u"eval"_s).toObject());
        QJsonObject replaced = full;
        replaced.insert(u"use_kept"_s, u"int3"_s);
        QVERIFY_THROWS_EXCEPTION(UserError, host.call(replaced)); // never another configuration's copy

        const auto model = Model::load(fixture(u"tiny_lm.pt"_s));
        const auto data = Dataset::load(fixture(u"tiny_lm_eval.safetensors"_s));
        const CompressionResult local = compressModel(*model, parseCompressionConfig(kInt4Config), data.get());
        QCOMPARE(report.deployedBytes, local.report.deployedBytes);
        QCOMPARE(report.layers.size(), local.report.layers.size());
        QCOMPARE(report.layers.first().encoding, local.report.layers.first().encoding);
        QCOMPARE(report.config.describe(), local.report.config.describe());
        const EvalResult expected = evaluate(*local.model, *data);
        QCOMPARE(remote.samples, expected.samples);
        QCOMPARE(remote.value(u"perplexity"_s), expected.value(u"perplexity"_s));
        QVERIFY(remote.value(u"perplexity"_s) > 1);
    }

    void measuresLatency()
    {
        ModelHostClient host(u"" CLI_PATH ""_s);
        const LatencyResult r = latencyResultFromJson(
            host.call({{u"op"_s, u"latency"_s}, {u"model"_s, fixture(u"tiny_mlp.pt"_s)}, {u"data"_s, QString()}}));
        QVERIFY(r.runs >= 10);
        QVERIFY(r.medianMs > 0);
        QVERIFY(r.minMs <= r.medianMs);
        QCOMPARE(r.inputSource, u"metadata"_s);
    }

    void aBadFileIsAMessageAndTheHostStays()
    {
        ModelHostClient host(u"" CLI_PATH ""_s);
        try {
            host.call(evaluateRequest(u"bad/random_bytes.pt"_s, QString()));
            QFAIL("a random file loaded");
        } catch (const UserError &e) {
            QVERIFY2(e.message().contains("it is not a ZIP archive"_L1), qPrintable(e.message()));
        }
        const qint64 pid = host.processId();
        QVERIFY(pid > 0);
        host.call(evaluateRequest(u"tiny_mlp.pt"_s, u"tiny_mlp_eval.safetensors"_s));
        QCOMPARE(host.processId(), pid); // the same host served both
    }

    void crashesAreReportedAndTheNextRequestWorks_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("reason");
        QTest::newRow("while loading") << u"bad/crash_on_load.pt"_s << u"LibTorch crashed (SIGSEGV, segmentation fault) while reading it"_s;
        // Passes the window's one-sample probe, crashes on a batch of data.
        QTest::newRow("on the data") << u"bad/crash_on_batch.pt"_s << u"died: LibTorch crashed (SIGSEGV, segmentation fault)"_s;
    }
    void crashesAreReportedAndTheNextRequestWorks()
    {
        QFETCH(QString, model);
        QFETCH(QString, reason);
        ModelHostClient host(u"" CLI_PATH ""_s);
        try {
            host.call(evaluateRequest(model, u"tiny_mlp_eval.safetensors"_s));
            QFAIL("the hostile model ran");
        } catch (const UserError &e) {
            QVERIFY2(e.message().contains(reason), qPrintable(e.message()));
            QVERIFY2(e.message().contains("the next measurement starts the model afresh"_L1), qPrintable(e.message()));
        }
        QCOMPARE(host.processId(), 0);
        const QJsonObject again = host.call(evaluateRequest(u"tiny_mlp.pt"_s, u"tiny_mlp_eval.safetensors"_s));
        QCOMPARE(evalResultFromJson(again.value(u"eval"_s).toObject()).samples, 300);
    }

    void aWorkerKilledMidRequestIsReported()
    {
        ModelHostClient host(u"" CLI_PATH ""_s);
        QJsonObject slow = evaluateRequest(u"tiny_mlp.pt"_s, u"tiny_mlp_large.safetensors"_s);
        slow.insert(u"batch_size"_s, 1);
        bool killed = false;
        try {
            host.call(slow, [&](qint64 done, qint64) {
                if (done > 0 && !killed) {
                    killed = true;
                    kill(workerOf(host.processId()), SIGSEGV);
                }
                return true;
            });
            QFAIL("the request outlived its worker");
        } catch (const UserError &e) {
            QVERIFY(killed);
            QVERIFY2(e.message().contains("died: LibTorch crashed (SIGSEGV"_L1), qPrintable(e.message()));
        }
        QCOMPARE(evalResultFromJson(host.call(evaluateRequest(u"tiny_mlp.pt"_s, u"tiny_mlp_eval.safetensors"_s))
                                        .value(u"eval"_s).toObject()).samples, 300);
    }

    void cancelStopsTheRequestAndKeepsTheHost()
    {
        ModelHostClient host(u"" CLI_PATH ""_s);
        QJsonObject slow = evaluateRequest(u"tiny_mlp.pt"_s, u"tiny_mlp_large.safetensors"_s);
        slow.insert(u"batch_size"_s, 1);
        qint64 seenDone = 0;
        QElapsedTimer sinceCancel;
        QVERIFY_THROWS_EXCEPTION(Cancelled, host.call(slow, [&](qint64 done, qint64 total) {
            seenDone = done;
            if (done > 0 && !sinceCancel.isValid())
                sinceCancel.start();
            return !(done > 0 && total > done);
        }));
        QVERIFY(seenDone > 0);
        QVERIFY2(sinceCancel.elapsed() < 5000, "a cancel waits for one batch, not the whole set");
        const qint64 pid = host.processId();
        QVERIFY(pid > 0); // stopped, not killed
        host.call(evaluateRequest(u"tiny_mlp.pt"_s, u"tiny_mlp_eval.safetensors"_s));
        QCOMPARE(host.processId(), pid);
    }

    void aQuickRequestDoesNotWaitForALongOne()
    {
        ModelHostClient host(u"" CLI_PATH ""_s);
        QJsonObject slow = evaluateRequest(u"tiny_mlp.pt"_s, u"tiny_mlp_large.safetensors"_s);
        slow.insert(u"batch_size"_s, 1);
        std::atomic<bool> started{false}, stop{false};
        bool slowCancelled = false;
        std::thread long_([&] {
            try {
                host.call(slow, [&](qint64 done, qint64) {
                    if (done > 0)
                        started = true;
                    return !stop.load();
                });
            } catch (const Cancelled &) {
                slowCancelled = true;
            }
        });
        QTRY_VERIFY_WITH_TIMEOUT(started.load(), 20000);
        // Another model: runs of one model object take turns (model/ModelImpl.h), as they did in the window's process.
        const QJsonObject quick = host.call(evaluateRequest(u"tiny_lm.pt"_s, u"tiny_lm_eval.safetensors"_s));
        stop = true; // only now: the long one was still running while the quick one was answered
        long_.join();
        QVERIFY(slowCancelled);
        QVERIFY(evalResultFromJson(quick.value(u"eval"_s).toObject()).value(u"perplexity"_s) > 1);
    }

    void destroyingTheClientEndsTheHost()
    {
        qint64 pid = 0;
        {
            ModelHostClient host(u"" CLI_PATH ""_s);
            host.call(evaluateRequest(u"tiny_mlp.pt"_s, u"tiny_mlp_eval.safetensors"_s));
            pid = host.processId();
        }
        QVERIFY(pid > 0);
        QVERIFY(!QFileInfo::exists(u"/proc/%1"_s.arg(pid)));
    }
};

QTEST_GUILESS_MAIN(TestModelHost)
#include "tst_model_host.moc"
