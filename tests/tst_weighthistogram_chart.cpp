// The Weights tab: the chart draws both histograms and the grid lines of a real layer, and the view follows
// the tree's picks and the Compression panel's configuration through background jobs. On brown-gpt (where the
// demo zoo is built) it also measures the job on the largest layer and can save the screenshot the docs show.
#include "ConfigSupport.h"
#include "TestSupport.h"

#include "WeightHistogramView.h"
#include "analysis/WeightHistogram.h"
#include "charts/ChartStyle.h"
#include "charts/WeightHistogramChart.h"
#include "model/Model.h"
#include "model/ModelDescription.h"
#include "panels/ModelTreeView.h"
#include "panels/TunePanel.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QtTest>
#include <qcustomplot.h>

using namespace Qt::StringLiterals;
using namespace compresslab;
using testsupport::config;
using testsupport::fixture;

namespace {


double drawnSum(QCPGraph *graph) // the bins' counts (the closing point repeats the last bin; below 1: an empty bin on a log axis)
{
    double total = 0;
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd() - 1; ++it)
        total += it->value < 1 ? 0 : it->value;
    return total;
}

QString brownGpt()
{
    return QDir::homePath() + u"/.cache/compresslab/zoo/brown-gpt/model.pt"_s;
}

int occupiedBins(QCPGraph *graph)
{
    int n = 0;
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd() - 1; ++it)
        n += it->value >= 1;
    return n;
}

} // namespace

