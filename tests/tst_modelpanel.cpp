// The model panel, driven offscreen: per-layer sensitivity measured as a job (heat column, legend, chart views),
// cancelled without harm, refused without a dataset; per-layer overrides edited in place in the tree, merged into
// the compression configuration and measured live; cleared again.
#include "TestSupport.h"

#include "LiveTuning.h"
#include "MainWindow.h"
#include "Settings.h"
#include "Translation.h"
#include "charts/LayerBytesChart.h"
#include "jobs/Job.h"
#include "model/Model.h"
#include "model/ModelSummary.h"
#include "panels/ModelPanel.h"
#include "panels/ModelTreeView.h"
#include "panels/TunePanel.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QSlider>
#include <QSpinBox>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace compresslab;
using testsupport::fixture;

Q_DECLARE_METATYPE(compresslab::CompressionReport)

namespace {

qint64 layerBytes(const CompressionReport &report, const QString &path)
{
    for (const LayerReport &l : report.layers)
        if (l.path == path)
            return l.deployedBytes;
    return -1;
}

} // namespace

class TestModelPanel : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    // A window with the model open and its dataset chosen; small sensitivity runs without the shared cache.
    void open(MainWindow &w, const QString &model, const QString &data)
    {
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        w.openModel(QFileInfo(model).isAbsolute() ? model : fixture(model));
        QVERIFY(loaded.wait(20000));
        if (!data.isEmpty())
            w.setDatasetPath(QFileInfo(data).isAbsolute() ? data : fixture(data));
        SensitivityParams params;
        params.samples = 64;
        params.useCache = false;
        w.modelPanel()->setSensitivityParams(params);
    }

    // The live measurement's next non-empty per-layer report (the quick point of the current configuration).
    static CompressionReport nextReport(MainWindow &w)
    {
        QSignalSpy compressed(w.liveTuning(), &LiveTuning::compressed);
        for (int i = 0; i < 50; ++i) {
            if (!compressed.wait(20000))
                break;
            const auto report = compressed.last().first().value<CompressionReport>();
            if (!report.layers.isEmpty())
                return report;
        }
        return {};
    }

    static QString tuneStatus(MainWindow &w)
    {
        QString text;
        for (QLabel *label : w.tunePanel()->findChildren<QLabel *>())
            if (label->text().contains("measured"_L1))
                text = label->text();
        return text;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<CompressionReport>();
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
        qputenv("COMPRESSLAB_SENSITIVITY_CACHE", m_dir.filePath(u"sensitivity"_s).toUtf8());
        Settings::instance().setHistoryPath(m_dir.filePath(u"history.sqlite"_s));
    }

    void sensitivityColoursTheLayers_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("data");
        QTest::addColumn<int>("layers");
        QTest::newRow("classifier") << u"tiny_mlp.pt"_s << u"tiny_mlp_eval.safetensors"_s << 2;
        QTest::newRow("language model, tied head") << u"tiny_lm.pt"_s << u"tiny_lm_eval.safetensors"_s << 4;
    }

    void sensitivityColoursTheLayers()
    {
        QFETCH(QString, model);
        QFETCH(QString, data);
        QFETCH(int, layers);
        MainWindow w;
        open(w, model, data);
        ModelTreeView *tree = w.treeView();
        QVERIFY(!tree->hasSensitivity());
        QCOMPARE(w.modelPanel()->analyseButton()->defaultAction()->isEnabled(), true);
        w.layerChart()->setView(LayerBytesChart::SensitivityKl);
        QVERIFY(w.layerChart()->showsMessage()); // says how to measure it

        QSignalSpy finished(&w, &MainWindow::jobFinished);
        w.modelPanel()->analyseButton()->click();
        QVERIFY(w.currentJob());
        QVERIFY(finished.wait(60000));
        QVERIFY(tree->hasSensitivity());
        QCOMPARE(tree->sensitivitySetting(), u"int4"_s);

        // Every compressible layer has a number and a colour; the most and least sensitive ones differ in colour.
        QTreeWidgetItem *most = nullptr, *least = nullptr;
        int coloured = 0;
        for (QTreeWidgetItemIterator it(tree); *it; ++it) {
            QTreeWidgetItem *item = *it;
            if (!item->data(ModelTreeView::NameColumn, ModelTreeView::CompressibleRole).toBool()) {
                QVERIFY(item->text(ModelTreeView::SensitivityColumn).isEmpty());
                continue;
            }
            ++coloured;
            QVERIFY(!item->text(ModelTreeView::SensitivityColumn).isEmpty());
            QVERIFY(item->toolTip(ModelTreeView::SensitivityColumn).startsWith("Measured on "_L1));
            const double heat = item->data(ModelTreeView::SensitivityColumn, ModelTreeView::HeatRole).toDouble();
            if (!most || heat > most->data(ModelTreeView::SensitivityColumn, ModelTreeView::HeatRole).toDouble())
                most = item;
            if (!least || heat < least->data(ModelTreeView::SensitivityColumn, ModelTreeView::HeatRole).toDouble())
                least = item;
        }
        QCOMPARE(coloured, layers);
        QCOMPARE(most->data(ModelTreeView::SensitivityColumn, ModelTreeView::HeatRole).toDouble(), 1.0);
        QCOMPARE(least->data(ModelTreeView::SensitivityColumn, ModelTreeView::HeatRole).toDouble(), 0.0);
        const QColor hot = most->background(ModelTreeView::SensitivityColumn).color();
        const QColor cold = least->background(ModelTreeView::SensitivityColumn).color();
        QCOMPARE(cold, QColor(Qt::white));
        QVERIFY2(hot.red() > 150 && hot.green() < 80, qPrintable(hot.name())); // red
        QVERIFY(!w.modelPanel()->findChildren<QLabel *>().isEmpty());

        // The chart's sensitivity views: one bar per layer, no message; the metric view too; other settings offered.
        QVERIFY(!w.layerChart()->showsMessage());
        QCOMPARE(w.layerChart()->barCount(), layers);
        QVERIFY(w.layerChart()->settingSelector()->count() >= 4);
        const QVector<double> kl4 = w.layerChart()->barValues();
        w.layerChart()->settingSelector()->setCurrentIndex(w.layerChart()->settingSelector()->findData(u"int2"_s));
        const QVector<double> kl2 = w.layerChart()->barValues();
        double sum4 = 0, sum2 = 0;
        for (int i = 0; i < kl4.size(); ++i) {
            sum4 += kl4[i];
            sum2 += kl2[i];
        }
        QVERIFY2(sum2 > sum4, "2 bits drift further than 4 bits");
        w.layerChart()->setView(LayerBytesChart::SensitivityMetric);
        QCOMPARE(w.layerChart()->barCount(), layers);
    }

    void sensitivityNeedsADataset()
    {
        MainWindow w;
        open(w, u"tiny_mlp.pt"_s, QString());
        QSignalSpy error(&w, &MainWindow::errorShown);
        w.analyseSensitivity();
        QCOMPARE(error.count(), 1);
        QVERIFY(error.first().first().toString().contains("choose a dataset"_L1));
        QVERIFY(!w.currentJob() || !w.currentJob()->isRunning());
    }

    void cancelledSensitivityLeavesThePanelUsable()
    {
        MainWindow w;
        open(w, u"tiny_mlp.pt"_s, u"tiny_mlp_large.safetensors"_s);
        SensitivityParams params = w.modelPanel()->sensitivityParams();
        params.samples = 100000; // the whole large set: long enough to be cancelled
        w.modelPanel()->setSensitivityParams(params);
        const QDir cache(m_dir.filePath(u"sensitivity"_s));
        const auto cached = [&cache] { return cache.entryList(QDir::Files).size(); };
        const qsizetype before = cached();
        QSignalSpy finished(&w, &MainWindow::jobFinished);
        w.analyseSensitivity();
        QVERIFY(w.currentJob());
        QSignalSpy cancelled(w.currentJob(), &Job::cancelled);
        w.cancelJob();
        QVERIFY(finished.wait(60000));
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(cached(), before); // stopped early: no result was finished and cached
        QVERIFY(!w.treeView()->hasSensitivity());
        QAction *analyse = w.modelPanel()->analyseButton()->defaultAction();
        QVERIFY(analyse->isEnabled());
        // The tree still edits, and a second run completes.
        QTreeWidgetItem *fc1 = w.treeView()->layerItem(u"fc1"_s);
        fc1->setCheckState(ModelTreeView::SkipColumn, Qt::Checked);
        QCOMPARE(w.treeView()->layerOverrides().value("fc1"_L1).toObject().value("skip"_L1).toBool(), true);
        params.samples = 64;
        w.modelPanel()->setSensitivityParams(params);
        analyse->trigger();
        QVERIFY(finished.wait(60000));
        QVERIFY(w.treeView()->hasSensitivity());
    }

    // A Bits cell edited in place: the configuration gets the layer's override, the live measurement compresses that
    // layer to those bits (its size and the model's follow), and Clear Overrides gives the panel's configuration back.
    void overridesEditedInPlaceChangeTheMeasurement()
    {
        MainWindow w;
        open(w, u"tiny_mlp.pt"_s, u"tiny_mlp_eval.safetensors"_s);
        ModelTreeView *tree = w.treeView();
        QAction *clear = w.modelPanel()->clearOverridesAction();
        QVERIFY(!clear->isEnabled());
        QTreeWidgetItem *fc1 = tree->layerItem(u"fc1"_s);
        QVERIFY(fc1);
        QVERIFY(!(tree->topLevelItem(0)->flags() & Qt::ItemIsEditable)); // the model itself is no layer
        QCOMPARE(fc1->text(ModelTreeView::BitsColumn), u"default"_s);

        w.tunePanel()->bitsSlider()->setValue(8);
        const CompressionReport uniform = nextReport(w);
        QVERIFY(!uniform.layers.isEmpty());
        QTRY_VERIFY(tuneStatus(w).contains(formatBytes(uniform.deployedBytes)));
        // The Size column reads "now → after": the model's total is the report's, a layer loses what it saves.
        QTreeWidgetItem *root = tree->topLevelItem(0);
        QCOMPARE(root->text(ModelTreeView::BytesColumn).section(u" → "_s, 1), formatBytes(uniform.deployedBytes));
        const qint64 fc1Now = fc1->data(ModelTreeView::BytesColumn, Qt::UserRole).toLongLong();
        for (const LayerReport &l : uniform.layers) {
            if (l.path == "fc1"_L1)
                QCOMPARE(fc1->text(ModelTreeView::BytesColumn),
                         formatBytes(fc1Now) + u" → "_s + formatBytes(fc1Now - l.originalBytes + l.deployedBytes));
        }
        QVERIFY(fc1->toolTip(ModelTreeView::BytesColumn).contains("exact"_L1));

        // The editor is a combo box offering default and 2..8 bits; choosing 2 commits at once.
        tree->setCurrentItem(fc1, ModelTreeView::BitsColumn);
        tree->editItem(fc1, ModelTreeView::BitsColumn);
        auto *combo = tree->viewport()->findChild<QComboBox *>();
        QVERIFY(combo);
        QCOMPARE(combo->count(), 8);
        combo->setCurrentIndex(combo->findData(2));
        QSignalSpy compressed(w.liveTuning(), &LiveTuning::compressed);
        Q_EMIT combo->activated(combo->currentIndex());
        QCOMPARE(fc1->text(ModelTreeView::BitsColumn), u"2 bits"_s);
        QVERIFY(fc1->font(ModelTreeView::NameColumn).bold()); // the row is marked
        QVERIFY(clear->isEnabled());
        const QJsonObject config = w.tunePanel()->configJson();
        QCOMPARE(config.value("layers"_L1).toObject(), (QJsonObject{{u"fc1"_s, QJsonObject{{u"bits"_s, 2}}}}));
        QCOMPARE(config.value("quantize"_L1).toObject().value("bits"_L1).toInt(), 8);

        const CompressionReport overridden = nextReport(w);
        QVERIFY(!overridden.layers.isEmpty());
        QVERIFY2(layerBytes(overridden, u"fc1"_s) < layerBytes(uniform, u"fc1"_s), "fc1 at 2 bits is smaller than at 8");
        QCOMPARE(layerBytes(overridden, u"fc2"_s), layerBytes(uniform, u"fc2"_s));
        QVERIFY(overridden.deployedBytes < uniform.deployedBytes);
        QTRY_VERIFY(tuneStatus(w).contains(formatBytes(overridden.deployedBytes)));
        // The chart's "after compression" and error views show it.
        w.layerChart()->setView(LayerBytesChart::WeightError);
        QVERIFY(!w.layerChart()->showsMessage());
        QCOMPARE(w.layerChart()->barPaths(), (QStringList{u"fc1"_s, u"fc2"_s}));
        QVERIFY(w.layerChart()->barValues().at(0) > w.layerChart()->barValues().at(1)); // 2 bits err more than 8
        w.layerChart()->setView(LayerBytesChart::BytesAfter);
        QVERIFY(!w.layerChart()->showsMessage());

        // A sparsity override through its spin box, then skip by the checkbox: both in the configuration.
        tree->editItem(fc1, ModelTreeView::SparsityColumn);
        auto *spin = tree->viewport()->findChild<QSpinBox *>();
        QVERIFY(spin);
        spin->setValue(30);
        QTest::keyClick(spin, Qt::Key_Return); // commits, as a user's Enter does
        QTRY_COMPARE(w.tunePanel()->configJson().value("layers"_L1)[u"fc1"_s][u"sparsity"_s].toDouble(), 0.3);
        // The panel does not prune, yet the layer's own ratio takes effect: the configuration gains a pruning step
        // at 0 (no other layer is pruned), and the cell is not greyed.
        QCOMPARE(w.tunePanel()->configJson().value("prune"_L1)[u"sparsity"_s].toDouble(), 0.0);
        QVERIFY(!fc1->font(ModelTreeView::SparsityColumn).italic());
        QVERIFY(!fc1->toolTip(ModelTreeView::SparsityColumn).contains("No effect now"_L1));
        const CompressionReport pruned = nextReport(w);
        for (const LayerReport &l : pruned.layers)
            QVERIFY2(qAbs(l.sparsity - (l.path == "fc1"_L1 ? 0.3 : 0.0)) < 0.02, qPrintable(l.path + u' ' + QString::number(l.sparsity)));
        tree->layerItem(u"fc2"_s)->setCheckState(ModelTreeView::SkipColumn, Qt::Checked);
        QCOMPARE(w.tunePanel()->configJson().value("layers"_L1)[u"fc2"_s][u"skip"_s].toBool(), true);
        const CompressionReport skipped = nextReport(w);
        QCOMPARE(layerBytes(skipped, u"fc2"_s), 24 * 4); // fp32 again

        // Clear Overrides: back to the panel's configuration and its size.
        clear->trigger();
        QVERIFY(!clear->isEnabled());
        QVERIFY(!w.tunePanel()->configJson().contains("layers"_L1));
        QCOMPARE(fc1->text(ModelTreeView::BitsColumn), u"default"_s);
        QVERIFY(!fc1->font(ModelTreeView::NameColumn).bold());
        const CompressionReport restored = nextReport(w);
        QCOMPARE(restored.deployedBytes, uniform.deployedBytes);

        // A new model brings no overrides along.
        tree->layerItem(u"fc1"_s)->setCheckState(ModelTreeView::SkipColumn, Qt::Checked);
        QVERIFY(w.tunePanel()->configJson().contains("layers"_L1));
        open(w, u"tiny_cnn.pt"_s, QString());
        QVERIFY(!w.tunePanel()->configJson().contains("layers"_L1));
    }

    // In German, every text the panel, the tree's new columns and the chart's views show is German, the measured
    // sensitivity's too.
    void speaksGerman()
    {
        QVERIFY(!translationFile(u"de"_s).isEmpty());
        auto restore = qScopeGuard([] { installTranslators(UiLanguage::English); });
        MainWindow w;
        open(w, u"tiny_mlp.pt"_s, u"tiny_mlp_eval.safetensors"_s);
        QSignalSpy finished(&w, &MainWindow::jobFinished);
        w.analyseSensitivity();
        QVERIFY(finished.wait(60000));
        auto texts = [&w] {
            QStringList t;
            for (int c = ModelTreeView::SensitivityColumn; c < ModelTreeView::ColumnCount; ++c)
                t << w.treeView()->headerItem()->text(c) << w.treeView()->headerItem()->toolTip(c);
            QTreeWidgetItem *fc1 = w.treeView()->layerItem(u"fc1"_s);
            for (int c = ModelTreeView::SensitivityColumn; c < ModelTreeView::ColumnCount; ++c)
                t << fc1->toolTip(c);
            t << fc1->text(ModelTreeView::BitsColumn);
            for (QWidget *panel : std::initializer_list<QWidget *>{w.modelPanel(), w.layerChart()}) {
                for (QLabel *l : panel->findChildren<QLabel *>())
                    t << l->text() << l->toolTip();
                for (QComboBox *c : panel->findChildren<QComboBox *>()) {
                    t << c->toolTip();
                    for (int i = 0; i < c->count(); ++i)
                        t << c->itemText(i);
                }
                for (QToolButton *b : panel->findChildren<QToolButton *>())
                    t << b->text() << b->toolTip();
            }
            t.removeAll(QString());
            return t;
        };
        const QStringList english = texts();
        QCOMPARE(installTranslators(UiLanguage::German), u"de"_s);
        QTRY_COMPARE(w.treeView()->headerItem()->text(ModelTreeView::SensitivityColumn), u"Empfindlichkeit"_s); // posted events
        const QStringList german = texts();
        QCOMPARE(german.size(), english.size());
        QStringList same;
        for (int i = 0; i < english.size(); ++i)
            if (english[i] == german[i] && english[i] != "at:"_L1 && !english[i].contains(u'%'))
                same << english[i];
        QVERIFY2(same.isEmpty(), qPrintable(same.join(u"\n"_s)));
    }

    // With COMPRESSLAB_SCREENSHOTS=DIR: the window on the demo models (sensitivity from the user's cache, as the CLI
    // left it), saved for the user guide.
    void screenshots()
    {
        const QString out = qEnvironmentVariable("COMPRESSLAB_SCREENSHOTS");
        const QString zoo = QDir::homePath() + u"/.cache/compresslab/zoo/"_s;
        if (out.isEmpty() || !QFileInfo::exists(zoo + u"brown-gpt/complete"_s))
            QSKIP("set COMPRESSLAB_SCREENSHOTS and build the demo zoo");
        qputenv("COMPRESSLAB_SENSITIVITY_CACHE", (QDir::homePath() + u"/.cache/compresslab/sensitivity"_s).toUtf8());
        Settings::instance().setHistoryPath(m_dir.filePath(u"screenshots.sqlite"_s));
        auto shoot = [&](MainWindow &w, const QString &name) {
            w.resize(1600, 1000); // a common laptop screen's window; at 1280 wide the tree scrolls sideways
            w.findChild<QTabWidget *>()->setCurrentWidget(w.layerChart());
            QTest::qWait(300);
            QVERIFY(w.grab().save(out + u"/"_s + name));
        };
        {
            MainWindow w;
            w.show();
            open(w, zoo + u"fashion-cnn/model.pt"_s, zoo + u"fashion-cnn/eval.safetensors"_s);
            w.modelPanel()->setSensitivityParams({});
            QSignalSpy finished(&w, &MainWindow::jobFinished);
            w.analyseSensitivity();
            QVERIFY(finished.wait(300000));
            w.layerChart()->setView(LayerBytesChart::SensitivityKl);
            shoot(w, u"model-sensitivity-fashion.png"_s);
        }
        {
            MainWindow w;
            w.show();
            open(w, zoo + u"brown-gpt/model.pt"_s, zoo + u"brown-gpt/eval.safetensors"_s);
            w.modelPanel()->setSensitivityParams({});
            QSignalSpy finished(&w, &MainWindow::jobFinished);
            w.analyseSensitivity();
            QVERIFY(finished.wait(600000));
            // 4 bits and 30% pruned, the most sensitive layers kept at 8 bits, two insensitive ones at 2 bits.
            w.tunePanel()->bitsSlider()->setValue(4);
            w.tunePanel()->sparsitySlider()->setValue(30);
            ModelTreeView *tree = w.treeView();
            tree->expandAll();
            for (const QString &path : {u"tok_emb"_s, u"pos_emb"_s})
                tree->layerItem(path)->setData(ModelTreeView::BitsColumn, ModelTreeView::OverrideRole, 8);
            for (const QString &path : {u"blocks.1.attn.q_proj"_s, u"blocks.1.attn.k_proj"_s})
                tree->layerItem(path)->setData(ModelTreeView::BitsColumn, ModelTreeView::OverrideRole, 2);
            tree->layerItem(u"blocks.1.mlp.fc2"_s)->setData(ModelTreeView::SparsityColumn, ModelTreeView::OverrideRole, 60);
            tree->layerItem(u"blocks.0.mlp.fc1"_s)->setCheckState(ModelTreeView::SkipColumn, Qt::Checked);
            QVERIFY(!nextReport(w).layers.isEmpty());
            w.layerChart()->setView(LayerBytesChart::BytesAfter);
            tree->setCurrentItem(tree->layerItem(u"blocks.1.attn.q_proj"_s));
            tree->scrollToTop();
            shoot(w, u"model-overrides-brown.png"_s);
        }
    }
};

QTEST_MAIN(TestModelPanel)
#include "tst_modelpanel.moc"
