#include "history/HistoryExport.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace compresslab::history {

namespace {

QJsonValue optionalNumber(const std::optional<double> &v) { return v ? QJsonValue(*v) : QJsonValue(); }

QByteArray csvField(const QString &s)
{
    QByteArray b = s.toUtf8();
    if (b.contains(',') || b.contains('"') || b.contains('\n') || b.contains('\r'))
        b = '"' + b.replace("\"", "\"\"") + '"';
    return b;
}

QString metricColumn(const MetricValue &m)
{
    QString name = axisName({m.key, m.device, m.role});
    if (!m.unit.isEmpty())
        name += u" ["_s + m.unit + u']';
    return name + u" ("_s + provenanceName(m.provenance) + u')';
}

} // namespace

QJsonObject toJson(const ExperimentSummary &s)
{
    return {{u"id"_s, double(s.id)}, {u"uuid"_s, s.uuid}, {u"kind"_s, s.kind}, {u"status"_s, statusName(s.status)},
            {u"failure"_s, s.failure}, {u"summary"_s, s.summary}, {u"model"_s, s.modelName}, {u"dataset"_s, s.datasetName},
            {u"started"_s, s.started.toString(Qt::ISODateWithMs)}, {u"seconds"_s, s.seconds},
            {u"tags"_s, QJsonArray::fromStringList(s.tags)}, {u"rerun_of"_s, s.rerunOf ? QJsonValue(double(s.rerunOf)) : QJsonValue()},
            {u"reproduction"_s, s.reproduction}};
}

QJsonObject toJson(const Experiment &e)
{
    const ExperimentStart &s = e.start;
    const ExperimentOutcome &o = e.outcome;
    QJsonArray metrics, layers, curves, artifacts, devices;
    for (const MetricValue &m : o.metrics)
        metrics.push_back(QJsonObject{{u"key"_s, m.key}, {u"role"_s, m.role}, {u"value"_s, m.value}, {u"unit"_s, m.unit},
                                      {u"higher_is_better"_s, m.higherIsBetter}, {u"provenance"_s, provenanceName(m.provenance)},
                                      {u"device"_s, m.device}, {u"detail"_s, m.detail}});
    for (const LayerResult &l : o.layers)
        layers.push_back(QJsonObject{{u"path"_s, l.path}, {u"type"_s, l.type}, {u"encoding"_s, l.encoding}, {u"bits"_s, l.bits},
                                     {u"sparsity"_s, l.sparsity}, {u"error"_s, l.error}, {u"original_bytes"_s, double(l.originalBytes)},
                                     {u"deployed_bytes"_s, double(l.deployedBytes)}, {u"extra"_s, l.extra}});
    for (const CurvePoint &c : o.curves)
        curves.push_back(QJsonObject{{u"curve"_s, c.curve}, {u"step"_s, double(c.step)}, {u"value"_s, c.value}});
    for (const Artifact &a : o.artifacts)
        artifacts.push_back(QJsonObject{{u"path"_s, a.path}, {u"format"_s, a.format}, {u"bytes"_s, double(a.bytes)}, {u"sha256"_s, a.sha256}});
    for (const DeviceRef &d : o.devices)
        devices.push_back(QJsonObject{{u"name"_s, d.name}, {u"profile"_s, d.profile}});
    QJsonObject model{{u"sha256"_s, s.model.sha256}, {u"path"_s, s.model.path}, {u"name"_s, s.model.name},
                      {u"parameters"_s, double(s.model.parameters)}, {u"bytes"_s, double(s.model.bytes)}};
    QJsonValue dataset;
    if (s.dataset)
        dataset = QJsonObject{{u"sha256"_s, s.dataset->sha256}, {u"path"_s, s.dataset->path}, {u"name"_s, s.dataset->name},
                              {u"samples"_s, double(s.dataset->samples)}};
    return {{u"id"_s, double(e.id)}, {u"uuid"_s, s.uuid}, {u"kind"_s, s.kind}, {u"status"_s, statusName(o.status)}, {u"failure"_s, o.failure},
            {u"summary"_s, s.summary}, {u"methods"_s, QJsonArray::fromStringList(s.methods)}, {u"config"_s, s.config},
            {u"seed"_s, double(s.seed)}, {u"environment"_s, s.environment}, {u"model"_s, model}, {u"dataset"_s, dataset},
            {u"started"_s, s.started.toString(Qt::ISODateWithMs)}, {u"finished"_s, o.finished.toString(Qt::ISODateWithMs)},
            {u"seconds"_s, o.finished.isValid() ? QJsonValue(e.seconds()) : QJsonValue()},
            {u"tags"_s, QJsonArray::fromStringList(s.tags)}, {u"notes"_s, s.notes},
            {u"rerun_of"_s, s.rerunOf ? QJsonValue(double(s.rerunOf)) : QJsonValue()}, {u"reproduction"_s, o.reproduction},
            {u"metrics"_s, metrics}, {u"layers"_s, layers}, {u"curves"_s, curves}, {u"artifacts"_s, artifacts}, {u"devices"_s, devices}};
}

