// The weight histogram of one layer before and after a compression: hand-computed grids, after-values on
// the grid, bin counts, pruned zeros, skipped / fp16 / codebook / low-rank / tied / shrunk / empty layers,
// and "after" equal to what compressing the whole model gives.
#include "ConfigSupport.h"
#include "TestSupport.h"

#include "analysis/WeightHistogram.h"
#include "common/UserError.h"
#include "compress/Compressor.h"
#include "model/ModelImpl.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <numeric>

using namespace Qt::StringLiterals;
using namespace compresslab;
using testsupport::config;
using testsupport::fixture;

namespace {


double sum(const QVector<double> &v) { return std::accumulate(v.begin(), v.end(), 0.0); }

// A model built here, with weights we can compute grids for by hand: fc is a 4x4 Linear holding
// (i - 7.5) / 7.5 for i = 0..15 (row 0 the most negative), so per tensor the extreme is -1 (first on ties).
// norm is a LayerNorm (not compressible); empty a Conv2d with no elements.
std::shared_ptr<Model> handModel(const QString &dir)
{
    torch::jit::Module fc("__torch__.Linear");
    fc.register_parameter("weight", (torch::arange(16, torch::kFloat) - 7.5f).div(7.5f).reshape({4, 4}), false);
    fc.register_parameter("bias", torch::zeros({4}), false);
    fc.define("def forward(self, x):\n    return torch.matmul(x, self.weight.t()) + self.bias\n");
    torch::jit::Module norm("__torch__.LayerNorm");
    norm.register_parameter("weight", torch::ones({4}), false);
    norm.define("def forward(self, x):\n    return x * self.weight\n");
    torch::jit::Module empty("__torch__.Conv2d");
    empty.register_parameter("weight", torch::zeros({0, 1, 3, 3}), false);
    empty.define("def forward(self, x):\n    return x\n");
    torch::jit::Module root("__torch__.Hand");
    root.register_module("fc", fc);
    root.register_module("norm", norm);
    root.register_module("empty", empty);
    root.define("def forward(self, x):\n    return self.norm.forward(self.fc.forward(self.empty.forward(x)))\n");
    const QString path = dir + u"/hand.pt"_s;
    root.save(path.toStdString());
    return Model::load(path);
}

torch::Tensor weightIn(const Model &model, const QString &layer)
{
    return modulesByPath(model.impl().module).value(layer).attr("weight").toTensor().detach().to(torch::kFloat);
}

// Every value of `t` is one of `levels`.
bool allOnGrid(const torch::Tensor &t, const QVector<double> &levels)
{
    const torch::Tensor flat = t.reshape({-1}).contiguous();
    for (int64_t i = 0; i < flat.numel(); ++i) {
        if (!levels.contains(double(flat.data_ptr<float>()[i])))
            return false;
    }
    return true;
}

} // namespace

