// The read side of History: lists, whole experiments, trade-off fronts, constrained bests, comparisons.
#include "history/History.h"

#include "common/UserError.h"
#include "history/FilterSql.h"
#include "history/Sqlite.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <limits>
#include <numeric>

using namespace Qt::StringLiterals;

namespace compresslab::history {

namespace {

QDateTime parseTime(const QString &s) { return QDateTime::fromString(s, Qt::ISODateWithMs); }
QJsonObject parseObject(const QString &s) { return QJsonDocument::fromJson(s.toUtf8()).object(); }

void bindAll(Statement &s, const QVariantList &params, int first = 1)
{
    for (qsizetype i = 0; i < params.size(); ++i)
        s.bind(first + int(i), params.at(i));
}

// The SQL condition selecting one axis's metric rows in the table alias `m`, with its parameters.
QString axisCondition(const QString &m, const Axis &a, int firstParam, QVariantList &params)
{
    params << a.key << a.role;
    QString sql = u"%1.key = ?%2 AND %1.role = ?%3"_s.arg(m).arg(firstParam).arg(firstParam + 1);
    if (a.device.isEmpty())
        return sql + u" AND %1.device_id IS NULL"_s.arg(m);
    params << a.device;
    return sql + u" AND %1.device_id IN (SELECT id FROM devices WHERE name = ?%2)"_s.arg(m).arg(firstParam + 2);
}

void flatten(const QJsonValue &v, const QString &prefix, QMap<QString, QString> &out)
{
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            flatten(it.value(), prefix.isEmpty() ? it.key() : prefix + u'.' + it.key(), out);
        return;
    }
    if (v.isArray())
        out.insert(prefix, QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)));
    else if (v.isDouble())
        out.insert(prefix, QString::number(v.toDouble(), 'g', 17));
    else if (v.isBool())
        out.insert(prefix, v.toBool() ? u"true"_s : u"false"_s);
    else
        out.insert(prefix, v.toString());
}

} // namespace

Axis History::resolveAxis(const Axis &axis) const
{
    if (axis.device.isEmpty())
        return axis;
    // A device may be named by its full name or a unique prefix ("Raspberry Pi 4" for "Raspberry Pi 4 (4 GB)").
    Statement s(*m_db, "SELECT DISTINCT name FROM devices WHERE name = ?1 OR substr(name, 1, length(?1)) = ?1 ORDER BY name = ?1 DESC");
    s.bind(1, axis.device);
    QStringList names;
    while (s.step())
        names << s.text(0);
    if (names.isEmpty() || names.first() == axis.device)
        return axis;
    if (names.size() > 1)
        throw UserError(u"device '%1' is ambiguous in this history: %2"_s.arg(axis.device, names.join(u", "_s)));
    Axis resolved = axis;
    resolved.device = names.first();
    return resolved;
}

QVector<ExperimentSummary> History::list(const Filter &f) const
{
    const FilterSql where = filterSql(f);
    QString sql = u"SELECT e.id, e.uuid, e.kind, e.status, e.failure, e.summary, mo.name, ds.name, e.started_at, e.seconds,"
                  " (SELECT group_concat(tag, ',') FROM tags WHERE experiment_id = e.id), e.rerun_of, e.reproduction,"
                  " h.key, h.value, (SELECT value FROM metrics WHERE experiment_id = e.id AND key = 'deployed_bytes' AND role = 'result')"
                  " FROM experiments e JOIN models mo ON mo.id = e.model_id LEFT JOIN datasets ds ON ds.id = e.dataset_id"
                  " LEFT JOIN metrics h ON h.rowid = (SELECT rowid FROM metrics WHERE experiment_id = e.id AND role = 'result'"
                  " AND provenance = 'measured' AND unit IN ('%', '') ORDER BY rowid LIMIT 1)"_s
                  + where.where + u" ORDER BY e.started_at DESC, e.id DESC"_s;
    if (f.limit > 0)
        sql += u" LIMIT %1 OFFSET %2"_s.arg(f.limit).arg(f.offset);
    Statement s(*m_db, sql.toUtf8().constData());
    bindAll(s, where.params);
    QVector<ExperimentSummary> out;
    while (s.step()) {
        ExperimentSummary e;
        e.id = s.integer(0);
        e.uuid = s.text(1);
        e.kind = s.text(2);
        e.status = statusFromName(s.text(3));
        e.failure = s.text(4);
        e.summary = s.text(5);
        e.modelName = s.text(6);
        e.datasetName = s.text(7);
        e.started = parseTime(s.text(8));
        e.seconds = s.real(9);
        e.tags = s.text(10).split(u',', Qt::SkipEmptyParts);
        e.rerunOf = s.integer(11);
        e.reproduction = s.text(12);
        e.headlineKey = s.text(13);
        e.headlineValue = s.real(14);
        e.deployedBytes = s.real(15);
        out.push_back(e);
    }
    return out;
}

