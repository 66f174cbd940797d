// Evaluation must reproduce PyTorch's numbers, honour limits and cancel, and explain mismatches;
// latency measurement must produce sane statistics.
#include "TestSupport.h"

#include "common/UserError.h"
#include "data/Dataset.h"
#include "eval/Evaluator.h"
#include "eval/Latency.h"
#include "model/Model.h"

#include <QDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace compresslab;
using testsupport::expected;
using testsupport::fixture;

class TestEvaluator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void classificationMatchesPyTorch_data()
    {
        QTest::addColumn<int>("batch");
        QTest::newRow("batch 1") << 1;
        QTest::newRow("batch 7 (ragged last batch)") << 7;
        QTest::newRow("batch 64") << 64;
        QTest::newRow("batch larger than the set") << 1000;
    }
    void classificationMatchesPyTorch()
    {
        QFETCH(int, batch);
        const auto model = Model::load(fixture(u"tiny_mlp.pt"_s));
        const auto data = Dataset::load(fixture(u"tiny_mlp_eval.safetensors"_s));
        EvalParams params;
        params.batchSize = batch;
        const EvalResult r = evaluate(*model, *data, params);
        const QJsonObject ref = expected(u"tiny_mlp"_s).value("metrics"_L1).toObject();
        QCOMPARE(r.samples, qint64(300));
        QCOMPARE(r.task, Task::Classification);
        QCOMPARE(r.value(u"accuracy"_s), ref.value("accuracy"_L1).toDouble());
        QCOMPARE(r.value(u"top5_accuracy"_s), ref.value("top5_accuracy"_L1).toDouble());
        QVERIFY(r.runtime.threads >= 1);
        QVERIFY(!r.runtime.blas.isEmpty());
    }

    void limitEvaluatesThePrefix()
    {
        const auto model = Model::load(fixture(u"tiny_mlp.pt"_s));
        const auto data = Dataset::load(fixture(u"tiny_mlp_eval.safetensors"_s));
        EvalParams params;
        params.limit = 100;
        const EvalResult r = evaluate(*model, *data, params);
        QCOMPARE(r.samples, qint64(100));
        QCOMPARE(r.value(u"accuracy"_s), expected(u"tiny_mlp"_s).value("metrics_first_100"_L1).toObject().value("accuracy"_L1).toDouble());
    }

    void languageModelMatchesPyTorchWithMask()
    {
        const auto model = Model::load(fixture(u"tiny_lm.pt"_s));
        const auto data = Dataset::load(fixture(u"tiny_lm_eval.safetensors"_s));
        QVERIFY(data->info().hasMask);
        EvalParams params;
        params.batchSize = 16;
        const EvalResult r = evaluate(*model, *data, params);
        const QJsonObject ref = expected(u"tiny_lm"_s).value("metrics"_L1).toObject();
        QVERIFY(qAbs(r.value(u"loss"_s) - ref.value("loss"_L1).toDouble()) < 1e-5);
        QVERIFY(qAbs(r.value(u"perplexity"_s) / ref.value("perplexity"_L1).toDouble() - 1) < 1e-4);
        QCOMPARE(r.value(u"token_accuracy"_s), ref.value("token_accuracy"_L1).toDouble());
    }

    void progressReachesTotalAndCanCancel()
    {
        const auto model = Model::load(fixture(u"tiny_mlp.pt"_s));
        const auto data = Dataset::load(fixture(u"tiny_mlp_eval.safetensors"_s));
        EvalParams params;
        params.batchSize = 50;
        QVector<qint64> seen;
        evaluate(*model, *data, params, [&](qint64 done, qint64 total) {
            seen.push_back(done);
            return total == 300;
        });
        QCOMPARE(seen.first(), qint64(0));
        QCOMPARE(seen.last(), qint64(300));
        int batches = 0;
        QVERIFY_THROWS_EXCEPTION(Cancelled, evaluate(*model, *data, params, [&](qint64 done, qint64) {
            return done == 0 || ++batches < 2; // stop after the second batch
        }));
        QCOMPARE(batches, 2);
    }

    void mismatchesAreExplained_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("data");
        QTest::addColumn<QString>("reason");
        QTest::newRow("input shape") << u"tiny_mlp.pt"_s << u"wrong_shape.safetensors"_s << u"the input does not fit the model"_s;
        QTest::newRow("more classes than outputs") << u"tiny_mlp.pt"_s << u"too_many_classes.safetensors"_s << u"the model has 3 classes"_s;
        QTest::newRow("task") << u"tiny_mlp.pt"_s << u"tiny_lm_eval.safetensors"_s << u"the model is for classification"_s;
        QTest::newRow("tokens into a CNN") << u"tiny_cnn.pt"_s << u"tiny_lm_eval.safetensors"_s << u"the model is for classification"_s;
    }
    void mismatchesAreExplained()
    {
        QFETCH(QString, model);
        QFETCH(QString, data);
        QFETCH(QString, reason);
        const auto m = Model::load(fixture(model));
        const auto d = Dataset::load(fixture(data));
        try {
            evaluate(*m, *d);
            QFAIL("evaluated a mismatched dataset");
        } catch (const UserError &e) {
            QVERIFY2(e.message().contains(reason), qPrintable(e.message()));
        }
    }

    void datasetWithoutTargetsIsRejected()
    {
        try {
            Dataset::load(fixture(u"no_targets.safetensors"_s));
            QFAIL("accepted a dataset without targets");
        } catch (const UserError &e) {
            QVERIFY2(e.message().contains("'inputs' and 'targets'"_L1), qPrintable(e.message()));
        }
    }

    // The window sizes its quick subset from the header alone (the model host holds the tensors): every
    // dataset fixture, good or bad, gets the same description or the same refusal as a full load.
    void theHeaderAloneDescribesTheDataset_data()
    {
        QTest::addColumn<QString>("file");
        int rows = 0;
        for (const QString &sub : {QString(), u"bad/"_s}) {
            for (const QString &f : QDir(fixture(sub)).entryList({u"*.safetensors"_s}, QDir::Files)) {
                QTest::newRow(qPrintable(sub + f)) << fixture(sub + f);
                ++rows;
            }
        }
        QVERIFY2(rows >= 20, "the dataset fixtures are missing");
    }
    void theHeaderAloneDescribesTheDataset()
    {
        QFETCH(QString, file);
        QString loadError, infoError;
        DatasetInfo loaded, read;
        try {
            loaded = Dataset::load(file)->info();
        } catch (const UserError &e) {
            loadError = e.message();
        }
        try {
            read = readDatasetInfo(file);
        } catch (const UserError &e) {
            infoError = e.message();
        }
        QCOMPARE(infoError, loadError);
        QCOMPARE(read.path, loaded.path);
        QCOMPARE(read.name, loaded.name);
        QCOMPARE(read.task, loaded.task);
        QCOMPARE(read.samples, loaded.samples);
        QCOMPARE(read.inputShape, loaded.inputShape);
        QCOMPARE(read.inputDtype, loaded.inputDtype);
        QCOMPARE(read.targetShape, loaded.targetShape);
        QCOMPARE(read.hasMask, loaded.hasMask);
        QCOMPARE(read.metadata, loaded.metadata);
    }

    void latencyStatisticsAreConsistent()
    {
        const auto model = Model::load(fixture(u"tiny_lm.pt"_s));
        LatencyParams params;
        params.batch = 4;
        params.minRuns = 5;
        params.targetSeconds = 0.05;
        const LatencyResult r = measureLatency(*model, params);
        QVERIFY(r.runs >= 5);
        QVERIFY(r.minMs > 0);
        QVERIFY(r.minMs <= r.medianMs);
        QVERIFY(r.medianMs <= r.p90Ms);
        QCOMPARE(r.inputShape, (QVector<qint64>{4, 6}));
        QCOMPARE(r.inputSource, u"metadata"_s);
    }

    void latencyNeedsAnInputShape()
    {
        const auto model = Model::load(fixture(u"no_metadata.pt"_s));
        QVERIFY_THROWS_EXCEPTION(UserError, measureLatency(*model, LatencyParams{}));
        const auto data = Dataset::load(fixture(u"tiny_mlp_eval.safetensors"_s));
        LatencyParams params;
        params.minRuns = 2;
        params.targetSeconds = 0.01;
        const LatencyResult r = measureLatency(*model, params, data.get());
        QCOMPARE(r.inputSource, u"dataset"_s);
        QCOMPARE(r.inputShape, (QVector<qint64>{1, 1, 4, 4}));
    }
};

QTEST_GUILESS_MAIN(TestEvaluator)
#include "tst_evaluator.moc"
