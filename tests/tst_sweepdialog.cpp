// Model ▸ Sweep…: a grid of bit widths × pruning ratios, each configuration compressed, evaluated, recorded in
// the history with the tag "sweep" and listed as it finishes; Cancel and closing stop within the one under way (recorded as cancelled);
// the core sweep refuses an empty grid.
#include "MainWindow.h"
#include "Settings.h"
#include "TestSupport.h"
#include "charts/TradeoffChart.h"
#include "common/UserError.h"
#include "data/Dataset.h"
#include "dialogs/SweepDialog.h"
#include "experiment/Sweep.h"
#include "history/History.h"
#include "jobs/Job.h"
#include "model/Model.h"
#include "panels/HistoryPanel.h"
#include "panels/HistoryTableModel.h"

#include <QAction>
#include <QCheckBox>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QProgressBar>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace compresslab;
using testsupport::fixture;

class TestSweepDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
    }

    // Each test function writes its own history, so its rows are its own.
    void init()
    {
        m_db = m_dir.filePath(u"%1.sqlite"_s.arg(QString::fromLatin1(QTest::currentTestFunction())));
        Settings::instance().setHistoryPath(m_db);
    }

    void coreRefusesAnEmptyGrid()
    {
        const auto model = Model::load(fixture(u"tiny_mlp.pt"_s));
        const auto data = Dataset::load(fixture(u"tiny_mlp_eval.safetensors"_s));
        try {
            sweepModel(*model, *data, {}, nullptr);
            QFAIL("an empty sweep ran");
        } catch (const UserError &e) {
            QVERIFY2(e.message().contains("no configurations"_L1), qPrintable(e.message()));
        }
        try {
            sweepConfigurations(QJsonObject{});
            QFAIL("an empty grid expanded");
        } catch (const UserError &e) {
            QVERIFY2(e.message().contains("\"configs\""_L1), qPrintable(e.message()));
        }
        try {
            sweepConfigurations(QJsonObject{{u"vary"_s, QJsonObject{{u"quantize.bits"_s, QJsonArray{}}}}});
            QFAIL("an empty list of values expanded");
        } catch (const UserError &e) {
            QVERIFY2(e.message().contains("vary.quantize.bits must be a non-empty list"_L1), qPrintable(e.message()));
        }
    }

    void gridFollowsTheTicks()
    {
        SweepDialog dialog(fixture(u"tiny_mlp.pt"_s), fixture(u"tiny_mlp_eval.safetensors"_s), nullptr);
        tickOnly(dialog, {u"2"_s, u"fp16"_s}, {0, 25, 75});
        QCOMPARE(dialog.configurationCount(), 6);
        QVERIFY(dialog.countLabel()->text().contains("6"_L1));
        const QJsonObject vary = dialog.grid().value("vary"_L1).toObject();
        QCOMPARE(vary.value("quantize.bits"_L1).toArray(), (QJsonArray{2, u"fp16"_s}));
        QCOMPARE(vary.value("prune.sparsity"_L1).toArray(), (QJsonArray{0.0, 0.25, 0.75}));
        QCOMPARE(sweepConfigurations(dialog.grid()).size(), 6);
        tickOnly(dialog, {}, {});
        QCOMPARE(dialog.configurationCount(), 0);
        QVERIFY(!dialog.runButton()->isEnabled());
        QVERIFY(!dialog.fromControlsBox()->isEnabled()); // no Compression controls to start from
    }

    // Through the window: Model ▸ Sweep… on a model and dataset; 2×2 = 4 rows in the table and in the history,
    // and the history list and the trade-off chart re-read them.
    void twoByTwoGridRecordsFourExperiments()
    {
        MainWindow w;
        auto *action = w.findChild<QAction *>(u"sweepAction"_s);
        QVERIFY(action);
        QSignalSpy loaded(&w, &MainWindow::modelLoaded);
        w.openModel(fixture(u"tiny_mlp.pt"_s));
        QVERIFY(loaded.wait(20000));
        QVERIFY(!action->isEnabled()); // no dataset yet
        w.setDatasetPath(fixture(u"tiny_mlp_eval.safetensors"_s));
        QVERIFY(action->isEnabled());
        action->trigger();
        auto *dialog = w.findChild<SweepDialog *>();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        tickOnly(*dialog, {u"4"_s, u"8"_s}, {0, 50});
        QCOMPARE(dialog->configurationCount(), 4);

        QSignalSpy done(dialog, &SweepDialog::sweepFinished);
        dialog->runButton()->click();
        QVERIFY(dialog->job());
        QVERIFY(dialog->job()->title().contains("4"_L1));
        QVERIFY(done.wait(120000));
        QVERIFY2(dialog->statusLabel()->text().contains("recorded"_L1), qPrintable(dialog->statusLabel()->text()));
        QCOMPARE(dialog->resultTable()->rowCount(), 4);
        for (int row = 0; row < 4; ++row) {
            QVERIFY(dialog->resultTable()->item(row, 1)->text().contains("smaller"_L1));
            QVERIFY(!dialog->resultTable()->item(row, 2)->text().isEmpty());
        }
        QVERIFY(dialog->resultTable()->horizontalHeaderItem(2)->text().contains("measured"_L1));
        QCOMPARE(sweepRows(), 4);
        QTRY_COMPARE_WITH_TIMEOUT(w.historyPanel()->tableModel()->rowCount(), 4, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(w.tradeoffChart()->experimentCount(), 4, 20000);
        if (const QString out = qEnvironmentVariable("COMPRESSLAB_SWEEP_SCREENSHOT"); !out.isEmpty())
            QVERIFY(dialog->grab().save(out));
    }

    void cancelStopsWithinTheCurrentConfiguration()
    {
        // Cancel once the second configuration reports progress (the original's evaluation is the first
        // thousandth-slot, each configuration one more): the large set keeps it running while the click arrives.
        SweepDialog dialog(fixture(u"tiny_mlp.pt"_s), fixture(u"tiny_mlp_large.safetensors"_s), nullptr);
        tickOnly(dialog, {u"4"_s, u"8"_s}, {0, 50});
        auto *bar = dialog.findChild<QProgressBar *>();
        QVERIFY(bar);
        connect(bar, &QProgressBar::valueChanged, &dialog, [&dialog](int value) {
            if (value > 2000 && dialog.cancelButton()->isEnabled())
                dialog.cancelButton()->click();
        });
        QSignalSpy done(&dialog, &SweepDialog::sweepFinished);
        dialog.run();
        QVERIFY(done.wait(120000));
        // Cancel lands within a batch of the configuration under way: it ends as cancelled, not finished,
        // and the ones before it stay recorded as done. The sweep runs in the model host, and the click reaches
        // it up to a progress report (100 ms) after the value it reacted to: when that configuration has just
        // finished, the sweep stops before the next one begins, and nothing is cut short (none cancelled).
        const int rows = dialog.resultTable()->rowCount();
        QVERIFY2(rows >= 1 && rows < 4, qPrintable(QString::number(rows)));
        QVERIFY2(dialog.statusLabel()->text().contains("Cancelled"_L1), qPrintable(dialog.statusLabel()->text()));
        QCOMPARE(sweepRows(), rows);
        const int cancelled = sweepRows(history::Status::Cancelled);
        QVERIFY2(cancelled <= 1, qPrintable(QString::number(cancelled)));
        QVERIFY(dialog.runButton()->isEnabled());
    }

    void closingCancelsTheSweep()
    {
        SweepDialog dialog(fixture(u"tiny_mlp.pt"_s), fixture(u"tiny_mlp_large.safetensors"_s), nullptr);
        dialog.show();
        tickOnly(dialog, {u"2"_s, u"3"_s, u"4"_s, u"8"_s}, {0, 50});
        connect(&dialog, &SweepDialog::configurationFinished, &dialog, [&dialog](int row) {
            if (row == 0)
                dialog.close();
        });
        QSignalSpy done(&dialog, &SweepDialog::sweepFinished);
        dialog.run();
        QVERIFY(done.wait(120000));
        QVERIFY(!dialog.isVisible());
        QVERIFY2(dialog.resultTable()->rowCount() < 8, qPrintable(QString::number(dialog.resultTable()->rowCount())));
        QVERIFY(dialog.statusLabel()->text().contains("Cancelled"_L1));
    }

private:
    static void tickOnly(SweepDialog &dialog, const QStringList &bits, const QList<int> &percents)
    {
        for (const QString &b : {u"2"_s, u"3"_s, u"4"_s, u"5"_s, u"6"_s, u"8"_s, u"fp16"_s})
            QVERIFY(dialog.setBitsTicked(b, bits.contains(b)));
        for (int p : {0, 25, 50, 75})
            QVERIFY(dialog.setPruningTicked(p, percents.contains(p)));
    }

    qint64 sweepRows(history::Status status = history::Status::Done) const
    {
        history::History h(m_db);
        history::Filter tagged;
        tagged.tag = u"sweep"_s;
        tagged.status = status;
        return h.count(tagged);
    }

    QTemporaryDir m_dir;
    QString m_db;
};

QTEST_MAIN(TestSweepDialog)
#include "tst_sweepdialog.moc"
