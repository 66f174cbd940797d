#include "experiment/RecordedRun.h"

#include "common/UserError.h"
#include "experiment/Environment.h"
#include "history/History.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <functional>

using namespace Qt::StringLiterals;

namespace compresslab {

using history::MetricValue;
using history::Provenance;

namespace {

} // namespace

QStringList compressionMethods(const QJsonObject &config)
{
    QStringList out;
    for (const char *m : {"prune", "low_rank", "quantize", "codebook"}) {
        if (config.contains(QLatin1StringView(m)))
            out << QString::fromLatin1(m);
    }
    if (config.value("int8_kernels"_L1).toBool())
        out << u"int8_kernels"_s;
    return out;
}

void addEvalMetrics(QVector<MetricValue> &out, const EvalResult &r, const QString &role, const QString &suffix, const QString &weights)
{
    for (const Metric &m : r.metrics)
        out.push_back({m.key + suffix, m.value, m.unit, m.higherIsBetter, Provenance::Measured, {}, role,
                       u"%1 samples; %2; %3"_s.arg(r.samples).arg(r.runtime.describe(), weights)});
}

namespace {

void addLatency(QVector<MetricValue> &out, const LatencyResult &l, const QString &role, const QString &weights)
{
    const QString detail = u"batch %1, %2 runs; %3; %4"_s.arg(l.batch).arg(l.runs).arg(l.runtime.describe(), weights);
    out.push_back({u"latency_median_ms"_s, l.medianMs, u"ms"_s, false, Provenance::Measured, {}, role, detail});
    out.push_back({u"latency_p90_ms"_s, l.p90Ms, u"ms"_s, false, Provenance::Measured, {}, role, detail});
    out.push_back({u"latency_min_ms"_s, l.minMs, u"ms"_s, false, Provenance::Measured, {}, role, detail});
}

// Numbers a deterministic re-run must reproduce exactly: quality and size, not timings.
bool isDeterministic(const MetricValue &m)
{
    return !m.key.startsWith("latency_"_L1) && m.key != "compress_seconds"_L1;
}

} // namespace

history::ExperimentStart experimentStart(const CompressionRunParams &params, const CompressionRun &loaded, const RecordOptions &options,
                                         const QString &modelSha256, const QString &dataSha256)
{
    history::ExperimentStart s;
    s.kind = u"compress"_s;
    s.config = toJson(params.config);
    s.summary = params.config.describe();
    s.methods = compressionMethods(s.config);
    s.environment = captureEnvironment();
    // The runtime the evaluation reported: the window's runs happen in its model host, another process.
    if (loaded.after && !loaded.after->runtime.torchVersion.isEmpty()) {
        const RuntimeInfo &rt = loaded.after->runtime;
        s.environment.insert(u"threads"_s, rt.threads);
        s.environment.insert(u"blas"_s, rt.blas);
        s.environment.insert(u"quantized_engine"_s, rt.quantizedEngine);
        s.environment.insert(u"omp_wait_policy"_s, rt.ompWaitPolicy);
        s.environment.insert(u"allocator"_s, rt.allocator);
    }
    s.environment.insert(u"evaluation"_s, QJsonObject{{u"limit"_s, double(params.eval.limit)}, {u"batch_size"_s, params.eval.batchSize},
                                                       {u"latency"_s, params.measureLatency}});
    s.model = {modelSha256.isEmpty() ? fileSha256(params.modelPath) : modelSha256, QFileInfo(params.modelPath).absoluteFilePath(),
               loaded.modelName, loaded.modelParameters, loaded.modelBytes};
    if (!params.dataPath.isEmpty())
        s.dataset = history::DatasetRef{dataSha256.isEmpty() ? fileSha256(params.dataPath) : dataSha256, QFileInfo(params.dataPath).absoluteFilePath(),
                                        loaded.datasetName, loaded.datasetSamples};
    s.tags = options.tags;
    s.notes = options.notes;
    s.rerunOf = options.rerunOf;
    return s;
}

QString fileSha256(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw UserError(u"cannot read %1: %2"_s.arg(path, f.errorString()));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&f);
    return QString::fromLatin1(hash.result().toHex());
}

