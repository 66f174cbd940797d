#include "history/HistoryTypes.h"

#include "common/UserError.h"

using namespace Qt::StringLiterals;

namespace compresslab::history {

QString statusName(Status s)
{
    switch (s) {
    case Status::Running: return u"running"_s;
    case Status::Done: return u"done"_s;
    case Status::Failed: return u"failed"_s;
    case Status::Cancelled: return u"cancelled"_s;
    case Status::Interrupted: return u"interrupted"_s;
    }
    return {};
}

Status statusFromName(const QString &name)
{
    for (Status s : {Status::Running, Status::Done, Status::Failed, Status::Cancelled, Status::Interrupted}) {
        if (statusName(s) == name)
            return s;
    }
    throw UserError(u"unknown experiment status '%1' (known: running, done, failed, cancelled, interrupted)"_s.arg(name));
}

QString provenanceName(Provenance p) { return p == Provenance::Measured ? u"measured"_s : u"estimated"_s; }

Axis parseAxis(const QString &text)
{
    Axis a;
    QString rest = text.trimmed();
    if (const qsizetype colon = rest.indexOf(u':'); colon > 0) {
        a.role = rest.left(colon);
        rest = rest.mid(colon + 1);
    }
    if (const qsizetype at = rest.indexOf(u'@'); at >= 0) {
        a.device = rest.mid(at + 1).trimmed();
        rest = rest.left(at);
    }
    a.key = rest.trimmed();
    if (a.key.isEmpty() || (a.role != "result"_L1 && a.role != "baseline"_L1))
        throw UserError(u"'%1' is not a metric axis: write KEY, KEY@DEVICE or baseline:KEY (e.g. accuracy, deployed_bytes, latency_ms@Raspberry Pi 4)"_s.arg(text));
    return a;
}

QString axisName(const Axis &a)
{
    QString s = a.role == "result"_L1 ? a.key : a.role + u':' + a.key;
    if (!a.device.isEmpty())
        s += u'@' + a.device;
    return s;
}

const MetricValue *Experiment::metric(const QString &key, const QString &role, const QString &device) const
{
    for (const MetricValue &m : outcome.metrics) {
        if (m.key == key && m.role == role && m.device == device)
            return &m;
    }
    return nullptr;
}

} // namespace compresslab::history
