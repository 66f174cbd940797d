#include "analysis/WeightHistogramJson.h"

#include "analysis/WeightHistogram.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

template <class T>
QJsonArray numbers(const QVector<T> &v)
{
    QJsonArray a;
    for (T x : v)
        a.push_back(double(x));
    return a;
}

template <class T>
QVector<T> numbersFrom(const QJsonValue &v)
{
    QVector<T> out;
    for (const QJsonValue &x : v.toArray())
        out << T(x.toDouble());
    return out;
}

} // namespace

QJsonObject toJson(const WeightHistogram &h)
{
    return {{u"layer"_s, h.layer}, {u"type"_s, h.type}, {u"shape"_s, numbers(h.shape)}, {u"config"_s, h.configSummary},
            {u"encoding"_s, h.encoding}, {u"tied_to"_s, h.tiedTo}, {u"state"_s, int(h.state)}, {u"weights"_s, double(h.weights)},
            {u"bin_edges"_s, numbers(h.binEdges)}, {u"before"_s, numbers(h.before)}, {u"after"_s, numbers(h.after)},
            {u"grid_kind"_s, int(h.gridKind)}, {u"no_grid_reason"_s, int(h.noGridReason)}, {u"grid_levels"_s, numbers(h.gridLevels)},
            {u"bits"_s, h.bits}, {u"group_unit"_s, int(h.groupUnit)}, {u"group_size"_s, double(h.groupSize)},
            {u"grid_group"_s, double(h.gridGroup)}, {u"grid_count"_s, double(h.gridCount)}, {u"grid_widest"_s, h.gridWidest},
            {u"pruned_zeros"_s, double(h.prunedZeros)}, {u"removed_weights"_s, double(h.removedWeights)},
            {u"zeros_before"_s, double(h.zerosBefore)}, {u"zeros_after"_s, double(h.zerosAfter)},
            {u"min_abs_error"_s, h.minAbsError}, {u"max_abs_error"_s, h.maxAbsError}, {u"mean_abs_error"_s, h.meanAbsError},
            {u"distinct_before"_s, double(h.distinctBefore)}, {u"distinct_after"_s, double(h.distinctAfter)}, {u"seconds"_s, h.seconds}};
}

WeightHistogram weightHistogramFromJson(const QJsonObject &o)
{
    WeightHistogram h;
    h.layer = o.value(u"layer"_s).toString();
    h.type = o.value(u"type"_s).toString();
    h.shape = numbersFrom<qint64>(o.value(u"shape"_s));
    h.configSummary = o.value(u"config"_s).toString();
    h.encoding = o.value(u"encoding"_s).toString();
    h.tiedTo = o.value(u"tied_to"_s).toString();
    h.state = WeightHistogramState(o.value(u"state"_s).toInt());
    h.weights = qint64(o.value(u"weights"_s).toDouble());
    h.binEdges = numbersFrom<double>(o.value(u"bin_edges"_s));
    h.before = numbersFrom<double>(o.value(u"before"_s));
    h.after = numbersFrom<double>(o.value(u"after"_s));
    h.gridKind = WeightGridKind(o.value(u"grid_kind"_s).toInt());
    h.noGridReason = WeightNoGridReason(o.value(u"no_grid_reason"_s).toInt());
    h.gridLevels = numbersFrom<double>(o.value(u"grid_levels"_s));
    h.bits = o.value(u"bits"_s).toInt();
    h.groupUnit = WeightGroupUnit(o.value(u"group_unit"_s).toInt());
    h.groupSize = qint64(o.value(u"group_size"_s).toDouble());
    h.gridGroup = qint64(o.value(u"grid_group"_s).toDouble(-1));
    h.gridCount = qint64(o.value(u"grid_count"_s).toDouble());
    h.gridWidest = o.value(u"grid_widest"_s).toBool();
    h.prunedZeros = qint64(o.value(u"pruned_zeros"_s).toDouble());
    h.removedWeights = qint64(o.value(u"removed_weights"_s).toDouble());
    h.zerosBefore = qint64(o.value(u"zeros_before"_s).toDouble());
    h.zerosAfter = qint64(o.value(u"zeros_after"_s).toDouble());
    h.minAbsError = o.value(u"min_abs_error"_s).toDouble();
    h.maxAbsError = o.value(u"max_abs_error"_s).toDouble();
    h.meanAbsError = o.value(u"mean_abs_error"_s).toDouble();
    h.distinctBefore = qint64(o.value(u"distinct_before"_s).toDouble());
    h.distinctAfter = qint64(o.value(u"distinct_after"_s).toDouble());
    h.seconds = o.value(u"seconds"_s).toDouble();
    return h;
}

QJsonObject toJson(const WeightHistogramParams &p)
{
    return {{u"layer"_s, p.layer}, {u"bins"_s, p.bins}, {u"group"_s, double(p.group)}};
}

WeightHistogramParams weightHistogramParamsFromJson(const QJsonObject &o)
{
    WeightHistogramParams p;
    p.layer = o.value(u"layer"_s).toString();
    p.bins = o.value(u"bins"_s).toInt(p.bins);
    p.group = qint64(o.value(u"group"_s).toDouble(double(p.group)));
    return p;
}

} // namespace compresslab