qint64 History::count(const Filter &f) const
{
    const FilterSql where = filterSql(f);
    Statement s(*m_db, (u"SELECT count(*) FROM experiments e"_s + where.where).toUtf8().constData());
    bindAll(s, where.params);
    return s.step() ? s.integer(0) : 0;
}

std::optional<qint64> History::findByUuid(const QString &uuid) const
{
    Statement s(*m_db, "SELECT id FROM experiments WHERE uuid = ?1");
    if (s.bind(1, uuid).step())
        return s.integer(0);
    return std::nullopt;
}

Experiment History::experiment(qint64 id) const
{
    Statement s(*m_db, "SELECT e.uuid, e.kind, e.status, e.failure, e.config, e.summary, e.methods, e.seed, e.environment, e.started_at,"
                       " e.finished_at, e.rerun_of, e.reproduction, e.notes, mo.sha256, mo.name, mo.path, mo.parameters, mo.bytes,"
                       " ds.sha256, ds.name, ds.path, ds.samples"
                       " FROM experiments e JOIN models mo ON mo.id = e.model_id LEFT JOIN datasets ds ON ds.id = e.dataset_id WHERE e.id = ?1");
    if (!s.bind(1, id).step())
        throw UserError(u"there is no experiment %1 in the history %2"_s.arg(id).arg(m_path));
    Experiment e;
    e.id = id;
    ExperimentStart &st = e.start;
    ExperimentOutcome &o = e.outcome;
    st.uuid = s.text(0);
    st.kind = s.text(1);
    o.status = statusFromName(s.text(2));
    o.failure = s.text(3);
    st.config = parseObject(s.text(4));
    st.summary = s.text(5);
    st.methods = s.text(6).split(u',', Qt::SkipEmptyParts);
    st.seed = s.integer(7);
    st.environment = parseObject(s.text(8));
    st.started = parseTime(s.text(9));
    o.finished = parseTime(s.text(10));
    st.rerunOf = s.integer(11);
    o.reproduction = s.text(12);
    st.notes = s.text(13);
    st.model = {s.text(14), s.text(16), s.text(15), s.integer(17), s.integer(18)};
    if (!s.isNull(19))
        st.dataset = DatasetRef{s.text(19), s.text(21), s.text(20), s.integer(22)};

    Statement tags(*m_db, "SELECT tag FROM tags WHERE experiment_id = ?1 ORDER BY tag");
    tags.bind(1, id);
    while (tags.step())
        st.tags << tags.text(0);
    Statement metrics(*m_db, "SELECT m.role, m.key, d.name, m.value, m.unit, m.higher_is_better, m.provenance, m.detail, d.profile"
                             " FROM metrics m LEFT JOIN devices d ON d.id = m.device_id WHERE m.experiment_id = ?1 ORDER BY m.rowid");
    metrics.bind(1, id);
    QSet<QString> devices;
    while (metrics.step()) {
        MetricValue m;
        m.role = metrics.text(0);
        m.key = metrics.text(1);
        m.device = metrics.text(2);
        m.value = metrics.real(3);
        m.unit = metrics.text(4);
        m.higherIsBetter = metrics.integer(5) != 0;
        m.provenance = metrics.text(6) == "estimated"_L1 ? Provenance::Estimated : Provenance::Measured;
        m.detail = metrics.text(7);
        o.metrics.push_back(m);
        if (!m.device.isEmpty() && !devices.contains(m.device)) {
            devices.insert(m.device);
            o.devices.push_back({m.device, parseObject(metrics.text(8))});
        }
    }
    Statement layers(*m_db, "SELECT path, type, encoding, bits, sparsity, error, original_bytes, deployed_bytes, extra"
                            " FROM layers WHERE experiment_id = ?1 ORDER BY idx");
    layers.bind(1, id);
    while (layers.step()) {
        o.layers.push_back({layers.text(0), layers.text(1), layers.text(2), layers.real(3), layers.real(4), layers.real(5),
                            layers.integer(6), layers.integer(7), parseObject(layers.text(8))});
    }
    Statement curves(*m_db, "SELECT curve, step, value FROM curves WHERE experiment_id = ?1 ORDER BY curve, step");
    curves.bind(1, id);
    while (curves.step())
        o.curves.push_back({curves.text(0), curves.integer(1), curves.real(2)});
    Statement artifacts(*m_db, "SELECT path, format, bytes, sha256 FROM artifacts WHERE experiment_id = ?1 ORDER BY rowid");
    artifacts.bind(1, id);
    while (artifacts.step())
        o.artifacts.push_back({artifacts.text(0), artifacts.text(1), artifacts.integer(2), artifacts.text(3)});
    return e;
}