class TestWeightHistogram : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::shared_ptr<Model> m_hand;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_hand = handModel(m_dir.path());
    }

    void perTensorGridByHand_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QVector<double>>("levels");
        // Symmetric: d = extreme / -(2^b / 2) = -1 / -2 = 0.5 (fp16-exact); levels q * d for q = -2..1.
        QTest::newRow("int2 sym") << R"({"quantize":{"bits":2,"granularity":"tensor"}})"_ba << QVector<double>{-1, -0.5, 0, 0.5};
        // 4 bits: d = 1/8, q = -8..7.
        QVector<double> four;
        for (int q = -8; q <= 7; ++q)
            four << q * 0.125;
        QTest::newRow("int4 sym") << R"({"quantize":{"bits":4,"granularity":"tensor"}})"_ba << four;
        // Asymmetric 2 bits: s = fp16(2/3) = 0.66650390625, z = round(1 / s) = 2; levels (q - 2) * s.
        const double s = 0.66650390625;
        QTest::newRow("int2 asym") << R"({"quantize":{"bits":2,"granularity":"tensor","symmetric":false}})"_ba
                                   << QVector<double>{double(float(-2) * float(s)), double(float(-1) * float(s)), 0, s};
    }

    void perTensorGridByHand()
    {
        QFETCH(QByteArray, json);
        QFETCH(QVector<double>, levels);
        const CompressionConfig c = config(json.constData());
        WeightHistogramParams p;
        p.layer = u"fc"_s;
        p.bins = 40;
        const WeightHistogram h = computeWeightHistogram(*m_hand, c, p);
        QCOMPARE(h.gridKind, WeightGridKind::Integer);
        QCOMPARE(h.groupUnit, WeightGroupUnit::Tensor);
        QCOMPARE(h.gridCount, 1);
        QCOMPARE(h.gridGroup, 0);
        QCOMPARE(h.gridLevels, levels);
        QCOMPARE(h.binEdges.size(), 41);
        QCOMPARE(sum(h.before), 16.0);
        QCOMPARE(sum(h.after), 16.0);
        QVERIFY(h.distinctAfter <= levels.size());
        QCOMPARE(h.distinctBefore, 16);
        // The compressed model's own values (the whole model compressed) all lie on the grid.
        const CompressionResult full = compressModel(*m_hand, c);
        QVERIFY(allOnGrid(weightIn(*full.model, u"fc"_s), h.gridLevels));
        // Each occupied after-bin holds a grid level.
        for (int i = 0; i < h.after.size(); ++i) {
            if (h.after[i] == 0)
                continue;
            bool level = false;
            for (double l : h.gridLevels)
                level = level || (l >= h.binEdges[i] - 1e-12 && l <= h.binEdges[i + 1] + 1e-12);
            QVERIFY2(level, qPrintable(u"bin %1 holds values off the grid"_s.arg(i)));
        }
        QVERIFY(h.maxAbsError > 0);
        QVERIFY(h.meanAbsError <= h.maxAbsError);
    }

    void perChannelShowsWidestGroup()
    {
        // Per channel: 4 rows, each its own grid; the widest is row 0 (|extreme| 1) and row 3 (0.8667 < 1).
        WeightHistogramParams p;
        p.layer = u"fc"_s;
        const WeightHistogram h = computeWeightHistogram(*m_hand, config(R"({"quantize":{"bits":3}})"), p);
        QCOMPARE(h.groupUnit, WeightGroupUnit::Channel);
        QCOMPARE(h.gridCount, 4);
        QCOMPARE(h.gridGroup, 0);
        QVERIFY(h.gridWidest);
        QCOMPARE(h.gridLevels.size(), 8);
        QCOMPARE(h.gridLevels.first(), -1.0); // q = -4 at d = 0.25
        QCOMPARE(h.encoding, u"int3 per-channel sym"_s);
        // A chosen channel: row 2 holds 1/15..7/15, extreme 7/15 → d = fp16(-(7/15) / 4).
        p.group = 2;
        const WeightHistogram row2 = computeWeightHistogram(*m_hand, config(R"({"quantize":{"bits":3}})"), p);
        QCOMPARE(row2.gridGroup, 2);
        QVERIFY(!row2.gridWidest);
        const float d = float(c10::Half(float(7.0 / 15.0) / -4.0f));
        QCOMPARE(row2.gridLevels.last(), double(float(-4) * d));
        p.group = 4;
        QVERIFY_THROWS_EXCEPTION(UserError, computeWeightHistogram(*m_hand, config(R"({"quantize":{"bits":3}})"), p));
    }

    void pruningZerosMatchTheRatio_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<qint64>("zeros");
        QTest::newRow("50%") << R"({"prune":{"sparsity":0.5}})"_ba << qint64(8);
        QTest::newRow("75% + int4") << R"({"prune":{"sparsity":0.75},"quantize":{"bits":4}})"_ba << qint64(12);
        QTest::newRow("2:4") << R"({"prune":{"pattern":"2:4"}})"_ba << qint64(8);
        QTest::newRow("int4 only") << R"({"quantize":{"bits":4}})"_ba << qint64(0);
    }

    void pruningZerosMatchTheRatio()
    {
        QFETCH(QByteArray, json);
        QFETCH(qint64, zeros);
        WeightHistogramParams p;
        p.layer = u"fc"_s;
        const WeightHistogram h = computeWeightHistogram(*m_hand, config(json.constData()), p);
        QCOMPARE(h.prunedZeros, zeros);
        QVERIFY(h.zerosAfter >= zeros);
        QCOMPARE(sum(h.after), 16.0);
        if (zeros > 0 && !json.contains("quantize")) {
            QCOMPARE(h.gridKind, WeightGridKind::None);
            QCOMPARE(h.noGridReason, WeightNoGridReason::NotQuantized);
            QCOMPARE(h.minAbsError, 0.0); // kept weights are untouched
        }
    }

    void unchangedLayers()
    {
        WeightHistogramParams p;
        p.layer = u"fc"_s;
        const WeightHistogram skipped = computeWeightHistogram(*m_hand, config(R"({"quantize":{"bits":2},"layers":{"f*":{"skip":true}}})"), p);
        QCOMPARE(skipped.state, WeightHistogramState::Skipped);
        QCOMPARE(skipped.after, skipped.before);
        QCOMPARE(skipped.maxAbsError, 0.0);
        QCOMPARE(skipped.gridKind, WeightGridKind::None);
        const WeightHistogram none = computeWeightHistogram(*m_hand, config("{}"), p);
        QCOMPARE(none.state, WeightHistogramState::NoCompression);
        QCOMPARE(none.after, none.before);
        const WeightHistogram convOnly = computeWeightHistogram(*m_hand, config(R"({"quantize":{"bits":2},"modules":["Conv"]})"), p);
        QCOMPARE(convOnly.state, WeightHistogramState::TypeNotSelected);
        p.layer = u"empty"_s;
        const WeightHistogram empty = computeWeightHistogram(*m_hand, config(R"({"quantize":{"bits":4}})"), p);
        QCOMPARE(empty.state, WeightHistogramState::Empty);
        QCOMPARE(empty.weights, 0);
    }

    void halfFloatAndCodebookAndLowRank()
    {
        WeightHistogramParams p;
        p.layer = u"fc"_s;
        const WeightHistogram fp16 = computeWeightHistogram(*m_hand, config(R"({"quantize":{"bits":"fp16"}})"), p);
        QCOMPARE(fp16.gridKind, WeightGridKind::None);
        QCOMPARE(fp16.noGridReason, WeightNoGridReason::HalfFloat);
        QCOMPARE(fp16.bits, 16);
        const CompressionConfig codebook = config(R"({"codebook":{"bits":2}})");
        const WeightHistogram cb = computeWeightHistogram(*m_hand, codebook, p);
        QCOMPARE(cb.gridKind, WeightGridKind::Codebook);
        QCOMPARE(cb.gridLevels.size(), 4);
        QVERIFY(std::is_sorted(cb.gridLevels.begin(), cb.gridLevels.end()));
        QVERIFY(allOnGrid(weightIn(*compressModel(*m_hand, codebook).model, u"fc"_s), cb.gridLevels));
        QCOMPARE(cb.distinctAfter, 4);
        const WeightHistogram lr = computeWeightHistogram(*m_hand, config(R"({"low_rank":{"rank_ratio":0.5},"quantize":{"bits":4}})"), p);
        QCOMPARE(lr.gridKind, WeightGridKind::None);
        QCOMPARE(lr.noGridReason, WeightNoGridReason::LowRank);
    }

    void refusesWhatIsNotALayer()
    {
        WeightHistogramParams p;
        p.layer = u"norm"_s;
        QVERIFY(!isHistogramLayer(m_hand->summary(), p.layer));
        try {
            computeWeightHistogram(*m_hand, config(R"({"quantize":{"bits":4}})"), p);
            QFAIL("a LayerNorm was accepted");
        } catch (const UserError &e) {
            QVERIFY2(e.message().contains(u"pick a Linear, Conv or Embedding layer"_s), qPrintable(e.message()));
        }
        p.layer = u"nowhere"_s;
        QVERIFY_THROWS_EXCEPTION(UserError, computeWeightHistogram(*m_hand, config(R"({"quantize":{"bits":4}})"), p));
        QVERIFY(isHistogramLayer(m_hand->summary(), u"fc"_s));
        QCOMPARE(largestLinearLayer(m_hand->summary()), u"fc"_s);
    }

    // The one-layer run gives exactly what compressing the whole model gives, on real fixtures.
    void afterIsWhatTheCompressedModelHolds_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("layer");
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("mlp int3 channel") << u"tiny_mlp.pt"_s << u"fc1"_s << R"({"quantize":{"bits":3}})"_ba;
        QTest::newRow("mlp int4 group asym") << u"tiny_mlp.pt"_s << u"fc1"_s
                                             << R"({"quantize":{"bits":4,"granularity":"group","group_size":8,"symmetric":false}})"_ba;
        QTest::newRow("cnn conv prune+int4") << u"tiny_cnn.pt"_s << u"conv"_s << R"({"prune":{"sparsity":0.5},"quantize":{"bits":4}})"_ba;
        QTest::newRow("lm tied head") << u"tiny_lm.pt"_s << u"lm_head"_s << R"({"quantize":{"bits":4}})"_ba;
        QTest::newRow("lm global prune") << u"tiny_lm.pt"_s << u"mlp"_s << R"({"prune":{"sparsity":0.5,"scope":"global"}})"_ba;
    }

    void afterIsWhatTheCompressedModelHolds()
    {
        QFETCH(QString, model);
        QFETCH(QString, layer);
        QFETCH(QByteArray, json);
        const auto m = Model::load(fixture(model));
        const CompressionConfig c = config(json.constData());
        WeightHistogramParams p;
        p.layer = layer;
        p.bins = 50;
        const WeightHistogram h = computeWeightHistogram(*m, c, p);
        const torch::Tensor expected = weightIn(*compressModel(*m, c).model, layer).reshape({-1}).contiguous();
        QVector<double> counts(p.bins, 0);
        const double width = (h.binEdges.last() - h.binEdges.first()) / p.bins;
        for (int64_t i = 0; i < expected.numel(); ++i)
            counts[std::clamp(int(std::floor((double(expected.data_ptr<float>()[i]) - h.binEdges.first()) / width)), 0, p.bins - 1)] += 1;
        QCOMPARE(h.after, counts);
        QVERIFY(h.after != h.before);
        QCOMPARE(sum(h.before), double(h.weights));
        if (layer == "lm_head"_L1)
            QCOMPARE(h.tiedTo, u"tok"_s);
    }

    // Structured pruning really removes rows of fc1 and the matching inputs of fc2: the removed weights
    // count as zeros, the kept ones are untouched (no quantization here).
    void structuredPruningShrinksTensors()
    {
        const auto m = Model::load(fixture(u"tiny_mlp.pt"_s));
        const CompressionConfig c = config(R"({"prune":{"sparsity":0.5,"pattern":"structured"}})");
        WeightHistogramParams p;
        p.layer = u"fc1"_s; // [8, 16]: 4 rows go
        const WeightHistogram fc1 = computeWeightHistogram(*m, c, p);
        QCOMPARE(fc1.removedWeights, 64);
        QCOMPARE(fc1.prunedZeros, 64);
        QCOMPARE(sum(fc1.after), 128.0);
        const torch::Tensor w = weightIn(*m, u"fc1"_s);
        const torch::Tensor removedRows = std::get<1>(w.norm(2, 1).sort()).narrow(0, 0, 4); // the smallest L2 norms
        const double removedAbs = w.index_select(0, removedRows).abs().sum().item<double>();
        QVERIFY(std::abs(fc1.meanAbsError * 128 - removedAbs) < 1e-4);
        QCOMPARE(fc1.minAbsError, 0.0);
        p.layer = u"fc2"_s; // [3, 8]: loses the 4 inputs fed by the removed rows, and 2 of its own 3 rows (masked)
        const WeightHistogram fc2 = computeWeightHistogram(*m, c, p);
        QCOMPARE(fc2.removedWeights, 12);
        QCOMPARE(fc2.prunedZeros, 12 + 2 * 4);
        QCOMPARE(sum(fc2.after), 24.0);
    }
};

QTEST_GUILESS_MAIN(TestWeightHistogram)
#include "tst_weight_histogram.moc"