history::ExperimentOutcome outcomeOf(const CompressionRun &run)
{
    history::ExperimentOutcome o;
    const QString fp32 = u"dequantized fp32 weights"_s;
    if (run.after)
        addEvalMetrics(o.metrics, *run.after, u"result"_s, QString(), fp32);
    if (run.afterInt8)
        addEvalMetrics(o.metrics, *run.afterInt8, u"result"_s, u"_int8_kernels"_s, u"int8 kernels (quantized::linear_dynamic)"_s);
    if (run.before)
        addEvalMetrics(o.metrics, *run.before, u"baseline"_s, QString(), u"original fp32"_s);
    const CompressionReport &r = run.report;
    const QString exact = u"exact accounting: packed bits + scales + zero-points + indices + codebooks"_s;
    o.metrics.push_back({u"deployed_bytes"_s, double(r.deployedBytes), u"B"_s, false, Provenance::Measured, {}, u"result"_s, exact});
    o.metrics.push_back({u"deployed_bytes"_s, double(r.originalBytes), u"B"_s, false, Provenance::Measured, {}, u"baseline"_s, u"fp32 as loaded"_s});
    o.metrics.push_back({u"reduction"_s, r.reduction(), u"×"_s, true, Provenance::Measured, {}, u"result"_s, exact});
    o.metrics.push_back({u"effective_bits"_s, r.effectiveBits, u"bits"_s, false, Provenance::Measured, {}, u"result"_s,
                         u"per compressed weight"_s});
    o.metrics.push_back({u"compress_seconds"_s, r.seconds, u"s"_s, false, Provenance::Measured, {}, u"result"_s, QString()});
    if (run.latencyAfter)
        addLatency(o.metrics, *run.latencyAfter, u"result"_s, run.int8Kernels ? u"int8 kernels"_s : fp32);
    if (run.latencyBefore)
        addLatency(o.metrics, *run.latencyBefore, u"baseline"_s, u"original fp32"_s);
    // Estimates per device profile: labelled estimated, with the profile copied into the history.
    for (qsizetype i = 0; i < run.estimates.size(); ++i) {
        o.devices.push_back({run.devices.at(i).name, toJson(run.devices.at(i))});
        for (const auto &[estimate, role] : {std::pair{&run.estimates.at(i), u"result"_s}, std::pair{&run.baselineEstimates.at(i), u"baseline"_s}}) {
            const QString dev = estimate->device;
            const QString how = u"roofline estimate; "_s + estimate->deployment;
            o.metrics.push_back({u"latency_ms"_s, estimate->latencyMs, u"ms"_s, false, Provenance::Estimated, dev, role, how});
            if (estimate->tokenMs >= 0)
                o.metrics.push_back({u"token_ms"_s, estimate->tokenMs, u"ms"_s, false, Provenance::Estimated, dev, role, how});
            o.metrics.push_back({u"memory_bytes"_s, estimate->memoryBytes(), u"B"_s, false, Provenance::Estimated, dev, role,
                                 u"weights + peak activations, batch 1"_s});
            o.metrics.push_back({u"memory_margin_bytes"_s, estimate->marginBytes, u"B"_s, true, Provenance::Estimated, dev, role,
                                 u"device memory left; negative: does not fit"_s});
            o.metrics.push_back({u"energy_mj"_s, estimate->energyMj, u"mJ"_s, false, Provenance::Estimated, dev, role,
                                 u"latency x the profile's power draw"_s});
        }
    }
    for (const LayerReport &l : r.layers) {
        QJsonObject extra;
        if (!l.tiedTo.isEmpty())
            extra.insert(u"tied_to"_s, l.tiedTo);
        if (l.skipped)
            extra.insert(u"skipped"_s, true);
        if (!l.note.isEmpty())
            extra.insert(u"note"_s, l.note);
        o.layers.push_back({l.path, l.type, l.encoding, l.effectiveBits, l.sparsity, l.relativeError, l.originalBytes, l.deployedBytes, extra});
    }
    for (const ExportedFile &e : run.exports)
        o.artifacts.push_back({e.path, e.format, e.fileBytes, fileSha256(e.path)});
    return o;
}

ExperimentRecorder::ExperimentRecorder(history::History *history, bool record) : m_history(record ? history : nullptr)
{
    if (m_history && m_history->isReadOnly()) {
        m_problem = u"the history %1 is read-only: this run is not recorded"_s.arg(m_history->path());
        m_history = nullptr;
    }
}

void ExperimentRecorder::guard(const std::function<void()> &write)
{
    if (!m_history || !m_problem.isEmpty())
        return;
    try {
        write();
    } catch (const UserError &e) {
        m_problem = e.message();
    }
}

void ExperimentRecorder::begin(const history::ExperimentStart &start)
{
    guard([&] { m_id = m_history->begin(start); });
}

void ExperimentRecorder::end(history::Status status, const QString &failure)
{
    history::ExperimentOutcome o;
    o.status = status;
    o.failure = failure;
    finish(o);
}

