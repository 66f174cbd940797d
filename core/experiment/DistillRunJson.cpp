#include "experiment/DistillRunJson.h"

#include "experiment/DistillRun.h"
#include "report/FromJson.h"
#include "report/ToJson.h"

using namespace Qt::StringLiterals;

namespace compresslab {

QJsonObject toJson(const DistillRunParams &p)
{
    QJsonObject o{{u"model"_s, p.modelPath}, {u"student_path"_s, p.studentPath}, {u"train"_s, p.trainPath}, {u"eval"_s, p.evalPath},
                  {u"settings"_s, toJson(p.settings)}, {u"eval_batch_size"_s, p.eval.batchSize}, {u"eval_limit"_s, double(p.eval.limit)},
                  {u"threads"_s, p.eval.threads}, {u"keep_on_cancel"_s, p.keepOnCancel}, {u"out_dir"_s, p.outDir},
                  {u"tags"_s, QJsonArray::fromStringList(p.tags)}, {u"notes"_s, p.notes}};
    if (p.studentConfig)
        o.insert(u"student_config"_s, toJson(*p.studentConfig));
    return o;
}

DistillRunParams distillRunParamsFromJson(const QJsonObject &o)
{
    DistillRunParams p;
    p.modelPath = o.value(u"model"_s).toString();
    p.studentPath = o.value(u"student_path"_s).toString();
    p.trainPath = o.value(u"train"_s).toString();
    p.evalPath = o.value(u"eval"_s).toString();
    p.settings = parseDistillSettings(o.value(u"settings"_s).toObject());
    p.eval.batchSize = o.value(u"eval_batch_size"_s).toInt(p.eval.batchSize);
    p.eval.limit = qint64(o.value(u"eval_limit"_s).toDouble(double(p.eval.limit)));
    p.eval.threads = o.value(u"threads"_s).toInt(p.eval.threads);
    p.keepOnCancel = o.value(u"keep_on_cancel"_s).toBool(p.keepOnCancel);
    p.outDir = o.value(u"out_dir"_s).toString();
    for (const QJsonValue &t : o.value(u"tags"_s).toArray())
        p.tags << t.toString();
    p.notes = o.value(u"notes"_s).toString();
    if (o.contains(u"student_config"_s))
        p.studentConfig = parseCompressionConfig(o.value(u"student_config"_s).toObject());
    return p;
}

QJsonObject toJson(const DistillRun &r)
{
    const DistillOutcome &d = r.outcome;
    QJsonObject o{{u"model_name"_s, r.modelName}, {u"student_name"_s, r.studentName}, {u"train_name"_s, r.trainName},
                  {u"eval_name"_s, r.evalName}, {u"model_parameters"_s, double(r.modelParameters)}, {u"model_bytes"_s, double(r.modelBytes)},
                  {u"train_samples"_s, double(r.trainSamples)}, {u"eval_samples"_s, double(r.evalSamples)},
                  {u"teacher"_s, toJson(r.teacher)}, {u"before"_s, toJson(r.before)}, {u"after"_s, toJson(r.after)},
                  {u"experiment_id"_s, double(r.experimentId)}, {u"history_problem"_s, r.historyProblem},
                  {u"outcome"_s, QJsonObject{{u"stop"_s, int(d.stop)}, {u"message"_s, d.message}, {u"steps"_s, double(d.steps)},
                                             {u"steps_trained"_s, double(d.stepsTrained)}, {u"planned_steps"_s, double(d.plannedSteps)},
                                             {u"best_step"_s, double(d.bestStep)}, {u"seconds"_s, d.seconds},
                                             {u"watched_metric"_s, d.watchedMetric}, {u"notes"_s, QJsonArray::fromStringList(d.notes)}}}};
    if (r.report)
        o.insert(u"report"_s, toJson(*r.report));
    if (r.afterInt8)
        o.insert(u"after_int8"_s, toJson(*r.afterInt8));
    QJsonArray exports;
    for (const ExportedFile &f : r.exports)
        exports.push_back(QJsonObject{{u"path"_s, f.path}, {u"format"_s, f.format}, {u"file_bytes"_s, double(f.fileBytes)}});
    o.insert(u"exports"_s, exports);
    return o;
}

DistillRun distillRunFromJson(const QJsonObject &o)
{
    DistillRun r;
    r.modelName = o.value(u"model_name"_s).toString();
    r.studentName = o.value(u"student_name"_s).toString();
    r.trainName = o.value(u"train_name"_s).toString();
    r.evalName = o.value(u"eval_name"_s).toString();
    r.modelParameters = qint64(o.value(u"model_parameters"_s).toDouble());
    r.modelBytes = qint64(o.value(u"model_bytes"_s).toDouble());
    r.trainSamples = qint64(o.value(u"train_samples"_s).toDouble());
    r.evalSamples = qint64(o.value(u"eval_samples"_s).toDouble());
    r.teacher = evalResultFromJson(o.value(u"teacher"_s).toObject());
    r.before = evalResultFromJson(o.value(u"before"_s).toObject());
    r.after = evalResultFromJson(o.value(u"after"_s).toObject());
    r.experimentId = qint64(o.value(u"experiment_id"_s).toDouble());
    r.historyProblem = o.value(u"history_problem"_s).toString();
    const QJsonObject d = o.value(u"outcome"_s).toObject();
    r.outcome.stop = DistillStop(d.value(u"stop"_s).toInt());
    r.outcome.message = d.value(u"message"_s).toString();
    r.outcome.steps = qint64(d.value(u"steps"_s).toDouble());
    r.outcome.stepsTrained = qint64(d.value(u"steps_trained"_s).toDouble());
    r.outcome.plannedSteps = qint64(d.value(u"planned_steps"_s).toDouble());
    r.outcome.bestStep = qint64(d.value(u"best_step"_s).toDouble(-1));
    r.outcome.seconds = d.value(u"seconds"_s).toDouble();
    r.outcome.watchedMetric = d.value(u"watched_metric"_s).toString();
    for (const QJsonValue &n : d.value(u"notes"_s).toArray())
        r.outcome.notes << n.toString();
    if (o.contains(u"report"_s))
        r.report = compressionReportFromJson(o.value(u"report"_s).toObject());
    if (o.contains(u"after_int8"_s))
        r.afterInt8 = evalResultFromJson(o.value(u"after_int8"_s).toObject());
    for (const QJsonValue &v : o.value(u"exports"_s).toArray()) {
        const QJsonObject f = v.toObject();
        r.exports.push_back({f.value(u"path"_s).toString(), f.value(u"format"_s).toString(), qint64(f.value(u"file_bytes"_s).toDouble())});
    }
    return r;
}

QJsonArray toJson(const QVector<history::CurvePoint> &points)
{
    QJsonArray a;
    for (const history::CurvePoint &p : points)
        a.push_back(QJsonArray{p.curve, double(p.step), p.value});
    return a;
}

QVector<history::CurvePoint> curvePointsFromJson(const QJsonArray &a)
{
    QVector<history::CurvePoint> points;
    for (const QJsonValue &v : a) {
        const QJsonArray p = v.toArray();
        points.push_back({p.at(0).toString(), qint64(p.at(1).toDouble()), p.at(2).toDouble()});
    }
    return points;
}

} // namespace compresslab
