#include "experiment/DistillRun.h"

#include "common/UserError.h"
#include "compress/Compressor.h"
#include "data/Dataset.h"
#include "eval/Evaluator.h"
#include "experiment/Environment.h"
#include "experiment/RecordedRun.h"
#include "history/History.h"
#include "model/Model.h"
#include "runtime/RuntimeInfo.h"

#include <QFileInfo>

#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab {

using history::MetricValue;
using history::Provenance;

namespace {

history::ExperimentStart startOf(const DistillRunParams &p, const DistillRun &run, const QString &studentSha)
{
    history::ExperimentStart s;
    s.kind = u"distill"_s;
    QJsonObject student;
    if (p.studentConfig) {
        const QJsonObject compression = toJson(*p.studentConfig);
        student.insert(u"compression"_s, compression);
        s.methods = compressionMethods(compression);
    } else {
        student.insert(u"file"_s, QFileInfo(p.studentPath).absoluteFilePath());
        student.insert(u"sha256"_s, studentSha);
    }
    s.methods << u"distill"_s;
    s.config = QJsonObject{{u"student"_s, student}, {u"distill"_s, toJson(p.settings)},
                           {u"train"_s, QJsonObject{{u"path"_s, QFileInfo(p.trainPath).absoluteFilePath()},
                                                    {u"sha256"_s, fileSha256(p.trainPath)}, {u"samples"_s, double(run.trainSamples)}}}};
    s.summary = u"distill %1: %2"_s.arg(p.studentConfig ? p.studentConfig->describe() : run.studentName, p.settings.describe());
    s.seed = p.settings.seed;
    s.environment = captureEnvironment();
    s.environment.insert(u"evaluation"_s, QJsonObject{{u"limit"_s, double(p.eval.limit)}, {u"batch_size"_s, p.eval.batchSize}});
    s.model = {fileSha256(p.modelPath), QFileInfo(p.modelPath).absoluteFilePath(), run.modelName, run.modelParameters, run.modelBytes};
    s.dataset = history::DatasetRef{fileSha256(p.evalPath), QFileInfo(p.evalPath).absoluteFilePath(), run.evalName, run.evalSamples};
    s.tags = p.tags;
    s.notes = p.notes;
    return s;
}

history::ExperimentOutcome outcomeOf(const DistillRun &run)
{
    history::ExperimentOutcome o;
    switch (run.outcome.stop) {
    case DistillStop::Cancelled: o.status = history::Status::Cancelled; break;
    case DistillStop::Diverged:
        o.status = history::Status::Failed;
        o.failure = run.outcome.message;
        break;
    default: o.status = history::Status::Done;
    }
    addEvalMetrics(o.metrics, run.after, u"result"_s, QString(), u"distilled student, fp32 effective weights"_s);
    addEvalMetrics(o.metrics, run.before, u"result"_s, u"_before_distill"_s, u"student before distillation"_s);
    addEvalMetrics(o.metrics, run.teacher, u"baseline"_s, QString(), u"teacher, original fp32"_s);
    if (run.afterInt8)
        addEvalMetrics(o.metrics, *run.afterInt8, u"result"_s, u"_int8_kernels"_s, u"int8 kernels (quantized::linear_dynamic)"_s);
    const auto measured = [&](const QString &key, double v, const QString &unit, bool higher, const QString &detail) {
        o.metrics.push_back({key, v, unit, higher, Provenance::Measured, {}, u"result"_s, detail});
    };
    measured(u"distill_seconds"_s, run.outcome.seconds, u"s"_s, false, u"training wall time, evaluations included"_s);
    measured(u"distill_steps"_s, double(run.outcome.stepsTrained), QString(), true,
             run.outcome.bestStep >= 0 ? u"%1; the best evaluated student, from step %2, kept"_s.arg(distillStopName(run.outcome.stop)).arg(run.outcome.bestStep)
                                       : distillStopName(run.outcome.stop));
    if (std::isfinite(run.recovered()))
        measured(u"recovered"_s, run.recovered() * 100, u"%"_s, true, u"share of the compression's loss won back on "_s + run.outcome.watchedMetric);
    if (run.report) {
        const QString exact = u"exact accounting; unchanged by distillation"_s;
        measured(u"deployed_bytes"_s, double(run.report->deployedBytes), u"B"_s, false, exact);
        o.metrics.push_back({u"deployed_bytes"_s, double(run.report->originalBytes), u"B"_s, false, Provenance::Measured, {}, u"baseline"_s,
                             u"fp32 as loaded"_s});
        measured(u"reduction"_s, run.report->reduction(), u"×"_s, true, exact);
        measured(u"effective_bits"_s, run.report->effectiveBits, u"bits"_s, false, u"per compressed weight"_s);
    }
    o.curves = run.outcome.curves;
    for (const ExportedFile &e : run.exports)
        o.artifacts.push_back({e.path, e.format, e.fileBytes, fileSha256(e.path)});
    return o;
}

} // namespace