QStringList History::modelNames() const
{
    Statement s(*m_db, "SELECT DISTINCT m.name FROM models m WHERE EXISTS (SELECT 1 FROM experiments e WHERE e.model_id = m.id) ORDER BY m.name");
    QStringList out;
    while (s.step())
        out << s.text(0);
    return out;
}

QVector<Axis> History::axes() const
{
    Statement s(*m_db, "SELECT DISTINCT m.key, m.role, d.name FROM metrics m LEFT JOIN devices d ON d.id = m.device_id ORDER BY 2 DESC, 1, 3");
    QVector<Axis> out;
    QSet<QString> seen;
    while (s.step()) {
        const Axis a{s.text(0), s.text(2), s.text(1)};
        if (!seen.contains(axisName(a))) {
            seen.insert(axisName(a));
            out.push_back(a);
        }
    }
    return out;
}

ParetoResult History::pareto(const Axis &xAxis, const Axis &yAxis, const Filter &f) const
{
    const Axis x = resolveAxis(xAxis), y = resolveAxis(yAxis);
    QVariantList params;
    const QString cx = axisCondition(u"mx"_s, x, 1, params);
    const QString cy = axisCondition(u"my"_s, y, int(params.size()) + 1, params);
    const FilterSql where = filterSql(f, int(params.size()) + 1);
    const QString sql = u"SELECT e.id, mx.value, my.value, mx.higher_is_better, my.higher_is_better, e.summary FROM metrics mx"
                        " JOIN metrics my ON my.experiment_id = mx.experiment_id AND %1"
                        " JOIN experiments e ON e.id = mx.experiment_id"_s.arg(cy)
                        + (where.where.isEmpty() ? u" WHERE "_s : where.where + u" AND "_s) + cx + u" AND e.status = 'done'"_s;
    Statement s(*m_db, sql.toUtf8().constData());
    bindAll(s, params);
    bindAll(s, where.params, int(params.size()) + 1);
    ParetoResult r;
    r.x = x;
    r.y = y;
    while (s.step()) {
        r.xHigherIsBetter = s.integer(3) != 0;
        r.yHigherIsBetter = s.integer(4) != 0;
        r.points.push_back({s.integer(0), s.real(1), s.real(2), false, s.text(5)});
    }
    // Sweep in order of x, best first; a point is on the front when no point seen so far has as good a y.
    QVector<int> order(r.points.size());
    std::iota(order.begin(), order.end(), 0);
    const double sx = r.xHigherIsBetter ? 1 : -1, sy = r.yHigherIsBetter ? 1 : -1;
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        const ParetoPoint &p = r.points.at(a), &q = r.points.at(b);
        return sx * p.x != sx * q.x ? sx * p.x > sx * q.x : sy * p.y > sy * q.y;
    });
    double bestY = -std::numeric_limits<double>::infinity();
    double frontX = 0;
    for (int i : order) {
        ParetoPoint &p = r.points[i];
        const double py = sy * p.y;
        if (py > bestY || (py == bestY && p.x == frontX)) { // an identical twin of a front point is on the front too
            p.onFront = true;
            bestY = py;
            frontX = p.x;
        }
    }
    return r;
}

