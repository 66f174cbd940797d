#include "CliCommon.h"
#include "Commands.h"

#include "common/UserError.h"
#include "compress/Compressor.h"
#include "data/Dataset.h"
#include "eval/Evaluator.h"
#include "experiment/RecordedRun.h"
#include "history/History.h"
#include "model/Model.h"
#include "report/ToJson.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace compresslab::cli {

namespace {

// Sets "quantize.bits" style paths inside a configuration object.
void setPath(QJsonObject &o, const QStringList &path, const QJsonValue &value)
{
    if (path.size() == 1) {
        o.insert(path.first(), value);
        return;
    }
    QJsonObject inner = o.value(path.first()).toObject();
    setPath(inner, path.mid(1), value);
    o.insert(path.first(), inner);
}

// The grid: an explicit "configs" list and/or a "base" configuration with every combination of "vary".
QVector<QJsonObject> expandGrid(const QJsonObject &grid)
{
    for (auto it = grid.begin(); it != grid.end(); ++it) {
        if (it.key() != "configs"_L1 && it.key() != "base"_L1 && it.key() != "vary"_L1)
            throw UserError(u"grid: unknown key '%1' (known: configs, base, vary)"_s.arg(it.key()));
    }
    QVector<QJsonObject> out;
    for (const QJsonValue &c : grid.value("configs"_L1).toArray())
        out.push_back(c.toObject());
    if (grid.contains("vary"_L1)) {
        QVector<QJsonObject> combos{grid.value("base"_L1).toObject()};
        const QJsonObject vary = grid.value("vary"_L1).toObject();
        for (auto it = vary.begin(); it != vary.end(); ++it) {
            if (!it.value().isArray() || it.value().toArray().isEmpty())
                throw UserError(u"grid: vary.%1 must be a non-empty list of values"_s.arg(it.key()));
            QVector<QJsonObject> next;
            for (const QJsonObject &c : combos) {
                for (const QJsonValue &v : it.value().toArray()) {
                    QJsonObject copy = c;
                    setPath(copy, it.key().split(u'.'), v);
                    next.push_back(copy);
                }
            }
            combos = next;
        }
        out += combos;
    }
    if (out.isEmpty())
        throw UserError(u"grid: give \"configs\": [...] or \"base\" and \"vary\""_s);
    if (out.size() > 1000)
        throw UserError(u"grid: %1 configurations; at most 1000 per sweep"_s.arg(out.size()));
    return out;
}

} // namespace

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
    QVector<CompressionConfig> configs;
    for (const QJsonObject &c : expandGrid(doc.object()))
        configs.push_back(parseCompressionConfig(c));

    const auto model = Model::load(p.positionalArguments().at(1));
    const auto data = Dataset::load(p.value(u"data"_s));
    const EvalResult original = evaluate(*model, *data, evalParams);

    // Each configuration is one experiment in the history; the original's metrics are every one's baseline.
    const auto history = openHistory(p, io, true);
    CompressionRunParams params;
    params.modelPath = model->path();
    params.dataPath = data->info().path;
    params.eval = evalParams;
    params.measureLatency = false;
    CompressionRun loaded;
    loaded.modelName = model->displayName();
    loaded.modelParameters = model->summary().parameterCount;
    loaded.modelBytes = model->summary().totalBytes();
    loaded.datasetName = data->info().name;
    loaded.datasetSamples = data->info().samples;
    const QString modelSha = history ? fileSha256(params.modelPath) : QString();
    const QString dataSha = history ? fileSha256(params.dataPath) : QString();
    RecordOptions options;
    options.tags = p.values(u"tag"_s);
    QString historyProblem = history && history->isReadOnly() ? u"the history is read-only"_s : QString();
    auto recordStep = [&](const std::function<void()> &write) {
        if (!history || !historyProblem.isEmpty())
            return;
        try {
            write();
        } catch (const UserError &e) {
            historyProblem = e.message();
        }
    };
    QJsonArray results;
    const bool json = p.isSet(u"json"_s);
    const Metric &primary = original.metrics.first();
    if (!json)
        io.out << model->displayName() << ": " << primary.label << " " << QString::number(primary.value, 'f', 3)
               << " uncompressed (measured, " << original.samples << " samples)\n";
    for (int i = 0; i < configs.size(); ++i) {
        io.err << "[" << (i + 1) << "/" << configs.size() << "] " << configs[i].describe() << "\n" << Qt::flush;
        QJsonObject row{{u"config"_s, toJson(configs[i])}, {u"description"_s, configs[i].describe()}};
        params.config = configs[i];
        qint64 experimentId = 0;
        recordStep([&] { experimentId = history->begin(experimentStart(params, loaded, options, modelSha, dataSha)); });
        try {
            const CompressionResult r = compressModel(*model, configs[i], data.get());
            const EvalResult e = evaluate(*r.model, *data, evalParams);
            CompressionRun run = loaded;
            run.report = r.report;
            run.before = original;
            run.after = e;
            if (experimentId) {
                recordStep([&] { history->finish(experimentId, outcomeOf(run)); });
                row.insert(u"experiment_id"_s, double(experimentId));
            }
            row.insert(u"deployed_bytes"_s, double(r.report.deployedBytes));
            row.insert(u"reduction"_s, r.report.reduction());
            row.insert(u"effective_bits"_s, r.report.effectiveBits);
            row.insert(u"metrics"_s, toJson(e).value("metrics"_L1));
            if (!json)
                io.out << u"  %1 %2  %3 (%4%5)  %6, %7× smaller\n"_s.arg(configs[i].describe(), -50).arg(primary.label)
                              .arg(e.value(primary.key), 0, 'f', 3).arg(e.value(primary.key) >= primary.value ? u"+"_s : QString())
                              .arg(e.value(primary.key) - primary.value, 0, 'f', 3).arg(formatBytes(r.report.deployedBytes))
                              .arg(r.report.reduction(), 0, 'f', 2);
        } catch (const UserError &e) {
            // One configuration that does not fit this model is a result too, not the end of the sweep.
            row.insert(u"error"_s, e.message());
            if (experimentId) {
                history::ExperimentOutcome failed;
                failed.status = history::Status::Failed;
                failed.failure = e.message();
                recordStep([&] { history->finish(experimentId, failed); });
            }
            if (!json)
                io.out << u"  %1 failed: %2\n"_s.arg(configs[i].describe(), -50).arg(e.message());
        }
        results.push_back(row);
    }
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
