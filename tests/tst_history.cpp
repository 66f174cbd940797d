// The experiment history: round trips, queries held to brute force, and the ways a database file goes
// wrong (damaged, newer, not ours, read-only, locked, disk full), each with the behaviour docs/history.md states.
#include "HistorySamples.h"
#include "TestSupport.h"
#include "common/UserError.h"
#include "history/History.h"
#include "history/HistoryExport.h"

#include <QProcess>
#include <atomic>
#include <mutex>
#include <thread>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace compresslab;
using namespace compresslab::history;
using namespace Qt::StringLiterals;

namespace {

QVariant rawScalar(const QString &path, const char *sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    sqlite3_stmt *st = nullptr;
    QVariant out;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        out = sqlite3_column_type(st, 0) == SQLITE_INTEGER ? QVariant(qint64(sqlite3_column_int64(st, 0)))
                                                           : QVariant(QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, 0))));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

// Fills a history with `n` sample experiments; returns the generator state used.
void fill(History &h, int n, int layers = 3, quint32 seed = 1)
{
    QRandomGenerator rng(seed);
    for (int i = 0; i < n; ++i) {
        Experiment e{0, testing::sampleStart(i, rng), testing::sampleOutcome(layers, rng)};
        h.record(e);
    }
}

bool dominates(double ax, double ay, double bx, double by, double sx, double sy)
{
    return sx * ax >= sx * bx && sy * ay >= sy * by && (sx * ax > sx * bx || sy * ay > sy * by);
}

struct HelperProcess {
    QProcess p;
    explicit HelperProcess(const QStringList &args)
    {
        p.start(QStringLiteral(HELPER_PATH), args);
        p.waitForStarted();
    }
    QString waitLine()
    {
        while (!p.canReadLine() && p.waitForReadyRead(10000)) {
        }
        return QString::fromUtf8(p.readLine()).trimmed();
    }
    ~HelperProcess()
    {
        p.closeWriteChannel();
        if (!p.waitForFinished(5000))
            p.kill();
        p.waitForFinished();
    }
};

} // namespace

