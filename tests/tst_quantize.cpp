// The fast quantizer against the plain reference, hand-computed values, and the pruning, codebook and
// low-rank building blocks.
#include "compress/FusedQuantize.h"
#include "compress/Gptq.h"
#include "compress/Quantize.h"
#include "compress/QuantizeReference.h"
#include "compress/WeightMethods.h"

#include <QtTest>

#include <numeric>

using namespace compresslab;

namespace {

std::vector<float> toVector(const torch::Tensor &t)
{
    const auto c = t.contiguous().to(torch::kFloat);
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

} // namespace

class TestQuantize : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fastPathMatchesReference_data()
    {
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("groupSize"); // 0: per tensor
        QTest::addColumn<bool>("symmetric");
        for (int bits : {2, 3, 4, 5, 6, 8}) {
            for (int group : {0, 16, 48}) {
                for (bool sym : {true, false})
                    QTest::addRow("int%d g%d %s", bits, group, sym ? "sym" : "asym") << bits << group << sym;
            }
        }
    }
    void fastPathMatchesReference()
    {
        QFETCH(int, bits);
        QFETCH(int, groupSize);
        QFETCH(bool, symmetric);
        torch::manual_seed(bits * 100 + groupSize);
        auto w = torch::randn({12, 48}) * 0.1;
        w.index_put_({3, 5}, 0.9f); // an outlier
        w.index_put_({7}, 0.0f);    // an all-zero row (scale 0)
        const int64_t gs = groupSize == 0 ? w.numel() : groupSize;
        const QuantizedMatrix fast = quantizeMatrix(w, bits, gs, symmetric);
        const QuantizeReferenceResult ref = quantizeReference(toVector(w), 12, 48, bits, gs, symmetric);
        // The same definition, element for element: bit-exact, not merely close.
        QCOMPARE(toVector(fast.dequantized), ref.dequantized);
        QCOMPARE(toVector(fast.scales), ref.scales);
        const auto codes = fast.codes.contiguous();
        QCOMPARE(std::vector<uint8_t>(codes.data_ptr<uint8_t>(), codes.data_ptr<uint8_t>() + codes.numel()), ref.codes);
        QVERIFY(fast.codes.max().item<int>() < (1 << bits));
        // Stored codes restore the dequantized values bit-exactly (the packed artifact relies on it).
        const auto restored = dequantizeCodes(fast.codes, fast.scales, fast.zeros, bits, gs, symmetric);
        QVERIFY(torch::equal(restored, fast.dequantized));
        // Zero stays exactly zero (so pruned weights survive quantization).
        QVERIFY((fast.dequantized.select(0, 7) == 0).all().item<bool>());
    }

    void fusedInPlaceMatchesFastPath_data() { fastPathMatchesReference_data(); }
    void fusedInPlaceMatchesFastPath()
    {
        QFETCH(int, bits);
        QFETCH(int, groupSize);
        QFETCH(bool, symmetric);
        if (groupSize == 0)
            QSKIP("the fused path serves per-channel and group scales only");
        torch::manual_seed(bits * 7 + groupSize);
        auto w = torch::randn({300, 96}) * 0.05; // several parallel chunks
        w.index_put_({11}, 0.0f);
        const QuantizedMatrix fast = quantizeMatrix(w, bits, groupSize, symmetric);
        auto inPlace = w.clone();
        FusedQuantStats stats;
        const QuantizedMatrix fused = quantizeInPlace(inPlace, bits, groupSize, symmetric, &stats);
        QVERIFY(stats.finite);
        QVERIFY(torch::equal(inPlace, fast.dequantized));
        QVERIFY(torch::equal(fused.codes, fast.codes));
        QVERIFY(torch::equal(fused.scales, fast.scales));
        if (!symmetric)
            QVERIFY(torch::equal(fused.zeros, fast.zeros));
        const double err = (fast.dequantized - w).pow(2).sum().item<double>();
        QVERIFY(qAbs(stats.errorSquared - err) <= 1e-5 * std::max(1e-12, err)); // torch sums in float32, fused in double
        QCOMPARE(stats.zeros, (fast.dequantized == 0).sum().item<int64_t>());
        // NaN: reported, and the matrix is left as it was.
        auto bad = w.clone();
        bad.index_put_({5, 5}, std::nanf(""));
        const auto before = bad.clone();
        FusedQuantStats badStats;
        quantizeInPlace(bad, bits, groupSize, symmetric, &badStats);
        QVERIFY(!badStats.finite);
        QVERIFY(torch::equal(bad.nan_to_num(), before.nan_to_num()));
    }

