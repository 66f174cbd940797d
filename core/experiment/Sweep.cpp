#include "experiment/Sweep.h"

#include "common/ProgressSlice.h"
#include "common/UserError.h"
#include "compress/Compressor.h"
#include "data/Dataset.h"
#include "eval/Evaluator.h"
#include "experiment/RecordedRun.h"
#include "history/History.h"
#include "model/Model.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace compresslab {

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

} // namespace

QVector<QJsonObject> expandSweepGrid(const QJsonObject &grid)
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

QVector<CompressionConfig> sweepConfigurations(const QJsonObject &grid)
{
    QVector<CompressionConfig> configs;
    for (const QJsonObject &c : expandSweepGrid(grid))
        configs.push_back(parseCompressionConfig(c));
    return configs;
}

SweepResult sweepModel(const Model &model, const Dataset &data, const QVector<CompressionConfig> &configs, history::History *history,
                       const SweepParams &sweepParams, const SweepCallbacks &callbacks)
{
    if (configs.isEmpty())
        throw UserError(u"sweep: no configurations to run (the grid is empty)"_s);
    const int count = int(configs.size());
    // Progress in thousandths of a configuration, so that every batch of an evaluation (and every step of
    // a compression) also asks whether to stop: cancel lands within one batch, not after a configuration.
    constexpr qint64 kSteps = 1000;
    const qint64 total = qint64(count + 1) * kSteps; // the original's evaluation counts as one configuration
    auto within = [&](qint64 slot, qint64 from, qint64 to) { return progressSlice(callbacks.progress, slot * kSteps + from, slot * kSteps + to, total); };
    if (!reportProgress(callbacks.progress, 0, total))
        throw Cancelled();
    SweepResult result;
    result.original = evaluate(model, data, sweepParams.eval, within(0, 0, kSteps));
    if (callbacks.originalMeasured)
        callbacks.originalMeasured(result.original);

    // Each configuration is one experiment in the history; the original's metrics are every one's baseline.
    CompressionRunParams params;
    params.modelPath = model.path();
    params.dataPath = data.info().path;
    params.eval = sweepParams.eval;
    params.measureLatency = false;
    CompressionRun loaded;
    loaded.modelName = model.displayName();
    loaded.modelParameters = model.summary().parameterCount;
    loaded.modelBytes = model.summary().totalBytes();
    loaded.datasetName = data.info().name;
    loaded.datasetSamples = data.info().samples;
    const QString modelSha = history ? fileSha256(params.modelPath) : QString();
    const QString dataSha = history ? fileSha256(params.dataPath) : QString();
    RecordOptions options;
    options.tags = sweepParams.tags;
    if (history && history->isReadOnly())
        result.historyProblem = u"the history is read-only"_s;
    auto recordStep = [&](const std::function<void()> &write) {
        if (!history || !result.historyProblem.isEmpty())
            return;
        try {
            write();
        } catch (const UserError &e) {
            result.historyProblem = e.message();
        }
    };

    for (int i = 0; i < count; ++i) {
        if (!reportProgress(callbacks.progress, (i + 1) * kSteps, total))
            throw Cancelled();
        SweepEntry entry;
        entry.index = i;
        entry.count = count;
        entry.config = configs[i];
        if (callbacks.starting)
            callbacks.starting(entry);
        params.config = configs[i];
        recordStep([&] { entry.experimentId = history->begin(experimentStart(params, loaded, options, modelSha, dataSha)); });
        try {
            const CompressionResult r = compressModel(model, configs[i], &data, within(i + 1, 0, kSteps / 4));
            const EvalResult e = evaluate(*r.model, data, sweepParams.eval, within(i + 1, kSteps / 4, kSteps));
            CompressionRun run = loaded;
            run.report = r.report;
            run.before = result.original;
            run.after = e;
            if (entry.experimentId)
                recordStep([&] { history->finish(entry.experimentId, outcomeOf(run)); });
            entry.report = r.report;
            entry.after = e;
        } catch (const Cancelled &) {
            // Stopped within this configuration: its experiment ends as cancelled, the finished ones stay.
            if (entry.experimentId) {
                history::ExperimentOutcome stopped;
                stopped.status = history::Status::Cancelled;
                recordStep([&] { history->finish(entry.experimentId, stopped); });
            }
            throw;
        } catch (const UserError &e) {
            // One configuration that does not fit this model is a result too, not the end of the sweep.
            entry.error = e.message();
            if (entry.experimentId) {
                history::ExperimentOutcome failed;
                failed.status = history::Status::Failed;
                failed.failure = e.message();
                recordStep([&] { history->finish(entry.experimentId, failed); });
            }
        }
        result.entries.push_back(entry);
        if (callbacks.finished)
            callbacks.finished(entry);
    }
    reportProgress(callbacks.progress, total, total);
    return result;
}

} // namespace compresslab
