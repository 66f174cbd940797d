// compresslab-cli history: list, show, compare, pareto, best, export, rerun, merge, tag, note.
#include "CliCommon.h"
#include "Commands.h"

#include "common/AtomicFile.h"
#include "common/UserError.h"
#include "experiment/RecordedRun.h"
#include "history/History.h"
#include "history/HistoryExport.h"
#include "model/ModelSummary.h"

#include <QFile>
#include <QJsonDocument>

using namespace Qt::StringLiterals;
using namespace compresslab::history;

namespace compresslab::cli {

namespace {

const char *kUsage =
    "usage: compresslab-cli history ACTION [options] [--db FILE] [--json]\n\n"
    "actions:\n"
    "  list                       experiments, newest first (filters below)\n"
    "  show ID                    one experiment whole: configuration, environment, metrics, layers, exports\n"
    "  compare ID ID [ID...]      configuration differences and metric deltas\n"
    "  pareto --x METRIC --y METRIC   the trade-off front over two metrics\n"
    "  best --objective METRIC [--max METRIC=V]... [--min METRIC=V]...   best under constraints\n"
    "  axes                       the metrics recorded, usable as METRIC\n"
    "  export --format csv|json [--out FILE]\n"
    "  rerun ID                   repeat an experiment from its stored configuration; says if it reproduced\n"
    "  merge FILE                 add another history's experiments that this one lacks\n"
    "  tag ID TAG...              replace an experiment's tags\n"
    "  note ID TEXT               replace an experiment's notes\n\n"
    "METRIC: KEY, KEY@DEVICE (an estimate for a device profile) or baseline:KEY (the original model),\n"
    "e.g. accuracy, perplexity, deployed_bytes, effective_bits, latency_median_ms.\n"
    "filters: --model NAME|HASH --dataset NAME --device NAME --method quantize|prune|low_rank|codebook\n"
    "         --tag TAG --kind compress --status done|failed|cancelled|interrupted|running\n"
    "         --since DATE --until DATE (ISO 8601) --limit N\n";

Filter filterFrom(const QCommandLineParser &p)
{
    Filter f;
    f.model = p.value(u"model"_s);
    f.dataset = p.value(u"dataset"_s);
    f.device = p.value(u"device"_s);
    f.method = p.value(u"method"_s);
    f.tag = p.value(u"tag"_s);
    f.kind = p.value(u"kind"_s);
    if (p.isSet(u"status"_s))
        f.status = statusFromName(p.value(u"status"_s));
    for (const auto &[option, target] : {std::pair{u"since"_s, &f.from}, std::pair{u"until"_s, &f.to}}) {
        if (!p.isSet(option))
            continue;
        *target = QDateTime::fromString(p.value(option), Qt::ISODate);
        if (!target->isValid())
            throw UserError(u"--%1: '%2' is not an ISO 8601 date such as 2026-11-23 or 2026-11-23T14:00"_s.arg(option, p.value(option)));
    }
    if (p.isSet(u"limit"_s))
        f.limit = p.value(u"limit"_s).toInt();
    return f;
}

qint64 idArgument(const QStringList &pos, int index)
{
    bool ok = false;
    const qint64 id = index < pos.size() ? pos.at(index).toLongLong(&ok) : 0;
    if (!ok || id <= 0)
        throw UserError(u"expected an experiment id (a number, see 'history list'), got '%1'"_s.arg(index < pos.size() ? pos.at(index) : QString()));
    return id;
}

QString formatValue(double v, const QString &unit)
{
    if (unit == "B"_L1)
        return formatBytes(qint64(v));
    return QString::number(v, 'g', 6) + (unit.isEmpty() || unit == "bits"_L1 ? (unit.isEmpty() ? QString() : u" bits"_s) : u" "_s + unit);
}

QVector<Constraint> constraintsFrom(const QCommandLineParser &p)
{
    QVector<Constraint> out;
    for (const auto &[option, atMost] : {std::pair{u"max"_s, true}, std::pair{u"min"_s, false}}) {
        for (const QString &c : p.values(option)) {
            const qsizetype eq = c.lastIndexOf(u'=');
            bool ok = false;
            const double bound = eq > 0 ? c.mid(eq + 1).toDouble(&ok) : 0;
            if (!ok)
                throw UserError(u"--%1 %2: write METRIC=NUMBER, e.g. --max deployed_bytes=500000"_s.arg(option, c));
            out.push_back({parseAxis(c.left(eq)), atMost, bound});
        }
    }
    return out;
}

void printList(Io &io, const QVector<ExperimentSummary> &rows)
{
    io.out << u"%1  %2  %3 %4 %5 %6  %7\n"_s.arg(u"id"_s, 5).arg(u"started"_s, -16).arg(u"status"_s, -11).arg(u"model"_s, -18)
                  .arg(u"quality (measured)"_s, -22).arg(u"size"_s, 9).arg(u"configuration"_s);
    for (const ExperimentSummary &s : rows) {
        const QString quality = s.headlineKey.isEmpty() ? u"—"_s : u"%1 %2"_s.arg(s.headlineKey).arg(s.headlineValue, 0, 'f', 3);
        QString line = u"%1  %2  %3 %4 %5 %6  %7"_s.arg(s.id, 5).arg(s.started.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s), -16)
                           .arg(statusName(s.status), -11).arg(s.modelName.left(18), -18).arg(quality.left(22), -22)
                           .arg(s.deployedBytes > 0 ? formatBytes(qint64(s.deployedBytes)) : u"—"_s, 9).arg(s.summary);
        if (!s.tags.isEmpty())
            line += u"  [%1]"_s.arg(s.tags.join(u", "_s));
        if (s.rerunOf)
            line += u"  (re-run of %1: %2)"_s.arg(s.rerunOf).arg(s.reproduction.section(u':', 0, 0));
        io.out << line << "\n";
    }
    if (rows.isEmpty())
        io.out << "(no experiments match)\n";
}

void printShow(Io &io, const Experiment &e)
{
    const ExperimentStart &s = e.start;
    io.out << "experiment " << e.id << " (" << s.uuid << "), " << s.kind << ": " << statusName(e.outcome.status);
    if (!e.outcome.failure.isEmpty())
        io.out << " — " << e.outcome.failure;
    io.out << "\n  configuration: " << s.summary << "\n  model: " << s.model.name << " (" << s.model.path << ", sha256 " << s.model.sha256.left(12)
           << ", " << formatCount(s.model.parameters) << " parameters)\n";
    if (s.dataset)
        io.out << "  dataset: " << s.dataset->name << " (" << s.dataset->path << ", " << s.dataset->samples << " samples)\n";
    io.out << "  started " << s.started.toLocalTime().toString(Qt::ISODate);
    if (e.outcome.finished.isValid())
        io.out << u", took %1 s"_s.arg(e.seconds(), 0, 'f', 2);
    io.out << "\n  environment: " << s.environment.value("cpu"_L1).toString() << ", " << s.environment.value("threads"_L1).toInt() << " threads, "
           << s.environment.value("blas"_L1).toString() << ", LibTorch " << s.environment.value("libtorch"_L1).toString() << ", CompressLab "
           << s.environment.value("app_version"_L1).toString() << " (" << s.environment.value("git_commit"_L1).toString() << ")\n";
    if (s.rerunOf)
        io.out << "  re-run of experiment " << s.rerunOf << ": " << e.outcome.reproduction << "\n";
    if (!s.tags.isEmpty())
        io.out << "  tags: " << s.tags.join(u", "_s) << "\n";
    if (!s.notes.isEmpty())
        io.out << "  notes: " << s.notes << "\n";
    io.out << "metrics:\n";
    for (const MetricValue &m : e.outcome.metrics)
        io.out << u"  %1 %2 %3  %4\n"_s.arg(axisName({m.key, m.device, m.role}), -32).arg(formatValue(m.value, m.unit), -14)
                      .arg(provenanceName(m.provenance), -9).arg(m.detail);
    if (!e.outcome.layers.isEmpty()) {
        io.out << "layers:\n";
        for (const LayerResult &l : e.outcome.layers)
            io.out << u"  %1 %2 %3 bits/w  %4 → %5  err %6\n"_s.arg(l.path.left(30), -30).arg(l.encoding.left(36), -36).arg(l.bits, 6, 'f', 2)
                          .arg(formatBytes(l.originalBytes), 9).arg(formatBytes(l.deployedBytes), 9).arg(l.error, 0, 'f', 4);
    }
    for (const Artifact &a : e.outcome.artifacts)
        io.out << "exported " << a.format << ": " << a.path << " (" << formatBytes(a.bytes) << ", sha256 " << a.sha256.left(12) << ")\n";
}

void printCompare(Io &io, const Comparison &c)
{
    QString header = u"%1"_s.arg(QString(), -34);
    for (qint64 id : c.ids)
        header += u" %1"_s.arg(u"#%1"_s.arg(id), 17);
    io.out << header << "\n";
    if (c.config.isEmpty())
        io.out << "configuration: identical\n";
    else
        io.out << "configuration differences:\n";
    for (const ConfigDifference &d : c.config) {
        QString line = u"  %1"_s.arg(d.path.left(32), -32);
        for (const QString &v : d.values)
            line += u" %1"_s.arg(v.left(17), 17);
        io.out << line << "\n";
    }
    io.out << "metrics (delta vs #" << c.ids.first() << " in brackets):\n";
    for (const MetricComparison &m : c.metrics) {
        QString line = u"  %1"_s.arg((m.name + (m.provenance == Provenance::Estimated ? u" (est.)"_s : QString())).left(32), -32);
        for (qsizetype i = 0; i < m.values.size(); ++i) {
            const auto &v = m.values.at(i);
            QString cell = v ? QString::number(*v, 'g', 5) : u"—"_s;
            if (i > 0 && v && m.values.first())
                cell += u" (%1%2)"_s.arg(*v >= *m.values.first() ? u"+"_s : QString()).arg(*v - *m.values.first(), 0, 'g', 2);
            line += u" %1"_s.arg(cell, 17);
        }
        io.out << line << "\n";
    }
}

void printPareto(Io &io, const ParetoResult &r)
{
    int front = 0;
    for (const ParetoPoint &p : r.points)
        front += p.onFront;
    if (r.points.isEmpty()) {
        io.out << "no finished experiment has both " << axisName(r.x) << " and " << axisName(r.y) << " (see 'history axes')\n";
        return;
    }
    io.out << r.points.size() << " experiments have both " << axisName(r.x) << " (" << (r.xHigherIsBetter ? "higher" : "lower") << " is better) and "
           << axisName(r.y) << " (" << (r.yHigherIsBetter ? "higher" : "lower") << " is better); " << front << " on the front:\n";
    QVector<ParetoPoint> points;
    for (const ParetoPoint &p : r.points) {
        if (p.onFront)
            points << p;
    }
    std::sort(points.begin(), points.end(), [](const ParetoPoint &a, const ParetoPoint &b) { return a.x < b.x; });
    io.out << u"%1  %2 %3  %4\n"_s.arg(u"id"_s, 5).arg(axisName(r.x).left(20), 20).arg(axisName(r.y).left(20), 20).arg(u"configuration"_s);
    for (const ParetoPoint &p : points)
        io.out << u"%1  %2 %3  %4\n"_s.arg(p.id, 5).arg(p.x, 20, 'g', 6).arg(p.y, 20, 'g', 6).arg(p.summary);
}

} // namespace