    void handComputedFourBitAsymmetricGroup()
    {
        // Group of 4: lo = -1, hi = 2; s = 3/15 = 0.2 (0.199951171875 in fp16); z = round(1/s) = 5.
        const auto w = torch::tensor({-1.0f, 0.0f, 0.5f, 2.0f}).reshape({1, 4});
        const QuantizedMatrix q = quantizeMatrix(w, 4, 4, false);
        const float s = 0.199951171875f;
        QCOMPARE(q.scales.item<float>(), s);
        QCOMPARE(int(q.zeros.item<uint8_t>()), 5);
        QCOMPARE(toVector(q.codes.to(torch::kFloat)), (std::vector<float>{0, 5, 8, 15}));
        QCOMPARE(toVector(q.dequantized), (std::vector<float>{-5 * s, 0, 3 * s, 10 * s}));
    }

    void handComputedThreeBitSymmetric()
    {
        // Largest magnitude -0.8: d = -0.8 / -4 = 0.2, stored as fp16 0.199951171875; codes are q + 4.
        // The fp16 scale matters: 0.1/d = 0.50012 rounds up to 1 and 0.5/d = 2.5006 to 3.
        const auto w = torch::tensor({-0.8f, 0.1f, 0.5f, 0.79f}).reshape({1, 4});
        const QuantizedMatrix q = quantizeMatrix(w, 3, 4, true);
        const float d = 0.199951171875f;
        QCOMPARE(q.scales.item<float>(), d);
        QCOMPARE(toVector(q.codes.to(torch::kFloat)), (std::vector<float>{0, 5, 7, 7}));
        // 0.79 / d rounds to 4, which clamps to the top level 3.
        QCOMPARE(toVector(q.dequantized), (std::vector<float>{-4 * d, d, 3 * d, 3 * d}));
    }

    void magnitudeMaskKeepsTheLargest()
    {
        const auto w = torch::tensor({0.1f, -0.9f, 0.3f, -0.2f, 0.05f, 0.7f}).reshape({2, 3});
        const auto mask = magnitudeMask(w, 0.5);
        QCOMPARE(mask.sum().item<int64_t>(), int64_t(3));
        QVERIFY(mask[0][1].item<bool>() && mask[1][2].item<bool>() && mask[0][2].item<bool>());
        const auto global = globalMagnitudeMasks({w, w * 10}, 0.5);
        QCOMPARE(global[0].sum().item<int64_t>() + global[1].sum().item<int64_t>(), int64_t(6));
        QVERIFY(global[1].sum().item<int64_t>() > global[0].sum().item<int64_t>()); // the larger layer keeps more
    }

    void magnitudeMaskMatchesAStableSort_data()
    {
        QTest::addColumn<double>("sparsity");
        QTest::addColumn<bool>("ties");
        for (double s : {0.0, 0.1, 0.5, 0.77, 1.0}) {
            QTest::addRow("%g distinct", s) << s << false;
            QTest::addRow("%g with ties", s) << s << true;
        }
    }

