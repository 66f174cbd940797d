// History at scale: fills a database with N experiments (200 per-layer rows each), then times what the
// goals in issue 6 name, each beside a plain-SQL peer run in the same process on the same file:
//   insert one experiment (begin + finish, two transactions) vs the same rows in one raw transaction;
//   Pareto query (SQL + front) vs the bare two-metric join; filtered list vs a bare filtered SELECT.
// usage: history_bench [--experiments N] [--layers L] [--db FILE]
#include "HistorySamples.h"
#include "history/History.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>

using namespace compresslab;
using namespace compresslab::history;
using namespace Qt::StringLiterals;

namespace {

double median(QVector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v.at(v.size() / 2);
}

double p90(QVector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v.at(qMin(v.size() - 1, qsizetype(v.size() * 0.9)));
}

template <typename F>
QVector<double> timeRuns(int runs, F &&f)
{
    QVector<double> ms;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        f();
        ms << t.nsecsElapsed() / 1e6;
    }
    return ms;
}

// The peer: the same metric/layer rows through bare prepared statements, one transaction.
void rawInsert(sqlite3 *db, qint64 experimentId, const ExperimentOutcome &o)
{
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_stmt *m = nullptr, *l = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO peer_metrics VALUES(?1, ?2, ?3)", -1, &m, nullptr);
    sqlite3_prepare_v2(db, "INSERT INTO peer_layers VALUES(?1, ?2, ?3, ?4, ?5, ?6)", -1, &l, nullptr);
    for (const MetricValue &v : o.metrics) {
        const QByteArray key = v.key.toUtf8();
        sqlite3_bind_int64(m, 1, experimentId);
        sqlite3_bind_text(m, 2, key.constData(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(m, 3, v.value);
        sqlite3_step(m);
        sqlite3_reset(m);
    }
    for (qsizetype i = 0; i < o.layers.size(); ++i) {
        const QByteArray path = o.layers[i].path.toUtf8(), enc = o.layers[i].encoding.toUtf8();
        sqlite3_bind_int64(l, 1, experimentId);
        sqlite3_bind_int64(l, 2, i);
        sqlite3_bind_text(l, 3, path.constData(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(l, 4, enc.constData(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(l, 5, o.layers[i].bits);
        sqlite3_bind_double(l, 6, o.layers[i].error);
        sqlite3_step(l);
        sqlite3_reset(l);
    }
    sqlite3_finalize(m);
    sqlite3_finalize(l);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
}

double rawQueryMs(sqlite3 *db, const char *sql, int runs)
{
    return median(timeRuns(runs, [&] {
        sqlite3_stmt *s = nullptr;
        sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
        while (sqlite3_step(s) == SQLITE_ROW) {
        }
        sqlite3_finalize(s);
    }));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int experiments = 10000, layers = 200;
    QString dbPath;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == "--experiments"_L1)
            experiments = args[i + 1].toInt();
        else if (args[i] == "--layers"_L1)
            layers = args[i + 1].toInt();
        else if (args[i] == "--db"_L1)
            dbPath = args[i + 1];
    }
    QTemporaryDir dir;
    if (dbPath.isEmpty())
        dbPath = dir.filePath(u"bench.sqlite"_s);
    QFile::remove(dbPath);
    std::printf("history benchmark: %d experiments, %d per-layer rows each, SQLite %s\n", experiments, layers, sqlite3_libversion());

    QRandomGenerator rng(1);
    QElapsedTimer fillTimer;
    fillTimer.start();
    {
        History h(dbPath);
        for (int i = 0; i < experiments - 100; ++i)
            h.record({0, testing::sampleStart(i, rng), testing::sampleOutcome(layers, rng)});
    }
    std::printf("filled %d experiments in %.1f s\n", experiments - 100, fillTimer.elapsed() / 1000.0);

    QElapsedTimer openTimer;
    openTimer.start();
    History h(dbPath);
    const double openMs = openTimer.nsecsElapsed() / 1e6;

    // The last 100 go in the way a real run records: begin (running), then finish with every result.
    QVector<double> insertMs;
    for (int i = experiments - 100; i < experiments; ++i) {
        const ExperimentStart start = testing::sampleStart(i, rng);
        const ExperimentOutcome outcome = testing::sampleOutcome(layers, rng);
        QElapsedTimer t;
        t.start();
        const qint64 id = h.begin(start);
        h.finish(id, outcome);
        insertMs << t.nsecsElapsed() / 1e6;
    }
    sqlite3 *raw = nullptr;
    sqlite3_open(dbPath.toUtf8().constData(), &raw);
    sqlite3_exec(raw, "PRAGMA synchronous = NORMAL; CREATE TABLE peer_metrics(e INTEGER, key TEXT, value REAL);"
                      "CREATE TABLE peer_layers(e INTEGER, idx INTEGER, path TEXT, encoding TEXT, bits REAL, error REAL, PRIMARY KEY(e, idx)) WITHOUT ROWID;",
                 nullptr, nullptr, nullptr);
    QVector<double> rawInsertMs;
    for (int i = 0; i < 100; ++i) {
        const ExperimentOutcome outcome = testing::sampleOutcome(layers, rng);
        QElapsedTimer t;
        t.start();
        rawInsert(raw, i, outcome);
        rawInsertMs << t.nsecsElapsed() / 1e6;
    }

    const int runs = 21;
    const Axis size = parseAxis(u"deployed_bytes"_s), accuracy = parseAxis(u"accuracy"_s), device = parseAxis(u"latency_ms@Raspberry Pi 4"_s);
    int front = 0;
    const double paretoMs = median(timeRuns(runs, [&] {
        front = 0;
        for (const ParetoPoint &p : h.pareto(size, accuracy).points)
            front += p.onFront;
    }));
    const double paretoDeviceMs = median(timeRuns(runs, [&] { h.pareto(device, accuracy); }));
    Filter byModel;
    byModel.model = u"model-1"_s;
    const double paretoFilteredMs = median(timeRuns(runs, [&] { h.pareto(size, accuracy, byModel); }));
    // The same join History::pareto runs, without binding, reading into structs or computing the front.
    const double rawParetoMs = rawQueryMs(raw, "SELECT e.id, mx.value, my.value FROM metrics mx JOIN metrics my ON my.experiment_id = mx.experiment_id"
                                               " AND my.key = 'accuracy' AND my.role = 'result' AND my.device_id IS NULL"
                                               " JOIN experiments e ON e.id = mx.experiment_id"
                                               " WHERE mx.key = 'deployed_bytes' AND mx.role = 'result' AND mx.device_id IS NULL AND e.status = 'done'", runs);

    Filter listFilter;
    listFilter.model = u"model-1"_s;
    listFilter.tag = u"workshop"_s;
    listFilter.limit = 100;
    qsizetype listed = 0;
    const double listMs = median(timeRuns(runs, [&] { listed = h.list(listFilter).size(); }));
    Filter page;
    page.limit = 100;
    const double pageMs = median(timeRuns(runs, [&] { h.list(page); }));
    Filter lastWeek;
    lastWeek.from = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).addSecs(60LL * experiments / 2); // the newer half
    lastWeek.method = u"quantize"_s;
    const double countMs = median(timeRuns(runs, [&] { h.count(lastWeek); }));
    const double rawListMs = rawQueryMs(raw, "SELECT e.id, e.summary FROM experiments e WHERE e.model_id IN (SELECT id FROM models WHERE name = 'model-1')"
                                             " AND e.id IN (SELECT experiment_id FROM tags WHERE tag = 'workshop') ORDER BY e.started_at DESC LIMIT 100", runs);
    sqlite3_close(raw);

    const qint64 bytes = QFileInfo(dbPath).size();
    std::printf("\n%-52s %10s %10s %8s %8s\n", "operation (median of runs)", "ours ms", "peer ms", "ratio", "goal ms");
    auto row = [](const char *what, double ours, double peer, double goal) {
        std::printf("%-52s %10.2f %10.2f %8.2f %8.0f  %s\n", what, ours, peer, peer > 0 ? ours / peer : 0.0, goal, ours <= goal ? "met" : "NOT MET");
    };
    row("insert 1 experiment + 200 layers (begin+finish)", median(insertMs), median(rawInsertMs), 20);
    std::printf("%-52s %10.2f %10.2f\n", "  p90 of the same", p90(insertMs), p90(rawInsertMs));
    row("Pareto size vs accuracy, all experiments", paretoMs, rawParetoMs, 50);
    row("Pareto device latency (estimated) vs accuracy", paretoDeviceMs, rawParetoMs, 50);
    row("Pareto size vs accuracy, one model", paretoFilteredMs, rawParetoMs, 50);
    row("list: model + tag filter, newest 100", listMs, rawListMs, 50);
    row("list: newest 100, no filter", pageMs, rawListMs, 50);
    std::printf("%-52s %10.2f %10s %8s %8.0f  %s\n", "count: newer half + method filter", countMs, "-", "-", 50.0, countMs <= 50 ? "met" : "NOT MET");
    std::printf("\nfront: %d of %d points; filtered list: %lld rows; open (with quick_check): %.0f ms; file %.1f MB\n", front, experiments,
                static_cast<long long>(listed), openMs, bytes / 1e6);
    return 0;
}