int runHistory(const QStringList &args, Io &io)
{
    QCommandLineParser p;
    setUpParser(p, u"history"_s, u"The experiment history: list, compare, trade-off fronts, export, re-run, merge."_s);
    p.addPositionalArgument(u"ACTION"_s, u"list, show, compare, pareto, best, axes, export, rerun, merge, tag, note"_s);
    p.addOptions({
        {u"x"_s, u"pareto: the metric across."_s, u"METRIC"_s},
        {u"y"_s, u"pareto: the metric up."_s, u"METRIC"_s},
        {u"objective"_s, u"best: the metric to optimise."_s, u"METRIC"_s},
        {u"max"_s, u"best: METRIC=V, at most V; repeatable."_s, u"C"_s},
        {u"min"_s, u"best: METRIC=V, at least V; repeatable."_s, u"C"_s},
        {u"format"_s, u"export: csv or json."_s, u"F"_s},
        {u"out"_s, u"export: write to FILE (atomically) instead of standard output."_s, u"FILE"_s},
        {u"model"_s, u"Filter: model name or hash prefix."_s, u"M"_s},
        {u"dataset"_s, u"Filter: dataset name or hash prefix."_s, u"D"_s},
        {u"device"_s, u"Filter: has estimates for this device profile."_s, u"NAME"_s},
        {u"method"_s, u"Filter: quantize, prune, low_rank, codebook, int8_kernels."_s, u"M"_s},
        {u"tag"_s, u"Filter: tagged TAG."_s, u"TAG"_s},
        {u"kind"_s, u"Filter: compress, evaluate, distill, sensitivity."_s, u"K"_s},
        {u"status"_s, u"Filter: done, failed, cancelled, interrupted, running."_s, u"S"_s},
        {u"since"_s, u"Filter: started at or after DATE."_s, u"DATE"_s},
        {u"until"_s, u"Filter: started before DATE."_s, u"DATE"_s},
        {u"limit"_s, u"list: at most N rows."_s, u"N"_s},
        jsonOption(),
    });
    addHistoryOptions(p, false);
    if (int rc = parseOrExit(p, args, io, 1, 1000); rc >= 0)
        return rc;
    const QStringList pos = p.positionalArguments();
    const QString action = pos.at(1);
    const bool json = p.isSet(u"json"_s);
    const QStringList actions{u"list"_s, u"show"_s, u"compare"_s, u"pareto"_s, u"best"_s, u"axes"_s, u"export"_s, u"rerun"_s, u"merge"_s, u"tag"_s, u"note"_s};
    if (!actions.contains(action)) {
        io.err << "compresslab-cli history: unknown action '" << action << "'\n\n" << kUsage;
        return ExitUsage;
    }
    const auto history = openHistory(p, io, false);
    const Filter filter = filterFrom(p);

    if (action == "list"_L1) {
        const QVector<ExperimentSummary> rows = history->list(filter);
        if (json) {
            QJsonArray a;
            for (const ExperimentSummary &s : rows)
                a.push_back(toJson(s));
            printJson(io, {{u"history"_s, history->path()}, {u"experiments"_s, a}});
        } else {
            printList(io, rows);
        }
    } else if (action == "show"_L1) {
        const Experiment e = history->experiment(idArgument(pos, 2));
        json ? printJson(io, toJson(e)) : printShow(io, e);
    } else if (action == "compare"_L1) {
        QVector<qint64> ids;
        for (int i = 2; i < pos.size(); ++i)
            ids << idArgument(pos, i);
        const Comparison c = history->compare(ids);
        json ? printJson(io, toJson(c)) : printCompare(io, c);
    } else if (action == "pareto"_L1) {
        if (!p.isSet(u"x"_s) || !p.isSet(u"y"_s)) {
            io.err << "compresslab-cli history pareto: give --x METRIC and --y METRIC (see 'history axes')\n";
            return ExitUsage;
        }
        const ParetoResult r = history->pareto(parseAxis(p.value(u"x"_s)), parseAxis(p.value(u"y"_s)), filter);
        json ? printJson(io, toJson(r)) : printPareto(io, r);
    } else if (action == "best"_L1) {
        if (!p.isSet(u"objective"_s)) {
            io.err << "compresslab-cli history best: give --objective METRIC\n";
            return ExitUsage;
        }
        const auto best = history->best(parseAxis(p.value(u"objective"_s)), constraintsFrom(p), filter);
        if (!best)
            throw UserError(u"no finished experiment meets every constraint"_s);
        const Experiment e = history->experiment(*best);
        json ? printJson(io, toJson(e)) : printShow(io, e);
    } else if (action == "axes"_L1) {
        QJsonArray a;
        for (const Axis &x : history->axes())
            a.push_back(axisName(x));
        if (json)
            printJson(io, {{u"axes"_s, a}});
        for (const QJsonValue &v : a)
            json ? void() : void(io.out << v.toString() << "\n");
    } else if (action == "export"_L1) {
        const QString format = p.value(u"format"_s);
        if (format != "csv"_L1 && format != "json"_L1) {
            io.err << "compresslab-cli history export: --format csv or --format json\n";
            return ExitUsage;
        }
        const QByteArray bytes = format == "csv"_L1 ? exportCsv(*history, filter)
                                                    : QJsonDocument(exportJson(*history, filter)).toJson(QJsonDocument::Indented);
        if (!p.isSet(u"out"_s)) {
            io.out.flush();
            QFile out;
            out.open(stdout, QIODevice::WriteOnly);
            out.write(bytes);
            return ExitOk;
        }
        const QString path = p.value(u"out"_s);
        writeAtomically(path, [&](const QString &temp) {
            QFile f(temp);
            if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.flush())
                throw UserError(u"cannot write %1: %2"_s.arg(path, f.errorString()));
        }, {history->path()});
        io.err << "wrote " << history->count(filter) << " experiments to " << path << "\n";
    } else if (action == "rerun"_L1) {
        StderrProgress progress(u"re-running"_s);
        const RecordedRun r = rerunExperiment(*history, idArgument(pos, 2), [&](const QString &, qint64 done, qint64 total) {
            return progress(done, total);
        });
        progress.finish();
        if (json)
            printJson(io, {{u"rerun_of"_s, double(idArgument(pos, 2))}, {u"experiment_id"_s, double(r.experimentId)}, {u"reproduction"_s, r.reproduction},
                           {u"history_problem"_s, r.historyProblem}});
        else
            io.out << "experiment " << idArgument(pos, 2) << " re-run as " << r.experimentId << ": " << r.reproduction << "\n";
        printRecorded(io, r, history.get());
    } else if (action == "merge"_L1) {
        if (pos.size() != 3) {
            io.err << "compresslab-cli history merge: give one history FILE to merge in\n";
            return ExitUsage;
        }
        const MergeResult r = history->merge(pos.at(2));
        if (json)
            printJson(io, {{u"added"_s, r.added}, {u"skipped"_s, r.skipped}});
        else
            io.out << "merged " << pos.at(2) << " into " << history->path() << ": " << r.added << " experiments added, " << r.skipped
                   << " already present or still running\n";
    } else if (action == "tag"_L1) {
        const qint64 id = idArgument(pos, 2);
        history->experiment(id);
        history->setTags(id, pos.mid(3));
    } else if (action == "note"_L1) {
        const qint64 id = idArgument(pos, 2);
        history->experiment(id);
        history->setNotes(id, pos.mid(3).join(u' '));
    }
    return ExitOk;
}

} // namespace compresslab::cli