    void magnitudeMaskMatchesAStableSort()
    {
        // Reference: order by magnitude, largest first, earlier position first among equals; keep the head.
        QFETCH(double, sparsity);
        QFETCH(bool, ties);
        torch::manual_seed(11);
        auto w = torch::randn({37, 53});
        if (ties) // few distinct magnitudes, both signs, and zeros: many ties at any threshold
            w = (w * 3).round() / 4;
        const std::vector<float> values = toVector(w);
        std::vector<int64_t> order(values.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return std::fabs(values[size_t(a)]) > std::fabs(values[size_t(b)]); });
        const int64_t keep = int64_t(values.size()) - std::llround(sparsity * double(values.size()));
        std::vector<float> expected(values.size(), 0.0f);
        for (int64_t k = 0; k < keep; ++k)
            expected[size_t(order[size_t(k)])] = 1.0f;
        QCOMPARE(toVector(magnitudeMask(w, sparsity).to(torch::kFloat)), expected);
        // In place: the dropped entries become zero, their squares are the returned error.
        torch::Tensor inPlace = w.clone();
        double prunedSquared = -1;
        const auto mask = pruneByMagnitudeInPlace(inPlace, sparsity, &prunedSquared);
        QVERIFY(torch::equal(inPlace, w * mask));
        QCOMPARE(prunedSquared, (w * mask.logical_not()).to(torch::kDouble).pow(2).sum().item<double>());
    }

    void nmMaskKeepsNOfEveryM()
    {
        torch::manual_seed(3);
        const auto w = torch::randn({8, 16});
        const auto mask = nmMask(w, 2, 4);
        QVERIFY((mask.reshape({-1, 4}).sum(1) == 2).all().item<bool>());
        // Within each group of 4, the kept two are the largest in magnitude.
        const auto groups = w.abs().reshape({-1, 4});
        const auto keptMin = torch::where(mask.reshape({-1, 4}), groups, torch::full_like(groups, 1e9)).amin(1);
        const auto droppedMax = torch::where(mask.reshape({-1, 4}), torch::full_like(groups, -1), groups).amax(1);
        QVERIFY((keptMin >= droppedMax).all().item<bool>());
    }

    void codebookUsesAtMostTwoToTheKValues()
    {
        torch::manual_seed(4);
        const auto w = torch::randn({32, 32});
        const Codebook cb = kmeansCodebook(w, 3, 30);
        QVERIFY(std::get<0>(torch::_unique(cb.values)).numel() <= 8);
        QCOMPARE(cb.centroids.numel(), int64_t(8));
        QVERIFY(torch::equal(cb.centroids.index_select(0, cb.indices.reshape({-1}).to(torch::kLong)).reshape(w.sizes()), cb.values));
        // k-means beats the linear initial grid it starts from.
        const double err = (cb.values - w).pow(2).mean().item<double>();
        const Codebook oneStep = kmeansCodebook(w, 3, 1);
        QVERIFY(err <= (oneStep.values - w).pow(2).mean().item<double>());
    }

    void lowRankReconstructsExactlyAtFullRank()
    {
        torch::manual_seed(5);
        const auto w = torch::randn({10, 6});
        const LowRankFactors full = lowRankFactors(w, 1.0, 0);
        QCOMPARE(full.rank, int64_t(6));
        QVERIFY(torch::allclose(torch::mm(full.left, full.right), w, 1e-4, 1e-5));
        const LowRankFactors byEnergy = lowRankFactors(torch::mm(torch::randn({10, 2}), torch::randn({2, 6})), 0, 0.999);
        QCOMPARE(byEnergy.rank, int64_t(2)); // a rank-2 matrix keeps all its energy in 2 components
    }

    void gptqBeatsRoundToNearestOnOutputs()
    {
        // Correlated inputs: the case GPTQ exists for. Measure the layer's output error on those inputs.
        torch::manual_seed(6);
        const auto basis = torch::randn({64, 8});
        const auto x = torch::mm(torch::randn({512, 8}), basis.t()) + 0.05 * torch::randn({512, 64});
        const auto w = torch::randn({32, 64}) * 0.1;
        const auto h = 2.0 * torch::mm(x.t(), x).to(torch::kDouble) / 512.0;
        for (int bits : {3, 4}) {
            const auto rtn = quantizeMatrix(w, bits, 64, true);
            const auto gptq = gptqQuantize(w, h, bits, 64, true, 0.01);
            const double rtnErr = (torch::mm(x, (rtn.dequantized - w).t())).pow(2).mean().item<double>();
            const double gptqErr = (torch::mm(x, (gptq.dequantized - w).t())).pow(2).mean().item<double>();
            QVERIFY2(gptqErr < 0.8 * rtnErr, qPrintable(QStringLiteral("bits %1: gptq %2 rtn %3").arg(bits).arg(gptqErr).arg(rtnErr)));
            // Same grid and storage as RTN: codes restore GPTQ's values bit-exactly.
            QVERIFY(torch::equal(dequantizeCodes(gptq.codes, gptq.scales, gptq.zeros, bits, 64, true), gptq.dequantized));
        }
    }

    void gptqGroupScalesRestoreBitExactly()
    {
        torch::manual_seed(7);
        const auto x = torch::randn({256, 32});
        const auto w = torch::randn({8, 32});
        const auto h = 2.0 * torch::mm(x.t(), x).to(torch::kDouble) / 256.0;
        const auto q = gptqQuantize(w, h, 4, 8, false, 0.01);
        QCOMPARE(q.scales.numel(), int64_t(8 * 4));
        QVERIFY(torch::equal(dequantizeCodes(q.codes, q.scales, q.zeros, 4, 8, false), q.dequantized));
    }
};

QTEST_GUILESS_MAIN(TestQuantize)
#include "tst_quantize.moc"
