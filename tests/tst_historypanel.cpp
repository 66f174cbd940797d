// The Experiment History dock on a seeded temporary history: sorting (numbers as numbers), filters,
// compare, delete + undo, tags and notes, CSV export of the listed rows, and re-run into the Compression
// controls (refused, with the reason, for what the controls cannot show).
#include "HistorySamples.h"
#include "MainWindow.h"
#include "jobs/Job.h"
#include "Settings.h"
#include "compress/CompressionConfig.h"
#include "dialogs/CompareDialog.h"
#include "history/History.h"
#include "panels/HistoryPanel.h"
#include "panels/HistoryRerun.h"
#include "panels/HistoryTableModel.h"
#include "panels/TunePanel.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace compresslab;

namespace {

// A configuration the Compression controls can show, in the form the history records (normalised).
QJsonObject recordedForm(const QJsonObject &config) { return toJson(parseCompressionConfig(config)); }

// Functions, not globals: the configuration parser's own tables must exist first.
QJsonObject int4Group64()
{
    return recordedForm(QJsonObject{
        {u"quantize"_s, QJsonObject{{u"bits"_s, 4}, {u"granularity"_s, u"group"_s}, {u"group_size"_s, 64}, {u"group_fallback"_s, u"channel"_s}}},
        {u"prune"_s, QJsonObject{{u"sparsity"_s, 0.3}, {u"pattern"_s, u"unstructured"_s}}}});
}
QJsonObject int8Group64()
{
    return recordedForm(QJsonObject{
        {u"quantize"_s, QJsonObject{{u"bits"_s, 8}, {u"granularity"_s, u"group"_s}, {u"group_size"_s, 64}, {u"group_fallback"_s, u"channel"_s}}},
        {u"prune"_s, QJsonObject{{u"sparsity"_s, 0.3}, {u"pattern"_s, u"unstructured"_s}}}});
}

history::Experiment compression(const QJsonObject &config, double accuracy, double bytes, const QString &summary)
{
    QRandomGenerator rng(7);
    history::Experiment e{0, testing::sampleStart(1, rng), {}};
    e.start.kind = u"compress"_s;
    e.start.config = config;
    e.start.summary = summary;
    e.start.tags.clear();
    e.start.started = QDateTime(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);
    using history::Provenance;
    e.outcome.metrics = {{u"accuracy"_s, accuracy, u"%"_s, true, Provenance::Measured, {}, u"result"_s, u"2 threads"_s},
                         {u"accuracy"_s, 91.5, u"%"_s, true, Provenance::Measured, {}, u"baseline"_s, u"2 threads"_s},
                         {u"deployed_bytes"_s, bytes, u"B"_s, false, Provenance::Measured, {}, u"result"_s, {}},
                         {u"latency_ms"_s, bytes / 1e5, u"ms"_s, false, Provenance::Estimated, u"Raspberry Pi 4"_s, u"result"_s, u"roofline"_s}};
    e.outcome.devices = {testing::sampleDevice(0)};
    e.outcome.layers = {{u"fc1"_s, u"Linear"_s, u"int4"_s, 4.0, 0.3, 0.01, 4096, 600, QJsonObject{}}};
    e.outcome.finished = e.start.started.addSecs(5);
    return e;
}

} // namespace

class TestHistoryPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
        m_db = m_dir.filePath(u"history.sqlite"_s);
        history::History h(m_db);
        QRandomGenerator rng(3);
        // 12 sample experiments whose sizes sort differently as text ("900.0 kB" > "1.20 MB") and as numbers.
        for (int i = 0; i < 12; ++i) {
            history::Experiment e{0, testing::sampleStart(i, rng), testing::sampleOutcome(3, rng)};
            for (history::MetricValue &m : e.outcome.metrics) {
                if (m.key == "deployed_bytes"_L1)
                    m.value = (i % 2 ? 9e5 : 1.2e6) + 1000 * i;
            }
            h.record(e);
        }
        m_int4 = h.record(compression(int4Group64(), 90.0, 200000, u"int4 group-64, 30% pruned"_s));
        m_int8 = h.record(compression(int8Group64(), 91.25, 400000, u"int8 group-64, 30% pruned"_s));
        history::Experiment distill = compression(int4Group64(), 91.0, 200000, u"distilled int4"_s);
        distill.start.kind = u"distill"_s;
        m_distill = h.record(distill);
        QJsonObject overrides = int4Group64();
        overrides.insert(u"layers"_s, QJsonObject{{u"fc1"_s, QJsonObject{{u"bits"_s, 8}}}});
        m_overrides = h.record(compression(recordedForm(overrides), 90.5, 250000, u"int4, fc1 at 8 bits"_s));
        m_modelPath = h.experiment(m_int4).start.model.path;
    }

    void init()
    {
        m_panel = std::make_unique<HistoryPanel>();
        m_panel->resize(1400, 500);
        m_panel->show();
        QSignalSpy loaded(m_panel.get(), &HistoryPanel::loaded);
        m_panel->openHistory(m_db);
        QVERIFY(loaded.wait(10000));
    }

    void cleanup() { m_panel.reset(); }

    void sortsNumericColumnsAsNumbers()
    {
        QHeaderView *header = m_panel->tableView()->horizontalHeader();
        auto clickHeader = [header](int column) {
            QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(header->sectionViewportPosition(column) + 4, header->height() / 2));
        };
        auto column = [this](int c, int role) {
            QVariantList values;
            const QSortFilterProxyModel *view = m_panel->sortModel();
            for (int row = 0; row < view->rowCount(); ++row)
                values << view->index(row, c).data(role);
            return values;
        };
        clickHeader(HistoryTableModel::Size);
        QCOMPARE(header->sortIndicatorSection(), int(HistoryTableModel::Size));
        const QVariantList sizes = column(HistoryTableModel::Size, HistoryTableModel::SortRole);
        QCOMPARE(sizes.size(), 16);
        QVERIFY(std::is_sorted(sizes.begin(), sizes.end(), [](const QVariant &a, const QVariant &b) { return a.toDouble() < b.toDouble(); })
                || std::is_sorted(sizes.rbegin(), sizes.rend(), [](const QVariant &a, const QVariant &b) { return a.toDouble() < b.toDouble(); }));
        // As text, "900.0 kB" would sort after "1.20 MB"; as numbers the 200 kB experiment comes first (or last).
        const QString firstShown = column(HistoryTableModel::Size, Qt::DisplayRole).first().toString();
        QVERIFY2(firstShown == u"200.0 kB"_s || firstShown.startsWith(u"1.2"_s), qPrintable(firstShown));

        clickHeader(HistoryTableModel::Id);
        QVariantList ids = column(HistoryTableModel::Id, Qt::DisplayRole);
        if (header->sortIndicatorOrder() == Qt::DescendingOrder)
            std::reverse(ids.begin(), ids.end());
        for (int i = 0; i < ids.size(); ++i)
            QCOMPARE(ids.at(i).toLongLong(), qint64(i + 1)); // 1, 2, ..., 9, 10, 11: not 1, 10, 11, ..., 2
        const bool descending = header->sortIndicatorOrder() == Qt::DescendingOrder;
        clickHeader(HistoryTableModel::Id); // the other way round
        QCOMPARE(column(HistoryTableModel::Id, Qt::DisplayRole).first().toLongLong(), descending ? qint64(1) : qint64(16));
    }

    void filtersByTagAndKind()
    {
        auto *tag = m_panel->findChild<QLineEdit *>();
        tag->setText(u"workshop"_s);
        Q_EMIT tag->editingFinished();
        QCOMPARE(m_panel->tableModel()->rowCount(), 3); // samples 0, 5 and 10
        tag->clear();
        Q_EMIT tag->editingFinished();
        QCOMPARE(m_panel->tableModel()->rowCount(), 16);
        QComboBox *kind = nullptr;
        for (QComboBox *c : m_panel->findChildren<QComboBox *>()) {
            if (c->findData(u"distill"_s) >= 0)
                kind = c;
        }
        QVERIFY(kind);
        kind->setCurrentIndex(kind->findData(u"distill"_s));
        QCOMPARE(m_panel->tableModel()->rowCount(), 1);
        QCOMPARE(m_panel->tableModel()->experiment(0).id, m_distill);
    }

    void comparesTwoExperiments()
    {
        QVERIFY(m_panel->selectExperiment(m_int4));
        selectAlso(m_int8);
        QCOMPARE(m_panel->selectedExperiments().size(), 2);
        QVERIFY(m_panel->compareAction()->isEnabled());
        m_panel->compareAction()->trigger();
        CompareDialog *dialog = m_panel->compareDialog();
        QVERIFY(dialog);
        const qint64 reference = m_panel->selectedExperiments().first();
        const bool int4First = reference == m_int4;

        // Exactly the one setting that differs.
        QTableWidget *config = dialog->configTable();
        QCOMPARE(config->rowCount(), 1);
        QCOMPARE(config->item(0, 0)->text(), u"quantize.bits"_s);
        QCOMPARE(config->item(0, 1)->text(), int4First ? u"4"_s : u"8"_s);
        QCOMPARE(config->item(0, 2)->text(), int4First ? u"8"_s : u"4"_s);

        // Changes against the first selected, with their direction.
        QTableWidget *metrics = dialog->metricsTable();
        auto rowOf = [metrics](const QString &name) {
            for (int r = 0; r < metrics->rowCount(); ++r) {
                if (metrics->item(r, 0)->text() == name)
                    return r;
            }
            return -1;
        };
        const double sign = int4First ? 1 : -1;
        const int accuracy = rowOf(u"accuracy [%]"_s);
        QVERIFY(accuracy >= 0);
        QCOMPARE(metrics->item(accuracy, 1)->text(), u"measured"_s);
        QCOMPARE(metrics->item(accuracy, 4)->data(CompareDialog::DeltaRole).toDouble(), sign * 1.25);
        QCOMPARE(metrics->item(accuracy, 4)->data(CompareDialog::VerdictRole).toInt(), int(sign)); // higher accuracy: better
        const int bytes = rowOf(u"deployed_bytes [B]"_s);
        QCOMPARE(metrics->item(bytes, 4)->data(CompareDialog::DeltaRole).toDouble(), sign * 200000);
        QCOMPARE(metrics->item(bytes, 4)->data(CompareDialog::VerdictRole).toInt(), -int(sign)); // larger: worse
        QCOMPARE(metrics->item(bytes, 4)->text(), int4First ? u"+200.0 kB worse"_s : u"−200.0 kB better"_s);
        const int baseline = rowOf(u"baseline:accuracy [%]"_s);
        QCOMPARE(metrics->item(baseline, 4)->data(CompareDialog::VerdictRole).toInt(), 0);
        const int estimate = rowOf(u"latency_ms@Raspberry Pi 4 [ms]"_s);
        QCOMPARE(metrics->item(estimate, 1)->text(), u"estimated"_s);
        QCOMPARE(metrics->item(estimate, 4)->data(CompareDialog::DeltaRole).toDouble(), sign * 2.0);

        // One selected row: nothing to compare.
        QVERIFY(m_panel->selectExperiment(m_int4));
        QVERIFY(!m_panel->compareAction()->isEnabled());
    }

    void deleteAndUndoRestoreTheExperimentWhole()
    {
        const history::Experiment before = history::History(m_db).experiment(m_int8);
        QVERIFY(m_panel->selectExperiment(m_int8));
        m_panel->tableView()->setFocus();
        QVERIFY(QTest::qWaitForWindowActive(m_panel.get()));
        QTest::keyClick(m_panel->tableView(), Qt::Key_Delete);
        QCOMPARE(m_panel->tableModel()->rowCount(), 15);
        QVERIFY(!m_panel->selectExperiment(m_int8));
        QVERIFY(!history::History(m_db).findByUuid(before.start.uuid));
        QVERIFY(m_panel->message().contains(u"Deleted 1 experiment"_s));

        QTest::keyClick(m_panel->tableView(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(m_panel->tableModel()->rowCount(), 16);
        history::History h(m_db);
        const std::optional<qint64> restoredId = h.findByUuid(before.start.uuid);
        QVERIFY(restoredId);
        const history::Experiment after = h.experiment(*restoredId);
        m_int8 = *restoredId; // the history gives it a new number
        QCOMPARE(m_panel->selectedExperiment(), m_int8);
        QCOMPARE(after.start.config, before.start.config);
        QCOMPARE(after.start.summary, before.start.summary);
        QCOMPARE(after.start.started, before.start.started);
        QCOMPARE(after.outcome.finished, before.outcome.finished);
        QCOMPARE(after.start.model.sha256, before.start.model.sha256);
        QCOMPARE(after.outcome.metrics.size(), before.outcome.metrics.size());
        for (qsizetype i = 0; i < before.outcome.metrics.size(); ++i) {
            QCOMPARE(after.outcome.metrics.at(i).key, before.outcome.metrics.at(i).key);
            QCOMPARE(after.outcome.metrics.at(i).value, before.outcome.metrics.at(i).value);
            QCOMPARE(after.outcome.metrics.at(i).device, before.outcome.metrics.at(i).device);
        }
        QCOMPARE(after.outcome.layers.size(), before.outcome.layers.size());
        QCOMPARE(after.outcome.layers.first().deployedBytes, before.outcome.layers.first().deployedBytes);
        QVERIFY(!m_panel->undoAction()->isEnabled()); // nothing more to put back
    }

    void tagsAndNotesPersist()
    {
        QVERIFY(m_panel->selectExperiment(m_int4));
        HistoryAnnotation seen;
        m_panel->setAnnotationEditor([&seen](const QString &, const HistoryAnnotation &current) -> std::optional<HistoryAnnotation> {
            seen = current;
            return HistoryAnnotation{{u"best"_s, u"workshop"_s}, u"the one to show"_s};
        });
        QVERIFY(m_panel->annotateAction()->isEnabled());
        m_panel->annotateAction()->trigger();
        QVERIFY(seen.tags.isEmpty());
        const history::Experiment e = history::History(m_db).experiment(m_int4);
        QCOMPARE(e.start.tags, (QStringList{u"best"_s, u"workshop"_s}));
        QCOMPARE(e.start.notes, u"the one to show"_s);
        QVERIFY(m_panel->selectExperiment(m_int4));
        QCOMPARE(m_panel->sortModel()->index(m_panel->tableView()->currentIndex().row(), HistoryTableModel::Tags).data().toString(),
                 u"best, workshop"_s);
        QCOMPARE(HistoryAnnotationDialog::parseTags(u" a, b,,a , c "_s), (QStringList{u"a"_s, u"b"_s, u"c"_s}));
    }

    void exportsTheListedRowsAsCsv()
    {
        auto *tag = m_panel->findChild<QLineEdit *>();
        tag->setText(u"workshop"_s);
        Q_EMIT tag->editingFinished();
        QVector<qint64> listed;
        for (int row = 0; row < m_panel->tableModel()->rowCount(); ++row)
            listed << m_panel->tableModel()->experiment(row).id;
        QVERIFY(listed.size() >= 3);
        const QString path = m_dir.filePath(u"listed.csv"_s);
        m_panel->setCsvPathChooser([path](const QString &) { return path; });
        m_panel->exportAction()->trigger();
        QTRY_VERIFY(m_panel->message().contains(u"Wrote"_s)); // written on a worker
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QVERIFY(lines.first().startsWith("id,uuid,kind,status,"));
        QVector<qint64> written;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            if (!lines.at(i).trimmed().isEmpty())
                written << lines.at(i).left(lines.at(i).indexOf(',')).toLongLong();
        }
        QCOMPARE(written, listed);
        QVERIFY(m_panel->message().contains(path));
    }

    void rerunEmitsTheRecordedConfiguration()
    {
        QSignalSpy rerun(m_panel.get(), &HistoryPanel::rerunRequested);
        QVERIFY(m_panel->selectExperiment(m_int4));
        // Without the experiment's model open, the action says what to open.
        QVERIFY(!m_panel->rerunAction()->isEnabled());
        QVERIFY(m_panel->rerunAction()->toolTip().contains(m_modelPath));
        m_panel->setOpenModel(u"/models/another.pt"_s, u"/data/d.safetensors"_s);
        QVERIFY(!m_panel->rerunAction()->isEnabled());
        m_panel->setOpenModel(m_modelPath, QString());
        QVERIFY(m_panel->rerunAction()->toolTip().contains(u"dataset"_s));
        m_panel->setOpenModel(m_modelPath, u"/data/d1.safetensors"_s);
        QVERIFY(m_panel->rerunAction()->isEnabled());
        m_panel->rerunAction()->trigger();
        QCOMPARE(rerun.size(), 1);
        const QJsonObject config = rerun.first().first().toJsonObject();
        QCOMPARE(config, int4Group64());

        // The controls take it exactly and start one measurement.
        TunePanel tune;
        tune.setLayerOverrides(QJsonObject{{u"fc1"_s, QJsonObject{{u"bits"_s, 2}}}}); // from the model tree, before
        QSignalSpy changed(&tune, &TunePanel::configChanged);
        QVERIFY(tune.setConfigJson(config));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(recordedForm(tune.configJson()), int4Group64());
    }

    // The window wires the signal to the Compression controls and brings them to the front.
    void windowSetsTheControlsOnRerun()
    {
        MainWindow w;
        w.show();
        auto *tuneDock = w.findChild<QDockWidget *>(u"tuneDock"_s);
        QVERIFY(tuneDock);
        tuneDock->hide();
        Q_EMIT w.historyPanel()->rerunRequested(int4Group64());
        QCOMPARE(recordedForm(w.tunePanel()->configJson()), int4Group64());
        QVERIFY(tuneDock->isVisible());
    }

    void rerunIsRefusedWithTheReason_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("reason");
        QTest::newRow("distillation") << 0 << u"distillation"_s;
        QTest::newRow("per-layer overrides") << 1 << u"per-layer overrides"_s;
    }

    void rerunIsRefusedWithTheReason()
    {
        QFETCH(int, which);
        QFETCH(QString, reason);
        const qint64 id = which == 0 ? m_distill : m_overrides;
        m_panel->setOpenModel(m_modelPath, u"/data/d1.safetensors"_s);
        QSignalSpy rerun(m_panel.get(), &HistoryPanel::rerunRequested);
        QVERIFY(m_panel->selectExperiment(id));
        QVERIFY(!m_panel->rerunAction()->isEnabled());
        QVERIFY2(m_panel->rerunAction()->toolTip().contains(reason), qPrintable(m_panel->rerunAction()->toolTip()));
        m_panel->rerunSelected(); // called anyway: it says why and does nothing else
        QCOMPARE(rerun.size(), 0);
        QVERIFY(m_panel->message().contains(reason));
        TunePanel tune;
        const QJsonObject before = tune.configJson();
        QVERIFY(!tune.setConfigJson(history::History(m_db).experiment(id).start.config) || which == 0);
        if (which == 1)
            QCOMPARE(tune.configJson(), before);
    }

    // Every configuration the controls can produce comes back from setConfigJson() unchanged; the others are refused.
    void controlsShowWhatTheyCan_data()
    {
        QTest::addColumn<QJsonObject>("config");
        QTest::addColumn<bool>("shown");
        auto q = [](QJsonObject o) { return QJsonObject{{u"quantize"_s, o}}; };
        QTest::newRow("int3 channel asym gptq") << q({{u"bits"_s, 3}, {u"granularity"_s, u"channel"_s}, {u"symmetric"_s, false}, {u"method"_s, u"gptq"_s}}) << true;
        QTest::newRow("int4 group-128") << q({{u"bits"_s, 4}, {u"granularity"_s, u"group"_s}, {u"group_size"_s, 128}, {u"group_fallback"_s, u"channel"_s}})
                                        << true;
        QTest::newRow("int6 tensor") << q({{u"bits"_s, 6}, {u"granularity"_s, u"tensor"_s}}) << true;
        QTest::newRow("fp16") << q({{u"bits"_s, u"fp16"_s}}) << true;
        QTest::newRow("2:4 + low rank") << QJsonObject{{u"prune"_s, QJsonObject{{u"pattern"_s, u"2:4"_s}, {u"sparsity"_s, 0.5}}},
                                                       {u"low_rank"_s, QJsonObject{{u"rank_ratio"_s, 0.35}}}} << true;
        QTest::newRow("structured 40% + codebook") << QJsonObject{{u"prune"_s, QJsonObject{{u"pattern"_s, u"structured"_s}, {u"sparsity"_s, 0.4}}},
                                                                  {u"codebook"_s, QJsonObject{{u"bits"_s, 3}}}} << true;
        QTest::newRow("bf16") << q({{u"bits"_s, u"bf16"_s}}) << false;
        QTest::newRow("group without fallback") << q({{u"bits"_s, 4}, {u"granularity"_s, u"group"_s}, {u"group_size"_s, 64}}) << false;
        QTest::newRow("global pruning") << QJsonObject{{u"prune"_s, QJsonObject{{u"sparsity"_s, 0.5}, {u"scope"_s, u"global"_s}}}} << false;
        QTest::newRow("pruning 33.3%") << QJsonObject{{u"prune"_s, QJsonObject{{u"sparsity"_s, 0.333}}}} << false;
        QTest::newRow("4:8") << QJsonObject{{u"prune"_s, QJsonObject{{u"pattern"_s, u"4:8"_s}}}} << false;
        QTest::newRow("int8 kernels") << QJsonObject{{u"quantize"_s, QJsonObject{{u"bits"_s, 8}}}, {u"int8_kernels"_s, true}} << false;
        QTest::newRow("linear only") << QJsonObject{{u"quantize"_s, QJsonObject{{u"bits"_s, 8}}}, {u"modules"_s, QJsonArray{u"Linear"_s}}} << false;
        QTest::newRow("quantize before prune") << QJsonObject{{u"quantize"_s, QJsonObject{{u"bits"_s, 8}}}, {u"prune"_s, QJsonObject{{u"sparsity"_s, 0.2}}},
                                                              {u"steps"_s, QJsonArray{u"quantize"_s, u"prune"_s}}} << false;
        QTest::newRow("low rank by energy") << QJsonObject{{u"low_rank"_s, QJsonObject{{u"energy"_s, 0.9}}}} << false;
    }

    void controlsShowWhatTheyCan()
    {
        QFETCH(QJsonObject, config);
        QFETCH(bool, shown);
        const QJsonObject recorded = recordedForm(config);
        QCOMPARE(HistoryRerun::controlsCannotShow(parseCompressionConfig(recorded)).isEmpty(), shown);
        TunePanel tune;
        tune.bitsSlider()->setValue(5); // something else first, so that every setting must really move
        tune.sparsitySlider()->setValue(10);
        const QJsonObject before = tune.configJson();
        QCOMPARE(tune.setConfigJson(recorded), shown);
        QCOMPARE(recordedForm(tune.configJson()), shown ? recorded : recordedForm(before));
    }

    // The writes run on the GUI thread: here is what they take (printed; the bound only catches a regression).
    void writesTakeMilliseconds()
    {
        const QString db = m_dir.filePath(u"large.sqlite"_s);
        {
            history::History h(db);
            QRandomGenerator rng(5);
            for (int i = 0; i < 1000; ++i)
                h.record({0, testing::sampleStart(i, rng), testing::sampleOutcome(200, rng)});
        }
        HistoryPanel panel;
        QSignalSpy loaded(&panel, &HistoryPanel::loaded);
        panel.openHistory(db);
        QVERIFY(loaded.wait(20000));
        QCOMPARE(panel.tableModel()->rowCount(), 1000);
        panel.setAnnotationEditor([](const QString &, const HistoryAnnotation &) { return HistoryAnnotation{{u"timed"_s}, u"note"_s}; });
        const QString csv = m_dir.filePath(u"large.csv"_s);
        panel.setCsvPathChooser([csv](const QString &) { return csv; });
        auto time = [](const std::function<void()> &f) {
            QElapsedTimer t;
            t.start();
            f();
            return t.nsecsElapsed() / 1e6;
        };
        QVERIFY(panel.selectExperiment(500));
        const double tags = time([&] { panel.annotateSelected(); });
        QVERIFY(panel.selectExperiment(500));
        const double remove = time([&] { panel.deleteSelected(); });
        QVERIFY2(panel.tableModel()->rowCount() == 999, qPrintable(panel.message()));
        const double restore = time([&] { panel.undoDelete(); });
        QCOMPARE(panel.tableModel()->rowCount(), 1000);
        QElapsedTimer exportClock;
        exportClock.start();
        panel.exportCsv();
        const double exportStart = exportClock.nsecsElapsed() / 1e6; // what the GUI thread waits for
        QTRY_VERIFY_WITH_TIMEOUT(panel.message().contains(u"Wrote"_s), 20000);
        const double exportCsv = exportClock.nsecsElapsed() / 1e6;
        // The writes alone, without the list refresh.
        history::History h(db);
        const history::Experiment whole = h.experiment(10);
        const double setTags = time([&] { h.setTags(10, {u"a"_s, u"b"_s}); });
        const double removeOne = time([&] { h.remove(10); });
        const double recordOne = time([&] { h.record(whole); });
        qInfo("the writes alone: setTags %.2f ms, remove (200 layers) %.2f ms, record (200 layers) %.2f ms; export started in %.1f ms",
              setTags, removeOne, recordOne, exportStart);
        qInfo("1,000 experiments x 200 layers, each including the list refresh: tags+notes %.1f ms, delete %.1f ms, undo %.1f ms, "
              "CSV export of 1,000 rows (worker, incl. opening its connection) %.1f ms",
              tags, remove, restore, exportCsv);
        QVERIFY(QFileInfo(csv).size() > 0);
        for (double ms : {tags, remove, restore})
            QVERIFY2(ms < 500, qPrintable(QString::number(ms)));
    }

    // With COMPRESSLAB_COMPARE_SCREENSHOT=FILE (and COMPRESSLAB_COMPARE_IDS=12,13 on COMPRESSLAB_HISTORY): the
    // compare view of those experiments as a PNG, for docs/screenshots.
    void compareScreenshot()
    {
        const QString out = qEnvironmentVariable("COMPRESSLAB_COMPARE_SCREENSHOT");
        if (out.isEmpty())
            QSKIP("set COMPRESSLAB_COMPARE_SCREENSHOT to write the screenshot");
        HistoryPanel panel;
        QSignalSpy loaded(&panel, &HistoryPanel::loaded);
        panel.openHistory(history::History::defaultPath());
        QVERIFY(loaded.wait(20000));
        for (const QString &id : qEnvironmentVariable("COMPRESSLAB_COMPARE_IDS").split(u','))
            selectIn(panel, id.toLongLong());
        panel.compareSelected();
        QVERIFY(panel.compareDialog());
        panel.compareDialog()->resize(1100, 620);
        QTest::qWait(200);
        QVERIFY(panel.compareDialog()->grab().save(out));
    }

private:
    void selectAlso(qint64 id) { selectIn(*m_panel, id); }
    static void selectIn(HistoryPanel &panel, qint64 id)
    {
        for (int row = 0; row < panel.sortModel()->rowCount(); ++row) {
            const QModelIndex index = panel.sortModel()->index(row, 0);
            if (index.data().toLongLong() == id)
                panel.tableView()->selectionModel()->select(index, QItemSelectionModel::Select | QItemSelectionModel::Rows);
        }
    }

    QTemporaryDir m_dir;
    QString m_db;
    QString m_modelPath;
    qint64 m_int4 = 0, m_int8 = 0, m_distill = 0, m_overrides = 0;
    std::unique_ptr<HistoryPanel> m_panel;
};

QTEST_MAIN(TestHistoryPanel)
#include "tst_historypanel.moc"