std::optional<qint64> History::best(const Axis &objectiveAxis, const QVector<Constraint> &given, const Filter &f) const
{
    const Axis objective = resolveAxis(objectiveAxis);
    QVector<Constraint> constraints = given;
    for (Constraint &c : constraints)
        c.axis = resolveAxis(c.axis);
    QVariantList params;
    QString joins = u" JOIN metrics m0 ON m0.experiment_id = e.id AND "_s + axisCondition(u"m0"_s, objective, 1, params);
    for (qsizetype i = 0; i < constraints.size(); ++i) {
        const QString alias = u"m%1"_s.arg(i + 1);
        const QString cond = axisCondition(alias, constraints.at(i).axis, int(params.size()) + 1, params);
        params << constraints.at(i).bound;
        joins += u" JOIN metrics %1 ON %1.experiment_id = e.id AND %2 AND %1.value %3 ?%4"_s.arg(alias, cond)
                     .arg(constraints.at(i).atMost ? u"<="_s : u">="_s).arg(params.size());
    }
    const FilterSql where = filterSql(f, int(params.size()) + 1);
    const QString sql = u"SELECT e.id FROM experiments e"_s + joins + (where.where.isEmpty() ? u" WHERE "_s : where.where + u" AND "_s)
                        + u"e.status = 'done' ORDER BY CASE WHEN m0.higher_is_better THEN -m0.value ELSE m0.value END, e.id LIMIT 1"_s;
    Statement s(*m_db, sql.toUtf8().constData());
    bindAll(s, params);
    bindAll(s, where.params, int(params.size()) + 1);
    if (s.step())
        return s.integer(0);
    return std::nullopt;
}

Comparison History::compare(const QVector<qint64> &ids) const
{
    if (ids.size() < 2)
        throw UserError(u"compare needs two or more experiments"_s);
    Comparison c;
    c.ids = ids;
    QVector<Experiment> all;
    QVector<QMap<QString, QString>> configs;
    QStringList paths;
    for (qint64 id : ids) {
        all.push_back(experiment(id));
        QMap<QString, QString> flat;
        flatten(all.back().start.config, QString(), flat);
        flat.insert(u"(model)"_s, all.back().start.model.name);
        if (all.back().start.dataset)
            flat.insert(u"(dataset)"_s, all.back().start.dataset->name);
        for (auto it = flat.begin(); it != flat.end(); ++it) {
            if (!paths.contains(it.key()))
                paths << it.key();
        }
        configs.push_back(flat);
    }
    std::sort(paths.begin(), paths.end());
    for (const QString &p : paths) {
        ConfigDifference d{p, {}};
        for (const auto &flat : configs)
            d.values << flat.value(p, u"—"_s);
        if (d.values.count(d.values.first()) != d.values.size())
            c.config.push_back(d);
    }
    QStringList names;
    QHash<QString, MetricComparison> byName;
    for (qsizetype i = 0; i < all.size(); ++i) {
        for (const MetricValue &m : all.at(i).outcome.metrics) {
            const QString name = axisName({m.key, m.device, m.role});
            if (!byName.contains(name)) {
                names << name;
                byName.insert(name, {name, m.unit, m.provenance, m.higherIsBetter, QVector<std::optional<double>>(all.size())});
            }
            byName[name].values[i] = m.value;
        }
    }
    for (const QString &n : names)
        c.metrics.push_back(byName.value(n));
    return c;
}

} // namespace compresslab::history
