#include "experiment/SweepJson.h"

#include "experiment/Sweep.h"
#include "report/FromJson.h"
#include "report/ToJson.h"

using namespace Qt::StringLiterals;

namespace compresslab {

QJsonObject toJson(const SweepEntry &e)
{
    QJsonObject o{{u"index"_s, e.index}, {u"count"_s, e.count}, {u"config"_s, toJson(e.config)},
                  {u"experiment_id"_s, double(e.experimentId)}, {u"error"_s, e.error}};
    if (e.report)
        o.insert(u"report"_s, toJson(*e.report));
    if (e.after)
        o.insert(u"after"_s, toJson(*e.after));
    return o;
}

SweepEntry sweepEntryFromJson(const QJsonObject &o)
{
    SweepEntry e;
    e.index = o.value(u"index"_s).toInt();
    e.count = o.value(u"count"_s).toInt();
    e.config = parseCompressionConfig(o.value(u"config"_s).toObject());
    e.experimentId = qint64(o.value(u"experiment_id"_s).toDouble());
    e.error = o.value(u"error"_s).toString();
    if (o.contains(u"report"_s))
        e.report = compressionReportFromJson(o.value(u"report"_s).toObject());
    if (o.contains(u"after"_s))
        e.after = evalResultFromJson(o.value(u"after"_s).toObject());
    return e;
}

} // namespace compresslab
