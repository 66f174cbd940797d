// The window's workflows, driven offscreen: open a model, see the tree and chart, evaluate, distil and export
// in the background, cancel, and get a clear message for a bad file. Texts, shortcuts and languages:
// tst_window_appearance.cpp.
#include "TestSupport.h"

#include "CoreText.h"
#include "MainWindow.h"
#include "Settings.h"
#include "Translation.h"
#include "charts/LayerBytesChart.h"
#include "common/UserError.h"
#include "jobs/Job.h"
#include "jobs/JobRegistry.h"
#include "model/Model.h"
#include "model/ModelDescription.h"
#include "HistorySamples.h"
#include "history/History.h"
#include "LiveTuning.h"
#include "charts/ChartStyle.h"
#include "charts/DistillCurvesChart.h"
#include "charts/TradeoffChart.h"
#include "panels/TunePanel.h"
#include "panels/DistillPanel.h"
#include "panels/HistoryPanel.h"
#include "panels/HistoryTableModel.h"
#include "panels/ModelTreeView.h"
#include "panels/ResultsPanel.h"
#include "export/OnnxExportTool.h"
#include "dialogs/ExportDialog.h"
#include "device/DeviceCatalog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QImage>
#include <QPen>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QSlider>
#include <QTabWidget>
#include <QToolBar>
#include <QToolButton>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace compresslab;
using testsupport::fixture;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        Settings::instance().clearRecentFiles();
    }

    // Every test here opened, evaluated, compressed or exported models: all of it ran in isolated workers.
    void cleanupTestCase() { QCOMPARE(Model::loadsInThisProcess(), 0); }

    void opensModelIntoTreeAndChart()
    {
        MainWindow w;
        w.show();
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        w.openModel(fixture(u"tiny_cnn.pt"_s));
        QVERIFY(loaded.wait(20000));
        QVERIFY(w.model());
        int items = 0;
        for (QTreeWidgetItemIterator it(w.treeView()); *it; ++it)
            ++items;
        QCOMPARE(items, w.model()->summary.modules.size());
        QCOMPARE(w.treeView()->topLevelItem(0)->text(ModelTreeView::TypeColumn), u"TinyCNN"_s);
        QCOMPARE(w.layerChart()->barCount(), 3); // conv, bn, head own tensors; relu and pool do not
        QCOMPARE(Settings::instance().recentFiles().first(), QFileInfo(fixture(u"tiny_cnn.pt"_s)).canonicalFilePath());
    }

    void historyPanelListsTheChosenFile()
    {
        const QString db = m_settingsDir.filePath(u"panel.sqlite"_s);
        {
            history::History h(db);
            QRandomGenerator rng(1);
            for (int i = 0; i < 3; ++i)
                h.record({0, testing::sampleStart(i, rng), testing::sampleOutcome(2, rng)});
        }
        MainWindow w;
        QSignalSpy loaded(w.historyPanel(), &HistoryPanel::loaded);
        Settings::instance().setHistoryPath(db); // the setting reopens the panel on the new file
        QVERIFY(loaded.wait(10000));
        QCOMPARE(w.historyPanel()->tableModel()->rowCount(), 3);
        const QModelIndex model = w.historyPanel()->tableModel()->index(0, HistoryTableModel::Model);
        QCOMPARE(model.data().toString(), u"model-2"_s); // newest first
        QVERIFY(w.historyPanel()->tableModel()->index(0, HistoryTableModel::Quality).data().toString().startsWith("accuracy"_L1));

        // A file that is not a history: a message in the panel, the file untouched, no crash.
        QSignalSpy failed(w.historyPanel(), &HistoryPanel::failed);
        Settings::instance().setHistoryPath(fixture(u"tiny_mlp.pt"_s));
        QVERIFY(failed.wait(10000));
        QVERIFY(failed.first().first().toString().contains(u"not an SQLite database"_s));
        QCOMPARE(w.historyPanel()->tableModel()->rowCount(), 0);
    }

    void evaluatesInTheBackground()
    {
        MainWindow w;
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        w.openModel(fixture(u"tiny_mlp.pt"_s));
        QVERIFY(loaded.wait(20000));
        w.setDatasetPath(fixture(u"tiny_mlp_eval.safetensors"_s));
        QSignalSpy finished(&w, &MainWindow::jobFinished);
        w.evaluate();
        QVERIFY(w.currentJob());
        QVERIFY(finished.wait(20000));
        QCOMPARE(w.resultsPanel()->rowCount(), 1);
        const QString result = w.resultsPanel()->item(0, 2)->text();
        QVERIFY2(result.contains(u"Accuracy %1 %"_s.arg(testsupport::expected(u"tiny_mlp"_s).value("metrics"_L1).toObject()
                                                             .value("accuracy"_L1).toDouble(), 0, 'f', 2)), qPrintable(result));
        QVERIFY(w.resultsPanel()->item(0, 3)->text().contains("thread"_L1));
    }

    void cancelStopsTheEvaluation()
    {
        MainWindow w;
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        w.openModel(fixture(u"tiny_mlp.pt"_s));
        QVERIFY(loaded.wait(20000));
        w.setDatasetPath(fixture(u"tiny_mlp_large.safetensors"_s));
        QSignalSpy finished(&w, &MainWindow::jobFinished);
        w.evaluate();
        QSignalSpy cancelled(w.currentJob(), &Job::cancelled);
        w.cancelJob();
        QVERIFY(finished.wait(20000));
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(w.resultsPanel()->rowCount(), 0); // a cancelled evaluation leaves no result
    }

    void distillsInTheBackgroundWithLiveCurves()
    {
        const QString db = m_settingsDir.filePath(u"distill.sqlite"_s);
        Settings::instance().setHistoryPath(db);
        MainWindow w;
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        w.openModel(fixture(u"tiny_mlp.pt"_s));
        QVERIFY(loaded.wait(20000));
        w.setDatasetPath(fixture(u"tiny_mlp_eval.safetensors"_s));
        DistillPanel *panel = w.distillPanel();
        panel->setTrainingSet(fixture(u"tiny_mlp_train.safetensors"_s));
        panel->setSteps(60);
        panel->setBits(2);
        panel->setLearningRate(0.01);
        QSignalSpy finished(panel, &DistillPanel::finished);
        panel->start();
        QVERIFY(panel->job());
        QVERIFY(finished.wait(60000));
        QVERIFY2(finished.first().first().toBool(), qPrintable(panel->resultText()));
        QTRY_COMPARE(panel->chart()->lossPoints(), 60); // every step's loss reached the chart
        QCOMPARE(panel->chart()->evalPoints(), 3);       // steps 0, 50 and the last
        QVERIFY2(panel->resultText().contains("Recorded as experiment"_L1), qPrintable(panel->resultText()));
        QVERIFY(panel->resultText().contains("measured here"_L1));
        history::History h(db);
        QCOMPARE(h.list().first().kind, u"distill"_s);

        // Cancel keeps the student as of its last step (the default), measured and recorded as cancelled.
        panel->setSteps(1000000);
        finished.clear();
        panel->start();
        QTRY_VERIFY_WITH_TIMEOUT(panel->chart()->lossPoints() > 0, 30000);
        panel->cancel();
        QVERIFY(finished.wait(60000));
        QVERIFY2(panel->resultText().startsWith("Cancelled after"_L1), qPrintable(panel->resultText()));
        QCOMPARE(h.list().first().status, history::Status::Cancelled);
    }

    // Moving a control: a quick point first, then the full measurement, a new history row and a new chart point.
    void slidersMeasureLiveAndRecord()
    {
        const QString db = m_settingsDir.filePath(u"live.sqlite"_s);
        Settings::instance().setHistoryPath(db);
        MainWindow w;
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        w.openModel(fixture(u"tiny_mlp.pt"_s));
        QVERIFY(loaded.wait(20000));
        w.setDatasetPath(fixture(u"tiny_mlp_eval.safetensors"_s));
        QSignalSpy shown(w.liveTuning(), &LiveTuning::livePointShown);
        QSignalSpy recorded(w.liveTuning(), &LiveTuning::recorded);
        for (int bits : {6, 5, 4}) // moving: only the last position is measured
            w.tunePanel()->bitsSlider()->setValue(bits);
        QVERIFY(recorded.wait(30000));
        QCOMPARE(shown.count(), 2);
        QCOMPARE(shown.at(0).first().toBool(), true);  // quick subset first...
        QCOMPARE(shown.at(1).first().toBool(), false); // ...then the full set
        QVERIFY(w.tradeoffChart()->hasLivePoint());
        history::History h(db);
        QCOMPARE(h.list().size(), 1);
        QVERIFY(h.list().first().summary.startsWith("int4"_L1));
        QTRY_COMPARE(w.tradeoffChart()->experimentCount(), 1);

        w.tunePanel()->sparsitySlider()->setValue(50);
        QVERIFY(recorded.wait(30000));
        QCOMPARE(h.list().size(), 2);
        QTRY_COMPARE(w.tradeoffChart()->experimentCount(), 2);

        // A click on a chart point selects that experiment in the history view.
        const qint64 first = h.list().last().id;
        QTRY_COMPARE(w.historyPanel()->tableModel()->rowCount(), 2);
        Q_EMIT w.tradeoffChart()->experimentClicked(first);
        QCOMPARE(w.historyPanel()->selectedExperiment(), first);

        // Export: PNG and PDF by suffix, anything else refused with the reason.
        const QString png = m_settingsDir.filePath(u"tradeoff.png"_s), pdf = m_settingsDir.filePath(u"tradeoff.pdf"_s);
        exportChart(w.tradeoffChart()->plot(), png);
        exportChart(w.tradeoffChart()->plot(), pdf);
        QVERIFY(QImage(png).width() > 100);
        QFile pdfFile(pdf);
        QVERIFY(pdfFile.open(QIODevice::ReadOnly) && pdfFile.read(5) == "%PDF-");
        // SVG: vector, with the chart's texts as text.
        const QString svg = m_settingsDir.filePath(u"tradeoff.svg"_s);
        exportChart(w.tradeoffChart()->plot(), svg);
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        const QByteArray svgText = svgFile.readAll();
        QVERIFY(svgText.contains("<svg"));
        QVERIFY(svgText.contains("deployed size"));
        if (!qEnvironmentVariableIsEmpty("COMPRESSLAB_SCREENSHOTS"))
            QFile::copy(svg, qEnvironmentVariable("COMPRESSLAB_SCREENSHOTS") + u"/tradeoff.svg"_s);
        QVERIFY_THROWS_EXCEPTION(UserError, exportChart(w.tradeoffChart()->plot(), m_settingsDir.filePath(u"tradeoff.bmp"_s)));
    }

    void badFileShowsReasonAndKeepsTheModel()
    {
        MainWindow w;
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        w.openModel(fixture(u"tiny_mlp.pt"_s));
        QVERIFY(loaded.wait(20000));
        QSignalSpy error(&w, &MainWindow::errorShown);
        w.openModel(fixture(u"state_dict.pt"_s));
        QVERIFY(error.wait(20000));
        QVERIFY(error.first().first().toString().contains("torch.save"_L1));
        QVERIFY(w.model());
        QCOMPARE(w.model()->displayName(), u"tiny-mlp"_s); // the open model survives a failed open
    }

    void damagedSettingsAreKeptAsideAndDefaultsApply()
    {
        const QString file = m_settingsDir.filePath(u"damaged.conf"_s);
        QByteArray garbage("[General\nrecentFiles\n=x\n");
        garbage.append('\0');
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(garbage);
        f.close();
        const QString aside = Settings::setAsideIfDamaged(file);
        QVERIFY(aside.startsWith(file + u".damaged-"_s));
        QVERIFY(!QFileInfo::exists(file));
        QFile kept(aside);
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), garbage); // nothing lost: the user can still recover it
        QSettings fresh(file, QSettings::IniFormat);
        QCOMPARE(fresh.status(), QSettings::NoError);
        QVERIFY(Settings::setAsideIfDamaged(fresh.fileName()).isEmpty()); // a good (or absent) file stays
    }

    void hostileFileKillsOnlyTheIsolatedWorker()
    {
        // crash_on_load.pt segfaults LibTorch while loading (tests/fixtures/make_bad_inputs.py).
        MainWindow w;
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        w.openModel(fixture(u"tiny_mlp.pt"_s));
        QVERIFY(loaded.wait(20000));
        QSignalSpy error(&w, &MainWindow::errorShown);
        w.openModel(fixture(u"bad/crash_on_load.pt"_s));
        QVERIFY(error.wait(30000));
        QVERIFY2(error.first().first().toString().contains("LibTorch crashed (SIGSEGV"_L1), qPrintable(error.first().first().toString()));
        QCOMPARE(w.model()->displayName(), u"tiny-mlp"_s); // still here, still working
    }

    // crash_on_batch.pt runs on the probe's one sample and segfaults on a batch: the window's evaluations run
    // in the model host's process, so that crash costs a message, and the next evaluation works.
    void aModelThatCrashesOnDataCostsAMessageNotTheWindow()
    {
        MainWindow w;
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        w.openModel(fixture(u"bad/crash_on_batch.pt"_s));
        QVERIFY(loaded.wait(20000));
        w.setDatasetPath(fixture(u"tiny_mlp_eval.safetensors"_s));
        QSignalSpy error(&w, &MainWindow::errorShown);
        w.evaluate();
        QVERIFY(error.wait(30000));
        QVERIFY2(error.first().first().toString().contains("died: LibTorch crashed (SIGSEGV"_L1), qPrintable(error.first().first().toString()));
        QTRY_VERIFY(!w.currentJob());

        // The live point of a configuration hits the same crash and says so in the tuning panel.
        w.tunePanel()->bitsSlider()->setValue(4);
        QTRY_VERIFY_WITH_TIMEOUT(w.tunePanel()->status().contains("died: LibTorch crashed"_L1), 30000);

        w.openModel(fixture(u"tiny_mlp.pt"_s));
        QVERIFY(loaded.wait(20000));
        w.setDatasetPath(fixture(u"tiny_mlp_eval.safetensors"_s));
        QSignalSpy finished(&w, &MainWindow::jobFinished);
        w.evaluate();
        QVERIFY(finished.wait(30000));
        QCOMPARE(w.resultsPanel()->rowCount(), 1);
    }

    void nonFiniteWeightsAreTheUsersChoice()
    {
        MainWindow w;
        QStringList asked;
        bool answer = false;
        w.setNonFiniteConfirmation([&](const QString &, const QStringList &tensors) {
            asked = tensors;
            return answer;
        });
        QSignalSpy finished(&w, &MainWindow::jobFinished);
        w.openModel(fixture(u"bad/nan_weights.pt"_s));
        QVERIFY(finished.wait(30000));
        QCOMPARE(asked, (QStringList{u"fc1.weight (1 NaN)"_s, u"fc2.bias (1 Inf)"_s}));
        QVERIFY(!w.model()); // declined: not opened
        answer = true;
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        w.openModel(fixture(u"bad/nan_weights.pt"_s));
        QVERIFY(loaded.wait(30000));
        QCOMPARE(w.model()->summary.nonFiniteTensors().size(), 2);
    }

    void jobReportsFailureAndCancel()
    {
        Job failing(u"fail"_s, [](const ProgressCallback &) { throw UserError(u"broken input"_s); });
        QSignalSpy failed(&failing, &Job::failed);
        failing.start();
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.first().first().toString(), u"broken input"_s);

        // Work that runs until told to stop: cancel must end it at the next progress report.
        Job endless(u"loop"_s, [](const ProgressCallback &progress) {
            for (qint64 i = 0; i < 100000000; ++i) {
                if (!progress(i, 100000000))
                    throw Cancelled();
                QThread::usleep(100);
            }
        });
        QSignalSpy cancelled(&endless, &Job::cancelled);
        endless.start();
        QTest::qWait(50);
        QVERIFY(endless.isRunning());
        endless.cancel();
        QVERIFY(cancelled.wait(5000));
    }

    // File ▸ Export writes the compressed model of the current controls: TorchScript (dequantized and int8
    // kernels), the packed artifact and, where the ONNX tool can run (setup.sh installs it), ONNX files.
    void exportsTheCompressedModelAsFiles()
    {
        Settings::instance().setHistoryPath(m_settingsDir.filePath(u"export.sqlite"_s));
        MainWindow w;
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        w.openModel(fixture(u"tiny_mlp.pt"_s));
        QVERIFY(loaded.wait(20000));
        const QString out = m_settingsDir.filePath(u"exported"_s);
        const bool onnx = probeOnnxTool().canExport;
        QString askedAbout, int8Unavailable;
        bool forceInt8 = false; // ask for int8 kernels even where the dialog would not offer them
        w.setExportChooser([&](const QString &summary, const QString &, const QString &int8Reason) {
            askedAbout = summary;
            int8Unavailable = int8Reason;
            ExportChoice c;
            c.outDir = out;
            c.int8Kernels = forceInt8 || int8Reason.isEmpty();
            c.onnx = onnx;
            return std::optional<ExportChoice>(c);
        });
        w.exportCompressedModel(); // no compression chosen yet: nothing to export, nothing asked
        QVERIFY(askedAbout.isEmpty());
        // GPTQ calibrates on the chosen dataset: without one, the reason says what to do.
        QSignalSpy gptqErrors(&w, &MainWindow::errorShown);
        QComboBox *rounding = nullptr;
        for (QComboBox *c : w.tunePanel()->findChildren<QComboBox *>()) {
            if (c->findData(u"gptq"_s) >= 0)
                rounding = c;
        }
        QVERIFY(rounding);
        w.tunePanel()->bitsSlider()->setValue(4);
        rounding->setCurrentIndex(rounding->findData(u"gptq"_s));
        w.exportCompressedModel();
        QVERIFY(gptqErrors.wait(30000));
        QVERIFY2(gptqErrors.first().first().toString().contains("choose a dataset"_L1), qPrintable(gptqErrors.first().first().toString()));
        w.setDatasetPath(fixture(u"tiny_mlp_eval.safetensors"_s)); // with one, GPTQ calibrates and exports
        QSignalSpy gptqDone(&w, &MainWindow::jobFinished);
        w.exportCompressedModel();
        QVERIFY(gptqDone.wait(120000));
        QCOMPARE(gptqErrors.size(), 1);
        QVERIFY(QFileInfo(out + u"/model-packed.safetensors"_s).size() > 0);
        QVERIFY(QFile::remove(out + u"/model-packed.safetensors"_s));
        w.setDatasetPath(QString());
        rounding->setCurrentIndex(rounding->findData(u"rtn"_s));
        QSignalSpy finished(&w, &MainWindow::jobFinished);
        QSignalSpy errors(&w, &MainWindow::errorShown);
        w.tunePanel()->bitsSlider()->setValue(4);
        forceInt8 = true;
        w.exportCompressedModel();
        forceInt8 = false;
        QVERIFY(askedAbout.startsWith("int4"_L1));
        QVERIFY2(int8Unavailable.contains("8-bit"_L1), qPrintable(int8Unavailable)); // int8 kernels would change it
        QVERIFY(finished.wait(120000));
        QVERIFY(!errors.isEmpty()); // this chooser asked for int8 anyway: refused with the reason, nothing lost
        errors.clear();
        w.tunePanel()->bitsSlider()->setValue(8);
        w.exportCompressedModel();
        QVERIFY(askedAbout.startsWith("int8"_L1));
        QVERIFY(int8Unavailable.isEmpty());
        QVERIFY(finished.wait(120000));
        QVERIFY2(errors.isEmpty(), errors.isEmpty() ? "" : qPrintable(errors.first().first().toString()));
        QStringList expected{u"model-dequantized.pt"_s, u"model-packed.safetensors"_s, u"model-int8.pt"_s};
        if (onnx)
            expected << u"model.onnx"_s << u"model-qdq.onnx"_s;
        else
            qWarning("ONNX export unavailable here (%s): only the TorchScript files are checked", qPrintable(probeOnnxTool().reason));
        for (const QString &name : expected)
            QVERIFY2(QFileInfo(out + u'/' + name).size() > 0, qPrintable(name));
        QCOMPARE(w.resultsPanel()->item(0, 0)->text(), u"Export"_s);
        QVERIFY(w.resultsPanel()->item(0, 3)->text().contains(u"model-packed.safetensors"_s));
        // Which int8 engine the file holds, timed on this machine (the default "auto").
        QVERIFY2(w.resultsPanel()->item(0, 3)->text().contains(u"int8 kernels: "_s) &&
                     w.resultsPanel()->item(0, 3)->text().contains(u"measured faster on this machine"_s),
                 qPrintable(w.resultsPanel()->item(0, 3)->text()));
        if (!qEnvironmentVariableIsEmpty("COMPRESSLAB_SCREENSHOTS")) {
            w.resize(1400, 900);
            w.grab().save(qEnvironmentVariable("COMPRESSLAB_SCREENSHOTS") + u"/export-result.png"_s);
        }
        // The written model runs: the window opens it like any other.
        w.openModel(out + u"/model-dequantized.pt"_s);
        QVERIFY(loaded.wait(20000));
    }

    // The dialog offers ONNX only where the tool can run, says why otherwise, and never offers int8 kernels
    // that would change the configuration's result. COMPRESSLAB_SCREENSHOTS=DIR saves how it looks.
    void exportDialogOffersOnlyWhatCanBeWritten()
    {
        const OnnxToolStatus status = probeOnnxTool();
        ExportDialog dialog(u"tiny_mlp"_s, u"int4 per-channel sym RTN"_s, m_settingsDir.filePath(u"x"_s), true,
                            u"int8_kernels runs 8-bit weights"_s);
        dialog.show();
        QCheckBox *int8 = nullptr, *onnx = nullptr;
        for (QCheckBox *box : dialog.findChildren<QCheckBox *>()) {
            if (box->text().contains("int8 kernels"_L1))
                int8 = box;
            else if (box->text().startsWith("ONNX"_L1))
                onnx = box;
        }
        QVERIFY(int8 && onnx);
        QVERIFY(!int8->isEnabled());
        QVERIFY(int8->toolTip().contains("8-bit"_L1));
        QTRY_COMPARE_WITH_TIMEOUT(onnx->isEnabled(), status.canExport, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.findChild<QLabel *>()->text().isNull(), 1000);
        onnx->setChecked(true);
        QCOMPARE(dialog.choice().onnx, status.canExport);
        QVERIFY(!dialog.choice().int8Kernels);
        if (!qEnvironmentVariableIsEmpty("COMPRESSLAB_SCREENSHOTS"))
            dialog.grab().save(qEnvironmentVariable("COMPRESSLAB_SCREENSHOTS") + u"/export-dialog.png"_s);
    }

private:
    QTemporaryDir m_settingsDir;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