void ExperimentRecorder::finish(const history::ExperimentOutcome &outcome)
{
    if (m_id != 0)
        guard([&] { m_history->finish(m_id, outcome); });
}

void ExperimentRecorder::recordFailures(const std::function<void()> &work)
{
    try {
        work();
    } catch (const UserError &e) {
        end(history::Status::Failed, e.message());
        throw;
    } catch (const Cancelled &) {
        end(history::Status::Cancelled, QString());
        throw;
    } catch (const std::exception &e) {
        end(history::Status::Failed, QString::fromUtf8(e.what()));
        throw;
    }
}

RecordedRun runAndRecord(const CompressionRunParams &params, history::History *history, const StageProgress &progress,
                         const RecordOptions &options)
{
    RecordedRun out;
    // A dry run measures nothing: it is not an experiment.
    ExperimentRecorder recorder(history, !params.dryRun);
    auto begin = [&](const CompressionRun &loaded) { recorder.begin(experimentStart(params, loaded, options)); };
    recorder.recordFailures([&] { out.run = runCompression(params, progress, begin); });
    history::ExperimentOutcome outcome = outcomeOf(out.run);
    if (options.compare) {
        outcome.reproduction = options.compare(outcome);
        out.reproduction = outcome.reproduction;
    }
    recorder.finish(outcome);
    out.experimentId = recorder.id();
    out.historyProblem = recorder.problem();
    return out;
}

RecordedRun rerunExperiment(history::History &history, qint64 id, const StageProgress &progress)
{
    const history::Experiment original = history.experiment(id);
    if (original.start.kind != "compress"_L1)
        throw UserError(u"experiment %1 is a %2 experiment; only compression experiments can be re-run so far"_s.arg(id).arg(original.start.kind));
    auto checkFile = [](const QString &what, const QString &path, const QString &sha) {
        if (!QFileInfo::exists(path))
            throw UserError(u"the %1 of this experiment, %2, is gone; restore it there to re-run"_s.arg(what, path));
        if (fileSha256(path) != sha)
            throw UserError(u"the %1 %2 has changed since the experiment (its SHA-256 differs), so a re-run would not repeat it"_s.arg(what, path));
    };
    checkFile(u"model"_s, original.start.model.path, original.start.model.sha256);
    CompressionRunParams params;
    params.modelPath = original.start.model.path;
    if (original.start.dataset) {
        checkFile(u"dataset"_s, original.start.dataset->path, original.start.dataset->sha256);
        params.dataPath = original.start.dataset->path;
    }
    params.config = parseCompressionConfig(original.start.config);
    const QJsonObject evaluation = original.start.environment.value("evaluation"_L1).toObject();
    params.eval.limit = qint64(evaluation.value("limit"_L1).toDouble(-1));
    params.eval.batchSize = evaluation.value("batch_size"_L1).toInt(params.eval.batchSize);
    params.eval.threads = original.start.environment.value("threads"_L1).toInt(0);
    params.measureLatency = evaluation.value("latency"_L1).toBool(true);

    RecordOptions options;
    options.rerunOf = id;
    options.tags = original.start.tags;
    options.compare = [&](const history::ExperimentOutcome &now) { return reproductionOf(original, now); };
    return runAndRecord(params, &history, progress, options);
}

QString reproductionOf(const history::Experiment &original, const history::ExperimentOutcome &now)
{
    // Every deterministic number is compared exactly; timings are measured anew and expected to vary.
    QStringList differences;
    int identical = 0;
    for (const MetricValue &m : original.outcome.metrics) {
        if (!isDeterministic(m))
            continue;
        const auto it = std::find_if(now.metrics.begin(), now.metrics.end(),
                                     [&](const MetricValue &n) { return n.key == m.key && n.role == m.role && n.device == m.device; });
        if (it == now.metrics.end())
            differences << u"%1 missing"_s.arg(history::axisName({m.key, m.device, m.role}));
        else if (it->value != m.value)
            differences << u"%1 %2 → %3"_s.arg(history::axisName({m.key, m.device, m.role})).arg(m.value, 0, 'g', 17).arg(it->value, 0, 'g', 17);
        else
            ++identical;
    }
    const QStringList envChanges = environmentDifferences(original.start.environment, captureEnvironment());
    QString text = differences.isEmpty() ? u"exact: all %1 quality and size metrics identical"_s.arg(identical)
                                         : u"differs: "_s + differences.join(u"; "_s);
    if (!envChanges.isEmpty())
        text += u" (environment changed: %1)"_s.arg(envChanges.join(u", "_s));
    return text;
}

} // namespace compresslab