double DistillRun::recovered() const
{
    const Metric *t = teacher.headline();
    if (!t)
        return std::nan("");
    // Signed so that "better" is positive for either direction of metric.
    const double sign = t->higherIsBetter ? 1 : -1;
    const double lost = sign * (t->value - before.value(t->key)), won = sign * (after.value(t->key) - before.value(t->key));
    return lost > 0 ? won / lost : std::nan("");
}

DistillRun runDistillation(const DistillRunParams &p, history::History *history, const StageProgress &progress, const CurveCallback &curves)
{
    if (!p.studentConfig && p.studentPath.isEmpty())
        throw UserError(u"give the student: a compression configuration, or a TorchScript file"_s);
    configureRuntime(p.eval.threads);
    const auto teacher = Model::load(p.modelPath);
    const auto train = Dataset::load(p.trainPath);
    const auto evalSet = Dataset::load(p.evalPath);
    auto stage = [&](const QString &name) -> ProgressCallback {
        if (!progress)
            return {};
        return [&progress, name](qint64 done, qint64 total) { return progress(name, done, total); };
    };

    DistillRun run;
    run.modelName = teacher->displayName();
    run.modelParameters = teacher->summary().parameterCount;
    run.modelBytes = teacher->summary().totalBytes();
    run.trainName = train->info().name;
    run.trainSamples = train->info().samples;
    run.evalName = evalSet->info().name;
    run.evalSamples = evalSet->info().samples;

    CompressionResult compressed;
    std::shared_ptr<Model> student;
    if (!p.studentConfig) {
        student = Model::load(p.studentPath);
        run.studentName = student->displayName();
    }
    ExperimentRecorder recorder(history, true);
    recorder.begin(startOf(p, run, p.studentConfig ? QString() : fileSha256(p.studentPath)));
    recorder.recordFailures([&] {
        if (p.studentConfig) { // a configuration that does not fit the model is a failed experiment, recorded
            compressed = compressModel(*teacher, *p.studentConfig, train.get(), stage(u"compressing student"_s));
            student = compressed.model;
            run.report = compressed.report;
            run.studentName = student->displayName();
        }
        run.teacher = evaluate(*teacher, *evalSet, p.eval, stage(u"evaluating teacher"_s));
        run.before = evaluate(*student, *evalSet, p.eval, stage(u"evaluating student"_s));
        DistillObserver observer{progress, curves};
        run.outcome = distill(*teacher, *student, compressed.artifacts, *train, evalSet.get(), p.settings, p.eval, observer);
        if (run.outcome.watchedMetric.isEmpty() && run.teacher.headline()) // no evaluations during training
            run.outcome.watchedMetric = run.teacher.headline()->key;
        if (run.outcome.stop == DistillStop::Cancelled && !p.keepOnCancel)
            throw Cancelled();
        // A kept student is measured and exported to the end: after training, progress is still shown but a
        // cancel (or the one that stopped training) no longer throws the trained student away.
        auto after = [&](const QString &name) -> ProgressCallback {
            if (!p.keepOnCancel)
                return stage(name);
            if (!progress)
                return {};
            return [&progress, name](qint64 done, qint64 total) { progress(name, done, total); return true; };
        };
        run.after = evaluate(*run.outcome.student, *evalSet, p.eval, after(u"evaluating distilled student"_s));
        CompressionResult trained;
        trained.model = run.outcome.student;
        trained.artifacts = run.outcome.artifacts;
        if (run.report)
            trained.report = *run.report;
        attachLowRankModel(trained); // the trained factors as two Linear layers (a no-op without low-rank)
        if (p.studentConfig && p.studentConfig->int8Kernels) {
            attachInt8Model(trained, after(u"packing int8 kernels"_s));
            run.afterInt8 = evaluate(*trained.int8Model, *evalSet, p.eval, after(u"evaluating int8 kernels"_s));
        }
        if (!p.outDir.isEmpty()) {
            // The exports never go over the teacher (writeExports checks) nor over a student file.
            if (!p.studentPath.isEmpty()) {
                const QString student = QFileInfo(p.studentPath).canonicalFilePath();
                for (const char *name : {"model-dequantized.pt", "model-packed.safetensors", "model-lowrank.pt", "model-int8.pt"}) {
                    if (QFileInfo(p.outDir + u'/' + QLatin1StringView(name)).canonicalFilePath() == student)
                        throw UserError(u"--out %1 would write over the student file %2; choose another folder"_s.arg(p.outDir, p.studentPath));
                }
            }
            run.exports = writeExports(trained, p.outDir, p.modelPath);
        }
    });
    history::ExperimentOutcome outcome;
    recorder.recordFailures([&] { outcome = outcomeOf(run); });
    recorder.finish(outcome);
    run.experimentId = recorder.id();
    run.historyProblem = recorder.problem();
    return run;
}

} // namespace compresslab
