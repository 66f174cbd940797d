// Per-layer sensitivity on a fixture: the probes it promises, numbers that hang together, the cache,
// the model file untouched, and refusals of bad settings.
#include "TestSupport.h"

#include "analysis/FitPlan.h"
#include "ConfigSupport.h"
#include "model/Model.h"
#include "compress/Compressor.h"
#include "analysis/Sensitivity.h"
#include "device/DeviceCatalog.h"
#include "common/UserError.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace compresslab;
using testsupport::fixture;

class TestSensitivity : public QObject {
    Q_OBJECT
    QTemporaryDir m_cache;

private Q_SLOTS:
    void initTestCase() { qputenv("COMPRESSLAB_SENSITIVITY_CACHE", m_cache.path().toUtf8()); }

    void probesEveryLayerAndCaches()
    {
        const QString model = fixture(u"tiny_mlp.pt"_s);
        const QByteArray before = testsupport::sha256(model);
        SensitivityParams params;
        params.bits = {2, 8};
        params.sparsities = {0.9};
        params.samples = 200;
        const SensitivityResult r = analyseSensitivity(model, fixture(u"tiny_mlp_eval.safetensors"_s), params);
        QVERIFY(!r.fromCache);
        QCOMPARE(r.metricKey, u"accuracy"_s);
        QCOMPARE(r.samples, 200);
        QCOMPARE(r.layers.size(), 2); // fc1, fc2
        for (const LayerSensitivity &l : r.layers) {
            QCOMPARE(l.probes.size(), 3);
            QCOMPARE(l.probes.at(0).setting, u"int2"_s);
            QCOMPARE(l.probes.at(2).setting, u"prune 90%"_s);
            for (const SensitivityProbe &p : l.probes) {
                QCOMPARE(p.metric, r.baseline + p.delta);
                QVERIFY(p.kl >= 0);
            }
            QVERIFY(l.probes.at(1).kl < l.probes.at(0).kl); // 8 bits drift less than 2 bits
            QVERIFY(l.cheapScore >= 0);                     // Linear layers get the second-order score
        }
        QCOMPARE(r.rankedLayers, 2);
        QVERIFY(std::abs(std::abs(r.spearman) - 1.0) < 1e-9); // two layers: the ranks agree or they do not
        QCOMPARE(testsupport::sha256(model), before);         // probes change weights in memory only

        const SensitivityResult again = analyseSensitivity(model, fixture(u"tiny_mlp_eval.safetensors"_s), params);
        QVERIFY(again.fromCache);
        QCOMPARE(again.layers.at(1).probes.at(0).kl, r.layers.at(1).probes.at(0).kl);
        params.useCache = false;
        const SensitivityResult fresh = analyseSensitivity(model, fixture(u"tiny_mlp_eval.safetensors"_s), params);
        QVERIFY(!fresh.fromCache);
        QCOMPARE(fresh.layers.at(0).probes.at(0).kl, r.layers.at(0).probes.at(0).kl); // deterministic
    }

    void languageModelUsesPerplexity()
    {
        SensitivityParams params;
        params.bits = {4};
        params.sparsities = {};
        params.samples = 8;
        const SensitivityResult r = analyseSensitivity(fixture(u"tiny_lm.pt"_s), fixture(u"tiny_lm_eval.safetensors"_s), params);
        QCOMPARE(r.metricKey, u"perplexity"_s);
        QVERIFY(!r.higherIsBetter);
        QVERIFY(r.layers.size() >= 2);
    }

    void fitPlanMeetsItsBudgetOrSaysWhy()
    {
        FitParams params;
        params.modelPath = fixture(u"tiny_mlp.pt"_s);
        params.dataPath = fixture(u"tiny_mlp_eval.safetensors"_s);
        params.device = DeviceCatalog::load().find(u"Raspberry Pi 4"_s);
        params.matchUniformBits = 4;
        params.sensitivitySamples = 100;
        const FitResult r = fitToDevice(params);
        QVERIFY(r.feasible);
        QVERIFY(r.uniform);
        QCOMPARE(r.budgetBytes, r.uniform->weightBytes); // the budget is uniform int4's exact size
        QVERIFY(r.plan.weightBytes <= r.budgetBytes);
        QCOMPARE(r.plan.bitsPerLayer.size(), 2);
        for (int bits : r.plan.bitsPerLayer)
            QVERIFY(QList<int>({2, 3, 4, 8}).contains(bits));
        QVERIFY(r.plan.latencyMs > 0);
        QCOMPARE(r.plan.measuredLoss, r.baselineMetric - r.plan.measuredMetric); // accuracy: higher is better

        // A budget no plan can meet: said, with what the closest plan achieves.
        params.matchUniformBits.reset();
        params.maxWeightBytes = 10;
        const FitResult tooSmall = fitToDevice(params);
        QVERIFY(!tooSmall.feasible);
        QVERIFY(tooSmall.problems.join(u' ').contains(u"below the smallest plan"_s));
        QVERIFY(tooSmall.plan.weightBytes > 10);
        params.maxWeightBytes = -5;
        QVERIFY_THROWS_EXCEPTION(UserError, fitToDevice(params));
    }

    void fitPlanPrunesWhenWidthsAloneCannotFit()
    {
        // A budget one byte below every layer at 2 bits: only a pruned layer gets under it.
        const auto model = Model::load(fixture(u"tiny_mlp.pt"_s));
        const double allTwoBits = double(compressModel(*model, testsupport::config(R"({"quantize":{"bits":2}})")).report.deployedBytes);
        FitParams params;
        params.modelPath = fixture(u"tiny_mlp.pt"_s);
        params.dataPath = fixture(u"tiny_mlp_eval.safetensors"_s);
        params.device = DeviceCatalog::load().find(u"Raspberry Pi 4"_s);
        params.sensitivitySamples = 100;
        params.maxWeightBytes = allTwoBits - 1;
        const FitResult r = fitToDevice(params);
        QVERIFY2(r.feasible, qPrintable(r.problems.join(u"; "_s)));
        QVERIFY(r.plan.weightBytes <= allTwoBits - 1);
        double pruned = 0;
        for (double s : r.plan.sparsityPerLayer)
            pruned = std::max(pruned, s);
        QVERIFY(pruned == 0.5 || pruned == 0.75);
        QVERIFY(r.plan.config.contains(u"prune"_s)); // the configuration carries the per-layer ratios
        // Without pruning the same budget is impossible, and said so.
        params.sparsities = {};
        QVERIFY(!fitToDevice(params).feasible);
    }

    void badSettingsAreRefused()
    {
        SensitivityParams params;
        params.bits = {9};
        QVERIFY_THROWS_EXCEPTION(UserError, analyseSensitivity(fixture(u"tiny_mlp.pt"_s), fixture(u"tiny_mlp_eval.safetensors"_s), params));
        params.bits = {4};
        params.sparsities = {1.0};
        QVERIFY_THROWS_EXCEPTION(UserError, analyseSensitivity(fixture(u"tiny_mlp.pt"_s), fixture(u"tiny_mlp_eval.safetensors"_s), params));
        QVERIFY_THROWS_EXCEPTION(UserError, analyseSensitivity(fixture(u"truncated.pt"_s), fixture(u"tiny_mlp_eval.safetensors"_s), {}));
        QVERIFY_THROWS_EXCEPTION(UserError, analyseSensitivity(fixture(u"tiny_mlp.pt"_s), fixture(u"tiny_lm_eval.safetensors"_s), {}));
    }
};

QTEST_GUILESS_MAIN(TestSensitivity)
#include "tst_sensitivity.moc"