QJsonObject toJson(const Comparison &c)
{
    QJsonArray ids, config, metrics;
    for (qint64 id : c.ids)
        ids.push_back(double(id));
    for (const ConfigDifference &d : c.config)
        config.push_back(QJsonObject{{u"path"_s, d.path}, {u"values"_s, QJsonArray::fromStringList(d.values)}});
    for (const MetricComparison &m : c.metrics) {
        QJsonArray values, deltas;
        for (const auto &v : m.values) {
            values.push_back(optionalNumber(v));
            deltas.push_back(v && m.values.first() ? QJsonValue(*v - *m.values.first()) : QJsonValue());
        }
        metrics.push_back(QJsonObject{{u"metric"_s, m.name}, {u"unit"_s, m.unit}, {u"provenance"_s, provenanceName(m.provenance)},
                                      {u"higher_is_better"_s, m.higherIsBetter}, {u"values"_s, values}, {u"delta_vs_first"_s, deltas}});
    }
    return {{u"ids"_s, ids}, {u"config_differences"_s, config}, {u"metrics"_s, metrics}};
}

QJsonObject toJson(const ParetoResult &p)
{
    QJsonArray points;
    for (const ParetoPoint &pt : p.points)
        points.push_back(QJsonObject{{u"id"_s, double(pt.id)}, {u"x"_s, pt.x}, {u"y"_s, pt.y}, {u"on_front"_s, pt.onFront}, {u"summary"_s, pt.summary}});
    return {{u"x"_s, axisName(p.x)}, {u"y"_s, axisName(p.y)}, {u"x_higher_is_better"_s, p.xHigherIsBetter},
            {u"y_higher_is_better"_s, p.yHigherIsBetter}, {u"points"_s, points}};
}

QJsonArray exportJson(const History &history, const Filter &filter)
{
    QJsonArray out;
    for (const ExperimentSummary &s : history.list(filter))
        out.push_back(toJson(history.experiment(s.id)));
    return out;
}

QByteArray exportCsv(const History &history, const Filter &filter)
{
    QVector<Experiment> all;
    QStringList columns;
    for (const ExperimentSummary &s : history.list(filter)) {
        all.push_back(history.experiment(s.id));
        for (const MetricValue &m : all.back().outcome.metrics) {
            if (!columns.contains(metricColumn(m)))
                columns << metricColumn(m);
        }
    }
    const QStringList fixed{u"id"_s, u"uuid"_s, u"kind"_s, u"status"_s, u"started"_s, u"seconds"_s, u"model"_s, u"model_sha256"_s,
                            u"dataset"_s, u"summary"_s, u"tags"_s, u"notes"_s, u"rerun_of"_s, u"reproduction"_s, u"config"_s};
    QByteArray out;
    for (const QString &c : fixed + columns)
        out += csvField(c) + ',';
    out.chop(1);
    out += "\r\n";
    for (const Experiment &e : all) {
        QStringList row{QString::number(e.id), e.start.uuid, e.start.kind, statusName(e.outcome.status),
                        e.start.started.toString(Qt::ISODateWithMs), e.outcome.finished.isValid() ? QString::number(e.seconds(), 'f', 3) : QString(),
                        e.start.model.name, e.start.model.sha256, e.start.dataset ? e.start.dataset->name : QString(), e.start.summary,
                        e.start.tags.join(u' '), e.start.notes, e.start.rerunOf ? QString::number(e.start.rerunOf) : QString(),
                        e.outcome.reproduction, QString::fromUtf8(QJsonDocument(e.start.config).toJson(QJsonDocument::Compact))};
        QHash<QString, double> values;
        for (const MetricValue &m : e.outcome.metrics)
            values.insert(metricColumn(m), m.value);
        for (const QString &c : columns)
            row << (values.contains(c) ? QString::number(values.value(c), 'g', 17) : QString());
        for (const QString &f : row)
            out += csvField(f) + ',';
        out.chop(1);
        out += "\r\n";
    }
    return out;
}

} // namespace compresslab::history
