#include "analysis/FitPlanJson.h"

#include "analysis/FitPlan.h"
#include "device/DeviceCatalog.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

FitOutcome outcomeFromJson(const QJsonObject &o)
{
    FitOutcome out;
    out.configuration = o.value(u"configuration"_s).toString();
    out.config = o.value(u"config"_s).toObject();
    const QJsonObject bits = o.value(u"bits_per_layer"_s).toObject(), sparsity = o.value(u"sparsity_per_layer"_s).toObject();
    for (auto it = bits.begin(); it != bits.end(); ++it)
        out.bitsPerLayer.insert(it.key(), it.value().toInt());
    for (auto it = sparsity.begin(); it != sparsity.end(); ++it)
        out.sparsityPerLayer.insert(it.key(), it.value().toDouble());
    out.weightBytes = o.value(u"weight_bytes"_s).toDouble();
    out.latencyMs = o.value(u"estimated_latency_ms"_s).toDouble();
    out.predictedKl = o.value(u"predicted_kl"_s).toDouble();
    out.measuredMetric = o.value(u"measured_metric"_s).toDouble();
    out.measuredLoss = o.value(u"measured_loss"_s).toDouble();
    return out;
}

} // namespace

QJsonObject toJson(const FitParams &p)
{
    QJsonArray bits, sparsities;
    for (int b : p.bits)
        bits.push_back(b);
    for (double s : p.sparsities)
        sparsities.push_back(s);
    QJsonObject o{{u"model"_s, p.modelPath}, {u"data"_s, p.dataPath}, {u"device"_s, p.device.name}, {u"bits"_s, bits},
                  {u"sparsities"_s, sparsities}, {u"sensitivity_samples"_s, double(p.sensitivitySamples)},
                  {u"eval_limit"_s, double(p.evalLimit)}};
    if (p.maxWeightBytes)
        o.insert(u"max_weight_bytes"_s, *p.maxWeightBytes);
    if (p.maxLatencyMs)
        o.insert(u"max_latency_ms"_s, *p.maxLatencyMs);
    if (p.maxLoss)
        o.insert(u"max_loss"_s, *p.maxLoss);
    if (p.matchUniformBits)
        o.insert(u"match_uniform_bits"_s, *p.matchUniformBits);
    return o;
}

FitParams fitParamsFromJson(const QJsonObject &o)
{
    FitParams p;
    p.modelPath = o.value(u"model"_s).toString();
    p.dataPath = o.value(u"data"_s).toString();
    p.device = DeviceCatalog::load().find(o.value(u"device"_s).toString());
    p.bits.clear();
    for (const QJsonValue &b : o.value(u"bits"_s).toArray())
        p.bits << b.toInt();
    p.sparsities.clear();
    for (const QJsonValue &s : o.value(u"sparsities"_s).toArray())
        p.sparsities << s.toDouble();
    p.sensitivitySamples = qint64(o.value(u"sensitivity_samples"_s).toDouble(double(p.sensitivitySamples)));
    p.evalLimit = qint64(o.value(u"eval_limit"_s).toDouble(double(p.evalLimit)));
    if (o.contains(u"max_weight_bytes"_s))
        p.maxWeightBytes = o.value(u"max_weight_bytes"_s).toDouble();
    if (o.contains(u"max_latency_ms"_s))
        p.maxLatencyMs = o.value(u"max_latency_ms"_s).toDouble();
    if (o.contains(u"max_loss"_s))
        p.maxLoss = o.value(u"max_loss"_s).toDouble();
    if (o.contains(u"match_uniform_bits"_s))
        p.matchUniformBits = o.value(u"match_uniform_bits"_s).toInt();
    return p;
}

FitResult fitResultFromJson(const QJsonObject &o)
{
    FitResult r;
    r.metricLabel = o.value(u"metric"_s).toString();
    r.higherIsBetter = o.value(u"higher_is_better"_s).toBool(true);
    r.baselineMetric = o.value(u"baseline_metric"_s).toDouble();
    r.budgetBytes = o.value(u"budget_bytes"_s).toDouble();
    r.feasible = o.value(u"feasible"_s).toBool(true);
    for (const QJsonValue &p : o.value(u"problems"_s).toArray())
        r.problems << p.toString();
    r.plan = outcomeFromJson(o.value(u"plan"_s).toObject());
    if (o.contains(u"uniform"_s))
        r.uniform = outcomeFromJson(o.value(u"uniform"_s).toObject());
    return r;
}

} // namespace compresslab