class TestHistory : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void newFileGetsTheSchema()
    {
        const QString db = path(u"new.sqlite"_s);
        {
            History h(db);
            QVERIFY(!h.isReadOnly());
            QVERIFY(h.notices().isEmpty());
            QCOMPARE(h.schemaVersion(), 1);
        }
        QCOMPARE(rawScalar(db, "PRAGMA application_id").toLongLong(), qint64(0x434C4142));
        QCOMPARE(rawScalar(db, "PRAGMA user_version").toLongLong(), qint64(1));
        QCOMPARE(rawScalar(db, "PRAGMA journal_mode").toString(), u"wal"_s);
    }

    // Two runs starting at once on a history that does not exist yet: both must open it (one creates the
    // schema, the other waits for it), never "another application's database" or "table already exists".
    void concurrentCreatorsBothOpen()
    {
        for (int round = 0; round < 30; ++round) {
            const QString db = path(u"race-%1.sqlite"_s.arg(round));
            std::atomic<int> ready{0};
            QStringList errors;
            std::mutex errorsMutex;
            std::vector<std::thread> threads;
            for (int t = 0; t < 4; ++t) {
                threads.emplace_back([&] {
                    ++ready;
                    while (ready < 4) {
                    }
                    try {
                        History h(db);
                    } catch (const UserError &e) {
                        std::lock_guard<std::mutex> lock(errorsMutex);
                        errors << e.message();
                    }
                });
            }
            for (auto &t : threads)
                t.join();
            QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u"; "_s)));
        }
    }

    void recordRoundTrips()
    {
        History h(path(u"roundtrip.sqlite"_s));
        QRandomGenerator rng(7);
        Experiment in{0, testing::sampleStart(5, rng), testing::sampleOutcome(4, rng)};
        in.start.notes = u"first try, \"quoted\""_s;
        in.outcome.artifacts << Artifact{u"/out/model-packed.safetensors"_s, u"compresslab-packed"_s, 12345, u"ab12"_s};
        in.outcome.layers[1].extra = QJsonObject{{u"sensitivity_int4"_s, -0.25}};
        in.outcome.finished = in.start.started.addMSecs(2500);
        const qint64 id = h.record(in);
        const Experiment out = h.experiment(id);
        QCOMPARE(out.start.config, in.start.config);
        QCOMPARE(out.start.model.sha256, in.start.model.sha256);
        QCOMPARE(out.start.dataset->samples, in.start.dataset->samples);
        QCOMPARE(out.start.tags, in.start.tags);
        QCOMPARE(out.start.notes, in.start.notes);
        QCOMPARE(out.start.started, in.start.started);
        QCOMPARE(out.seconds(), 2.5);
        QCOMPARE(out.outcome.metrics.size(), in.outcome.metrics.size());
        for (qsizetype i = 0; i < in.outcome.metrics.size(); ++i) {
            const MetricValue &a = in.outcome.metrics.at(i), &b = out.outcome.metrics.at(i);
            QCOMPARE(b.key, a.key);
            QCOMPARE(b.value, a.value); // doubles survive exactly
            QCOMPARE(b.role, a.role);
            QCOMPARE(b.device, a.device);
            QCOMPARE(b.provenance, a.provenance);
            QCOMPARE(b.higherIsBetter, a.higherIsBetter);
        }
        QCOMPARE(out.outcome.layers.size(), 4);
        QCOMPARE(out.outcome.layers.at(1).extra.value("sensitivity_int4"_L1).toDouble(), -0.25);
        QCOMPARE(out.outcome.curves.size(), 10);
        QCOMPARE(out.outcome.artifacts.size(), 1);
        QCOMPARE(out.outcome.devices.size(), 2);
        QCOMPARE(out.outcome.devices.at(0).profile, in.outcome.devices.at(0).profile);
        QVERIFY_THROWS_EXCEPTION(UserError, h.experiment(id + 100));
    }

    void beginThenFinish()
    {
        History h(path(u"begin.sqlite"_s));
        QRandomGenerator rng(3);
        const qint64 id = h.begin(testing::sampleStart(1, rng));
        QCOMPARE(h.list().first().status, Status::Running);
        ExperimentOutcome failed;
        failed.status = Status::Failed;
        failed.failure = u"NaN weights in fc1"_s;
        h.finish(id, failed);
        const Experiment e = h.experiment(id);
        QCOMPARE(e.outcome.status, Status::Failed);
        QCOMPARE(e.outcome.failure, u"NaN weights in fc1"_s);
        QVERIFY(e.seconds() >= 0);
        QVERIFY_THROWS_EXCEPTION(UserError, h.finish(id, failed)); // an ended experiment stays as it ended
        // An estimate without its device profile is refused, and nothing of it is written.
        const qint64 id2 = h.begin(testing::sampleStart(2, rng));
        ExperimentOutcome bad;
        bad.metrics << MetricValue{u"latency_ms"_s, 3, u"ms"_s, false, Provenance::Estimated, u"Pi"_s, u"result"_s, {}};
        QVERIFY_THROWS_EXCEPTION(UserError, h.finish(id2, bad));
        QCOMPARE(h.experiment(id2).outcome.status, Status::Running);
        QVERIFY(h.experiment(id2).outcome.metrics.isEmpty());
    }

    void editedDeviceProfileKeepsThePast()
    {
        History h(path(u"devices.sqlite"_s));
        QRandomGenerator rng(4);
        Experiment e{0, testing::sampleStart(0, rng), testing::sampleOutcome(1, rng)};
        const qint64 first = h.record(e);
        e.start.uuid.clear();
        e.outcome.devices[0].profile.insert(u"bandwidth_gbs"_s, 99.0);
        const qint64 second = h.record(e);
        QCOMPARE(h.experiment(first).outcome.devices.at(0).profile.value("bandwidth_gbs"_L1).toDouble(), 4.0);
        QCOMPARE(h.experiment(second).outcome.devices.at(0).profile.value("bandwidth_gbs"_L1).toDouble(), 99.0);
        // Both are found by the device's name.
        Filter f;
        f.device = e.outcome.devices.at(0).name;
        QCOMPARE(h.count(f), 2);
    }

    void filtersMatchBruteForce()
    {
        History h(path(u"filters.sqlite"_s));
        fill(h, 60);
        const QVector<ExperimentSummary> all = h.list();
        QCOMPARE(all.size(), 60);
        Filter byModel;
        byModel.model = u"model-1"_s;
        QCOMPARE(h.count(byModel), 20);
        byModel.model = h.experiment(all.first().id).start.model.sha256.left(12); // a hash prefix works too
        QCOMPARE(h.count(byModel), 20);
        Filter byTag;
        byTag.tag = u"workshop"_s;
        QCOMPARE(h.count(byTag), 12);
        Filter byMethod;
        byMethod.method = u"prune"_s;
        QCOMPARE(h.count(byMethod), 60);
        byMethod.method = u"distill"_s;
        QCOMPARE(h.count(byMethod), 0);
        Filter byDate;
        byDate.from = QDateTime(QDate(2026, 1, 1), QTime(0, 10), Qt::UTC);
        byDate.to = QDateTime(QDate(2026, 1, 1), QTime(0, 20), Qt::UTC);
        QCOMPARE(h.count(byDate), 10);
        Filter page;
        page.limit = 7;
        page.offset = 7;
        const QVector<ExperimentSummary> second = h.list(page);
        QCOMPARE(second.size(), 7);
        QCOMPARE(second.first().id, all.at(7).id); // newest first, paged
        Filter byStatus;
        byStatus.status = Status::Failed;
        QCOMPARE(h.count(byStatus), 0);
    }

    void paretoMatchesBruteForce_data()
    {
        QTest::addColumn<QString>("x");
        QTest::addColumn<QString>("y");
        QTest::newRow("size vs accuracy") << u"deployed_bytes"_s << u"accuracy"_s;
        QTest::newRow("device latency vs accuracy") << u"latency_ms@Raspberry Pi 4"_s << u"accuracy"_s;
        QTest::newRow("latency vs bits (both lower)") << u"latency_median_ms"_s << u"effective_bits"_s;
    }

    void paretoMatchesBruteForce()
    {
        QFETCH(QString, x);
        QFETCH(QString, y);
        static History h(path(u"pareto.sqlite"_s));
        if (h.count() == 0)
            fill(h, 300);
        const ParetoResult r = h.pareto(parseAxis(x), parseAxis(y));
        QCOMPARE(r.points.size(), 300);
        const double sx = r.xHigherIsBetter ? 1 : -1, sy = r.yHigherIsBetter ? 1 : -1;
        int front = 0;
        for (const ParetoPoint &p : r.points) {
            bool dominated = false;
            for (const ParetoPoint &q : r.points)
                dominated = dominated || dominates(q.x, q.y, p.x, p.y, sx, sy);
            QCOMPARE(p.onFront, !dominated);
            front += p.onFront;
        }
        QVERIFY(front >= 1);
        // The front respects filters.
        Filter f;
        f.model = u"model-2"_s;
        QCOMPARE(h.pareto(parseAxis(x), parseAxis(y), f).points.size(), 100);
    }

    void bestUnderConstraints()
    {
        History h(path(u"best.sqlite"_s));
        fill(h, 200);
        const Constraint small{parseAxis(u"deployed_bytes"_s), true, 2e6};
        const Constraint fast{parseAxis(u"latency_ms@Jetson Orin Nano"_s), true, 8};
        const auto best = h.best(parseAxis(u"accuracy"_s), {small, fast});
        QVERIFY(best);
        double bestAccuracy = -1;
        qint64 bestId = 0;
        for (const ExperimentSummary &s : h.list()) {
            const Experiment e = h.experiment(s.id);
            if (e.metric(u"deployed_bytes"_s)->value <= 2e6 && e.metric(u"latency_ms"_s, u"result"_s, u"Jetson Orin Nano"_s)->value <= 8
                && e.metric(u"accuracy"_s)->value > bestAccuracy) {
                bestAccuracy = e.metric(u"accuracy"_s)->value;
                bestId = s.id;
            }
        }
        QCOMPARE(*best, bestId);
        QVERIFY(!h.best(parseAxis(u"accuracy"_s), {{parseAxis(u"deployed_bytes"_s), true, 1}}));
        QVERIFY_THROWS_EXCEPTION(UserError, parseAxis(u"sideways:accuracy"_s));
    }

    void compareShowsOnlyDifferences()
    {
        History h(path(u"compare.sqlite"_s));
        QRandomGenerator rng(9);
        Experiment a{0, testing::sampleStart(0, rng), testing::sampleOutcome(1, rng)};
        Experiment b = a;
        b.start.uuid.clear();
        b.start.config[u"quantize"_s] = QJsonObject{{u"bits"_s, 3}, {u"group_size"_s, a.start.config.value("quantize"_L1)[u"group_size"_s].toInt()}};
        b.outcome.metrics[0].value += 1.5;
        const qint64 ia = h.record(a), ib = h.record(b);
        const Comparison c = h.compare({ia, ib});
        QCOMPARE(c.config.size(), a.start.config.value("quantize"_L1)[u"bits"_s].toInt() == 3 ? 0 : 1);
        if (!c.config.isEmpty()) {
            QCOMPARE(c.config.first().path, u"quantize.bits"_s);
            QCOMPARE(c.config.first().values.at(1), u"3"_s);
        }
        QCOMPARE(c.metrics.first().name, u"accuracy"_s);
        QCOMPARE(*c.metrics.first().values.at(1) - *c.metrics.first().values.at(0), 1.5);
        const QJsonObject json = toJson(c);
        QCOMPARE(json.value("metrics"_L1).toArray().first()[u"delta_vs_first"_s].toArray().at(1).toDouble(), 1.5);
        QVERIFY_THROWS_EXCEPTION(UserError, h.compare({ia}));
    }

    void exportsCsvAndJson()
    {
        History h(path(u"export.sqlite"_s));
        fill(h, 5);
        h.setNotes(h.list().first().id, u"line one\nline \"two\", three"_s);
        const QByteArray csv = exportCsv(h);
        QVERIFY(csv.startsWith("id,uuid,kind,status,"));
        QVERIFY(csv.contains("accuracy [%] (measured)"));
        QVERIFY(csv.contains("latency_ms@Raspberry Pi 4 [ms] (estimated)"));
        QVERIFY(csv.contains("\"line one\nline \"\"two\"\", three\""));
        QCOMPARE(csv.count("\r\n"), 6); // header + 5 rows (the note's newline is inside quotes)
        const QJsonArray json = exportJson(h);
        QCOMPARE(json.size(), 5);
        QCOMPARE(json.first()[u"metrics"_s].toArray().size(), 10);
    }

    void mergeAddsOnlyWhatIsMissing()
    {
        const QString a = path(u"merge-a.sqlite"_s), b = path(u"merge-b.sqlite"_s);
        {
            History ha(a);
            fill(ha, 10, 2, 11);
        }
        QFile::copy(a, b);
        {
            History hb(b);
            fill(hb, 4, 2, 12);
            // A re-run inside b points at an experiment that a lacks: the link must follow it.
            const ExperimentSummary original = hb.list().first();
            QRandomGenerator rng(5);
            Experiment rerun{0, testing::sampleStart(99, rng), testing::sampleOutcome(2, rng)};
            rerun.start.rerunOf = original.id;
            hb.record(rerun);
        }
        History ha(a);
        const MergeResult r = ha.merge(b);
        QCOMPARE(r.added, 5);
        QCOMPARE(r.skipped, 10);
        QCOMPARE(ha.count(), 15);
        const MergeResult again = ha.merge(b);
        QCOMPARE(again.added, 0);
        QCOMPARE(ha.count(), 15);
        bool linked = false;
        for (const ExperimentSummary &s : ha.list()) {
            if (s.rerunOf)
                linked = ha.experiment(s.rerunOf).start.uuid.size() == 36;
        }
        QVERIFY(linked);
        QVERIFY_THROWS_EXCEPTION(UserError, ha.merge(a));
    }

    void liveRunIsKeptAndDeadRunInterrupted()
    {
        const QString db = path(u"interrupt.sqlite"_s);
        History(db).count();
        qint64 id = 0;
        {
            HelperProcess helper({u"begin"_s, db});
            const QString line = helper.waitLine();
            QVERIFY2(line.startsWith("RUNNING "_L1), qPrintable(line));
            id = line.mid(8).toLongLong();
            History h(db); // opened while the other process still runs it: must stay running
            QCOMPARE(h.experiment(id).outcome.status, Status::Running);
            ::kill(qint64(helper.p.processId()), SIGKILL);
        }
        History h(db);
        QCOMPARE(h.experiment(id).outcome.status, Status::Interrupted);
        QVERIFY(h.notices().join(u' ').contains(u"marked interrupted"_s));
    }

    void nonSqliteFileIsRefusedUntouched()
    {
        // Not ours to move: a file that is not SQLite at all is more likely a wrong --db than a damaged history.
        const QString db = path(u"garbage.sqlite"_s);
        QFile f(db);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
        f.close();
        try {
            History h(db);
            QFAIL("a non-SQLite file was opened as a history");
        } catch (const UserError &e) {
            QVERIFY(e.message().contains(u"not an SQLite database"_s));
        }
        QCOMPARE(QFile(db).size(), 8192);
        QCOMPARE(QDir(m_dir.path()).entryList({u"garbage.sqlite.corrupt-*"_s}).size(), 0);
    }

    void damagedDatabaseIsMovedAside()
    {
        const QString db = path(u"damaged.sqlite"_s);
        {
            History h(db);
            fill(h, 40, 20);
        }
        const QByteArray before = testsupport::sha256(db);
        QFile f(db);
        QVERIFY(f.open(QIODevice::ReadWrite));
        const qint64 size = f.size();
        f.seek(size / 2 - (size / 2) % 4096); // a page in the middle: b-tree pages of the tables
        f.write(QByteArray(4096 * 3, '\xA5'));
        f.close();
        History h(db);
        QVERIFY2(h.notices().join(u' ').contains(u"moved aside"_s), qPrintable(h.notices().join(u' ')));
        QCOMPARE(h.count(), 0);
        QVERIFY(before != testsupport::sha256(db));
    }

    void newerSchemaOpensReadOnly()
    {
        const QString db = path(u"newer.sqlite"_s);
        {
            History h(db);
            fill(h, 2);
        }
        rawScalar(db, "PRAGMA user_version = 99");
        const QByteArray before = testsupport::sha256(db);
        {
            History h(db);
            QVERIFY(h.isReadOnly());
            QVERIFY(h.notices().join(u' ').contains(u"newer CompressLab"_s));
            QCOMPARE(h.count(), 2);
            QRandomGenerator rng(1);
            QVERIFY_THROWS_EXCEPTION(UserError, h.begin(testing::sampleStart(0, rng)));
        }
        QCOMPARE(testsupport::sha256(db), before);
    }

    void anotherApplicationsDatabaseIsRefused()
    {
        const QString db = path(u"other.sqlite"_s);
        rawScalar(db, "CREATE TABLE contacts(name TEXT)");
        const QByteArray before = testsupport::sha256(db);
        QVERIFY_THROWS_EXCEPTION(UserError, History{db});
        QCOMPARE(testsupport::sha256(db), before);
    }

    void readOnlyFileOpensReadOnly()
    {
        const QString dir = path(u"ro"_s);
        QDir().mkpath(dir);
        const QString db = dir + u"/history.sqlite"_s;
        {
            History h(db);
            fill(h, 3);
        }
        QFile::setPermissions(db, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther);
        QFile::setPermissions(dir, QFile::ReadOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther | QFile::ReadGroup | QFile::ExeGroup);
        QFile::setPermissions(m_dir.path(), QFile::permissions(m_dir.path()) | QFile::ExeOther | QFile::ReadOther);
        // root writes anywhere: check as an ordinary user (nobody) in a child process.
        const pid_t child = ::fork();
        if (child == 0) {
            if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0))
                ::_exit(10);
            try {
                History h(db);
                if (!h.isReadOnly())
                    ::_exit(11);
                if (h.count() != 3)
                    ::_exit(12);
                if (!h.notices().join(u' ').contains(u"read-only"_s))
                    ::_exit(13);
                QRandomGenerator rng(1);
                try {
                    h.begin(testing::sampleStart(0, rng));
                    ::_exit(14);
                } catch (const UserError &) {
                }
            } catch (...) {
                ::_exit(15);
            }
            ::_exit(0);
        }
        int status = 0;
        ::waitpid(child, &status, 0);
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), 0);
    }

    void lockedDatabaseWaitsThenSaysSo()
    {
        const QString db = path(u"locked.sqlite"_s);
        History(db).count();
        OpenOptions quick;
        quick.busyTimeoutMs = 300;
        QRandomGenerator rng(2);
        {
            HelperProcess locker({u"lock"_s, db});
            QCOMPARE(locker.waitLine(), u"LOCKED"_s);
            History h(db, quick);
            QCOMPARE(h.count(), 0); // reading goes on while another process writes
            QElapsedTimer t;
            t.start();
            try {
                h.begin(testing::sampleStart(0, rng));
                QFAIL("a write went through another process's lock");
            } catch (const UserError &e) {
                QVERIFY2(e.message().contains(u"locked"_s), qPrintable(e.message()));
            }
            QVERIFY(t.elapsed() >= 250); // it waited for the lock before giving up
        }
        History h(db, quick);
        h.begin(testing::sampleStart(0, rng)); // the lock is gone: writes work again
        QCOMPARE(h.count(), 1);
    }

    void fullDiskKeepsWhatWasRecorded()
    {
        // A real full file system: a 1 MB tmpfs. Mounting needs root (CI and the README's commands run as root).
        const QString mountPoint = path(u"tiny"_s);
        QDir().mkpath(mountPoint);
        if (::mount("tmpfs", mountPoint.toUtf8().constData(), "tmpfs", 0, "size=1m") != 0)
            QSKIP("cannot mount a tmpfs here (needs root); the disk-full path is not exercised");
        auto unmount = qScopeGuard([&] { ::umount2(mountPoint.toUtf8().constData(), MNT_DETACH); });
        const QString db = mountPoint + u"/history.sqlite"_s;
        int recorded = 0;
        QString message;
        {
            History h(db);
            QRandomGenerator rng(6);
            for (int i = 0; i < 1000 && message.isEmpty(); ++i) {
                try {
                    h.record({0, testing::sampleStart(i, rng), testing::sampleOutcome(200, rng)});
                    ++recorded;
                } catch (const UserError &e) {
                    message = e.message();
                }
            }
        }
        QVERIFY2(message.contains(u"disk is full"_s), qPrintable(message));
        QVERIFY(recorded > 0);
        History h(db);
        QCOMPARE(h.integrityCheck(), u"ok"_s);
        QCOMPARE(h.count(), qint64(recorded));
        for (const ExperimentSummary &s : h.list())
            QCOMPARE(h.experiment(s.id).outcome.layers.size(), 200);
    }
};

QTEST_GUILESS_MAIN(TestHistory)
#include "tst_history.moc"
