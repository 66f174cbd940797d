#include "CliCommon.h"
#include "Commands.h"

#include "common/UserError.h"
#include "data/Dataset.h"
#include "experiment/Sweep.h"
#include "history/History.h"
#include "model/Model.h"
#include "report/ToJson.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace compresslab::cli {

int runSweep(const QStringList &args, Io &io)
{
    QCommandLineParser p;
    setUpParser(p, u"sweep"_s, u"Compress and evaluate many configurations of one model; one result each (measured)."_s);
    p.addPositionalArgument(u"MODEL"_s, u"TorchScript file (.pt); never modified."_s);
    p.addOptions({{u"data"_s, u"Dataset to evaluate on (required)."_s, u"DATA"_s},
                  {u"grid"_s, u"Grid file: {\"configs\": [...]} and/or {\"base\": {...}, \"vary\": {\"quantize.bits\": [2, 4]}}."_s, u"GRID"_s},
                  {u"limit"_s, u"Evaluate only the first N samples."_s, u"N"_s},
                  {u"tag"_s, u"Tag every experiment of this sweep in the history; repeatable."_s, u"TAG"_s}, jsonOption()});
    addHistoryOptions(p, true);
    if (int rc = parseOrExit(p, args, io, 1, 1); rc >= 0)
        return rc;
    if (!p.isSet(u"data"_s) || !p.isSet(u"grid"_s)) {
        io.err << "compresslab-cli sweep: --data DATA and --grid GRID are required\n";
        return ExitUsage;
    }
    EvalParams evalParams;
    if (!intOption(p, u"limit"_s, 1, &evalParams.limit, io))
        return ExitUsage;
    QFile gridFile(p.value(u"grid"_s));
    if (!gridFile.open(QIODevice::ReadOnly))
        throw UserError(u"cannot read %1: %2"_s.arg(gridFile.fileName(), gridFile.errorString()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(gridFile.readAll(), &error);
    if (!doc.isObject())
        throw UserError(u"%1 is not a JSON object (%2)"_s.arg(gridFile.fileName(), error.errorString()));
    // Every configuration is validated before any work starts: a typo fails fast, not after an hour.
    // Every configuration is validated before any work starts: a typo fails fast, not after an hour.
    const QVector<CompressionConfig> configs = sweepConfigurations(doc.object());

    const auto model = Model::load(p.positionalArguments().at(1));
    const auto data = Dataset::load(p.value(u"data"_s));
    const auto history = openHistory(p, io, true);
    SweepParams params;
    params.eval = evalParams;
    params.tags = p.values(u"tag"_s);
    QJsonArray results;
    const bool json = p.isSet(u"json"_s);
    Metric primary;
    SweepCallbacks callbacks;
    callbacks.originalMeasured = [&](const EvalResult &original) {
        primary = original.metrics.first();
        if (!json)
            io.out << model->displayName() << ": " << primary.label << " " << QString::number(primary.value, 'f', 3)
                   << " uncompressed (measured, " << original.samples << " samples)\n";
    };
    callbacks.starting = [&](const SweepEntry &s) {
        io.err << "[" << (s.index + 1) << "/" << s.count << "] " << s.config.describe() << "\n" << Qt::flush;
    };
    callbacks.finished = [&](const SweepEntry &s) {
        QJsonObject row{{u"config"_s, toJson(s.config)}, {u"description"_s, s.config.describe()}};
        if (s.error.isEmpty()) {
            const CompressionReport &r = *s.report;
            const EvalResult &e = *s.after;
            if (s.experimentId)
                row.insert(u"experiment_id"_s, double(s.experimentId));
            row.insert(u"deployed_bytes"_s, double(r.deployedBytes));
            row.insert(u"reduction"_s, r.reduction());
            row.insert(u"effective_bits"_s, r.effectiveBits);
            row.insert(u"metrics"_s, toJson(e).value("metrics"_L1));
            if (!json)
                io.out << u"  %1 %2  %3 (%4%5)  %6, %7× smaller\n"_s.arg(s.config.describe(), -50).arg(primary.label)
                              .arg(e.value(primary.key), 0, 'f', 3).arg(e.value(primary.key) >= primary.value ? u"+"_s : QString())
                              .arg(e.value(primary.key) - primary.value, 0, 'f', 3).arg(formatBytes(r.deployedBytes))
                              .arg(r.reduction(), 0, 'f', 2);
        } else {
            row.insert(u"error"_s, s.error);
            if (!json)
                io.out << u"  %1 failed: %2\n"_s.arg(s.config.describe(), -50).arg(s.error);
        }
        results.push_back(row);
    };
    // Ctrl-C stops within the current batch: the configuration under way is recorded as cancelled.
    const InterruptRequest interrupt;
    callbacks.progress = [&interrupt](qint64, qint64) { return !interrupt.requested(); };
    const SweepResult swept = sweepModel(*model, *data, configs, history.get(), params, callbacks);
    const QString &historyProblem = swept.historyProblem;
    const EvalResult &original = swept.original;
    if (history && historyProblem.isEmpty())
        io.err << "recorded " << configs.size() << " experiments in " << history->path() << "\n";
    if (!historyProblem.isEmpty())
        io.err << "compresslab-cli: not (fully) recorded in the history: " << historyProblem << "\n";
    io.err.flush();
    if (json)
        printJson(io, {{u"model"_s, model->path()}, {u"original"_s, toJson(original)}, {u"results"_s, results}});
    return ExitOk;
}

} // namespace compresslab::cli