class TestWeightHistogramChart : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void drawsBothHistogramsAndTheGrid()
    {
        const auto model = Model::load(fixture(u"tiny_mlp.pt"_s));
        WeightHistogramParams p;
        p.layer = u"fc1"_s;
        p.bins = 60;
        WeightHistogramChart chart;
        chart.resize(700, 450);
        chart.show();
        chart.setHistogram(computeWeightHistogram(*model, config(R"({"quantize":{"bits":2,"granularity":"tensor"}})"), p));
        QCOMPARE(chart.gridLineCount(), 4);
        QCOMPARE(chart.beforeBinCount(), 60);
        QCOMPARE(chart.afterBinCount(), 60);
        auto *before = chart.plot()->graph(0), *after = chart.plot()->graph(1);
        QCOMPARE(drawnSum(before), 128.0);
        QCOMPARE(drawnSum(after), 128.0);
        QVERIFY(occupiedBins(after) <= 4); // four values after, many before
        QVERIFY(occupiedBins(before) > 20);
        QVERIFY(chart.title().contains(u"fc1"_s));
        QVERIFY(chart.title().contains(u"int2"_s));
        QVERIFY2(chart.gridName().contains(u"4"_s), qPrintable(chart.gridName()));
        QCOMPARE(chart.plot()->legend->itemCount(), 3); // before, after, grid
        // Per channel: the grid of one of 8 channels, 8 levels at 3 bits.
        chart.setHistogram(computeWeightHistogram(*model, config(R"({"quantize":{"bits":3}})"), p));
        QCOMPARE(chart.gridLineCount(), 8);
        QVERIFY2(chart.gridName().contains(u"of 8"_s), qPrintable(chart.gridName()));
        // fp16 has no grid, and the chart says why.
        chart.setHistogram(computeWeightHistogram(*model, config(R"({"quantize":{"bits":"fp16"}})"), p));
        QCOMPARE(chart.gridLineCount(), 0);
        QCOMPARE(chart.plot()->legend->itemCount(), 2);
        QVERIFY(chart.subtitle().contains(u"no uniform grid"_s));
        // Log scale keeps the counts (empty bins drop below the axis), and presentation mode scales the pens.
        chart.setLogScale(true);
        QCOMPARE(chart.plot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
        QCOMPARE(drawnSum(before), 128.0);
        setChartsScale(&chart, 1.5);
        QCOMPARE(after->pen().widthF(), 1.5 * 1.5);
        setChartsScale(&chart, 1.0);
        chart.showMessage(u"nothing"_s);
        QVERIFY(!chart.hasHistogram());
        QCOMPARE(chart.gridLineCount(), 0);
    }

    void viewFollowsTreeAndControls()
    {
        const auto model = std::make_shared<const ModelDescription>(describe(*Model::load(fixture(u"tiny_cnn.pt"_s))));
        ModelTreeView tree;
        tree.setSummary(model->summary);
        TunePanel panel;
        WeightHistogramView view(&tree, &panel);
        std::unique_ptr<WeightHistogramChart> chart(view.chart());
        chart->resize(700, 450);
        chart->show();
        QSignalSpy shown(&view, &WeightHistogramView::histogramShown);
        view.setModel(model, QString());
        QCOMPARE(view.layer(), u"head"_s); // the largest (only) Linear
        QVERIFY(shown.wait(10000));
        QCOMPARE(shown.last().at(0).toString(), u"head"_s);
        QVERIFY(chart->hasHistogram());
        // A non-compressible module: the chart says what to pick, nothing is computed.
        Q_EMIT tree.modulePicked(u"bn"_s);
        QVERIFY(!chart->hasHistogram());
        QVERIFY2(chart->title().contains(u"pick a Linear, Conv or Embedding layer"_s), qPrintable(chart->title()));
        QVERIFY(!view.isComputing());
        // The conv layer, then a change of the controls: recomputed with the new bits.
        Q_EMIT tree.modulePicked(u"conv"_s);
        QVERIFY(shown.wait(10000));
        QCOMPARE(shown.last().at(0).toString(), u"conv"_s);
        const int before = chart->gridLineCount();
        panel.bitsSlider()->setValue(2);
        QTRY_VERIFY_WITH_TIMEOUT(chart->gridLineCount() == 4 && !view.isComputing(), 10000);
        QVERIFY(before != 4);
        QVERIFY(chart->title().contains(u"conv"_s));
        // Hidden, it computes nothing until shown again.
        chart->hide();
        panel.bitsSlider()->setValue(3);
        QTest::qWait(3 * WeightHistogramView::kDebounceMs);
        QVERIFY(!view.isComputing());
        QCOMPARE(chart->gridLineCount(), 4);
        chart->show();
        QTRY_VERIFY_WITH_TIMEOUT(chart->gridLineCount() == 8, 10000);
        // Another dataset for the same model keeps the picked layer; another model starts at its largest Linear.
        view.setModel(model, fixture(u"tiny_mlp_eval.safetensors"_s));
        QCOMPARE(view.layer(), u"conv"_s);
        QVERIFY(shown.wait(10000));
        view.setModel(std::make_shared<const ModelDescription>(describe(*Model::load(fixture(u"tiny_mlp.pt"_s)))), QString());
        QCOMPARE(view.layer(), u"fc1"_s);
        QVERIFY(shown.wait(10000));
        QCOMPARE(shown.last().at(0).toString(), u"fc1"_s);
    }

    // brown-gpt's largest layer at 3 bits per channel: measured, and the screenshot for the docs when asked
    // (WEIGHTS_SCREENSHOT_DIR=folder).
    void brownGptLargestLayer()
    {
        if (!QFileInfo::exists(brownGpt()))
            QSKIP("the demo zoo is not built here (tools/setup.sh builds it)");
        const auto model = Model::load(brownGpt());
        const QString layer = largestLinearLayer(model->summary());
        QCOMPARE(layer, u"blocks.0.mlp.fc1"_s);
        WeightHistogramParams p;
        p.layer = layer;
        const CompressionConfig c = config(R"({"quantize":{"bits":3}})");
        computeWeightHistogram(*model, c, p); // warm-up
        QElapsedTimer clock;
        clock.start();
        const int runs = 5;
        WeightHistogram h;
        for (int i = 0; i < runs; ++i)
            h = computeWeightHistogram(*model, c, p);
        qInfo("weight histogram of %s (%lld weights, int3 per-channel): %.1f ms per run (measured, mean of %d); "
              "%lld zeros after, %lld distinct values after",
              qPrintable(layer), h.weights, double(clock.elapsed()) / runs, runs, h.zerosAfter, h.distinctAfter);
        WeightHistogramChart chart;
        chart.resize(900, 560);
        chart.show();
        chart.setHistogram(h);
        QCOMPARE(chart.gridLineCount(), 8);
        QCOMPARE(h.gridCount, 768);
        QCOMPARE(drawnSum(chart.plot()->graph(1)), double(h.weights));
        if (const QString dir = qEnvironmentVariable("WEIGHTS_SCREENSHOT_DIR"); !dir.isEmpty()) {
            chart.plot()->replot();
            QVERIFY(chart.grab().save(dir + u"/weights-brown-chart.png"_s));
            chart.setLogScale(true);
            setChartsScale(&chart, 1.5);
            QVERIFY(chart.grab().save(dir + u"/weights-brown-log-presentation.png"_s));
        }
    }
};

QTEST_MAIN(TestWeightHistogramChart)
#include "tst_weighthistogram_chart.moc"
