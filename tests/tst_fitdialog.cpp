// Model ▸ Fit to Device…, driven offscreen: a plan is measured in the background and shown (summary and a row
// per layer), Apply puts it into the Compression controls as int8 with per-layer overrides, and Cancel stops it.
#include "MainWindow.h"
#include "TestSupport.h"

#include "dialogs/FitDialog.h"
#include "jobs/Job.h"
#include "panels/TunePanel.h"

#include <QAction>
#include <QCheckBox>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace compresslab;
using testsupport::fixture;

class TestFitDialog : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_settingsDir;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    }

    void plansMeasuresAndApplies()
    {
        TunePanel tune;
        FitDialog dialog(fixture(u"tiny_mlp.pt"_s), fixture(u"tiny_mlp_eval.safetensors"_s), &tune);
        dialog.samplesBox()->setValue(100);
        dialog.uniformBitsBox()->setValue(4);
        QVERIFY(!dialog.applyButton()->isEnabled());
        QSignalSpy planned(&dialog, &FitDialog::planned);
        dialog.runButton()->click();
        QVERIFY(!dialog.runButton()->isEnabled());
        QVERIFY(planned.wait(120000));
        const FitResult *r = dialog.result();
        QVERIFY(r);
        QVERIFY(r->uniform); // the same size as uniform int4, measured too
        QVERIFY(r->plan.weightBytes <= r->budgetBytes);
        QCOMPARE(dialog.layerTable()->rowCount(), int(r->plan.bitsPerLayer.size()));
        QCOMPARE(dialog.layerTable()->item(0, 0)->text(), r->plan.bitsPerLayer.firstKey());
        QCOMPARE(dialog.layerTable()->item(0, 1)->text(), QString::number(r->plan.bitsPerLayer.first()));
        QVERIFY(dialog.summaryLabel()->text().contains(u"(measured"_s));
        QVERIFY(dialog.summaryLabel()->text().contains(u"(estimated)"_s));
        QTRY_VERIFY(dialog.applyButton()->isEnabled());

        // Apply: the controls become int8 per channel with the plan's layers as overrides, and measure that.
        QSignalSpy changed(&tune, &TunePanel::configChanged);
        dialog.applyButton()->click();
        QVERIFY(!changed.isEmpty());
        const QJsonObject config = tune.configJson();
        QCOMPARE(config.value(u"quantize"_s).toObject().value(u"bits"_s).toInt(), 8);
        QJsonObject expected = r->plan.config.value(u"layers"_s).toObject();
        QCOMPARE(tune.layerOverrides(), expected);
        if (!expected.isEmpty())
            QCOMPARE(config.value(u"layers"_s).toObject(), expected);
    }

    // Model ▸ Fit to Device… needs a model and a dataset; it opens one dialog, and a fresh one for another dataset.
    void theWindowOpensOneDialogPerModelAndDataset()
    {
        MainWindow w;
        QAction *action = nullptr;
        for (QAction *a : w.findChildren<QAction *>())
            action = a->text() == tr("&Fit to Device…") ? a : action;
        QVERIFY(action);
        QVERIFY(!action->isEnabled());
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        w.openModel(fixture(u"tiny_mlp.pt"_s));
        QVERIFY(loaded.wait(20000));
        QVERIFY(!action->isEnabled()); // no dataset yet
        w.setDatasetPath(fixture(u"tiny_mlp_eval.safetensors"_s));
        QVERIFY(action->isEnabled());
        action->trigger();
        QPointer<FitDialog> first = w.findChild<FitDialog *>();
        QVERIFY(first);
        QVERIFY(first->isVisible());
        action->trigger();
        QCOMPARE(w.findChildren<FitDialog *>().size(), 1); // the same dialog raised
        w.setDatasetPath(fixture(u"tiny_mlp_large.safetensors"_s));
        action->trigger();
        QVERIFY(!first); // replaced: its budgets were for the other dataset's model
        QCOMPARE(w.findChildren<FitDialog *>().size(), 1);
    }

    void aPrunedPlanKeepsItsRatiosInTheControls()
    {
        // Overrides with a sparsity need the pruning step even while the global ratio is 0.
        TunePanel tune;
        QVERIFY(tune.setConfigJson(QJsonObject{{u"quantize"_s, QJsonObject{{u"bits"_s, 8}}}}));
        tune.setLayerOverrides(QJsonObject{{u"fc1"_s, QJsonObject{{u"bits"_s, 4}, {u"sparsity"_s, 0.5}}}});
        QCOMPARE(tune.configJson().value(u"prune"_s).toObject().value(u"sparsity"_s).toDouble(), 0.0);
        tune.setLayerOverrides(QJsonObject{{u"fc1"_s, QJsonObject{{u"bits"_s, 4}}}});
        QVERIFY(!tune.configJson().contains(u"prune"_s)); // no ratio, no step
    }

    void cancelStopsThePlan()
    {
        TunePanel tune;
        FitDialog dialog(fixture(u"tiny_mlp.pt"_s), fixture(u"tiny_mlp_eval.safetensors"_s), &tune);
        QSignalSpy failed(&dialog, &FitDialog::failed);
        QSignalSpy planned(&dialog, &FitDialog::planned);
        dialog.runButton()->click();
        dialog.cancelButton()->click(); // before its first progress report: nothing is planned
        QVERIFY(failed.wait(60000));
        QCOMPARE(failed.first().first().toString(), u"cancelled"_s);
        QVERIFY(planned.isEmpty());
        QVERIFY(dialog.summaryLabel()->text().contains(u"Cancelled"_s));
        QTRY_VERIFY(dialog.runButton()->isEnabled());
        QVERIFY(!dialog.applyButton()->isEnabled());
    }
};

QTEST_MAIN(TestFitDialog)
#include "tst_fitdialog.moc"
