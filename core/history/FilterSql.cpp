#include "history/FilterSql.h"

using namespace Qt::StringLiterals;

namespace compresslab::history {

FilterSql filterSql(const Filter &f, int firstParam)
{
    FilterSql out;
    QStringList terms;
    auto param = [&](const QVariant &v) {
        out.params << v;
        return u"?%1"_s.arg(firstParam + out.params.size() - 1);
    };
    if (!f.model.isEmpty()) {
        const QString p = param(f.model);
        terms << u"e.model_id IN (SELECT id FROM models WHERE name = %1 OR sha256 LIKE %1 || '%')"_s.arg(p);
    }
    if (!f.dataset.isEmpty()) {
        const QString p = param(f.dataset);
        terms << u"e.dataset_id IN (SELECT id FROM datasets WHERE name = %1 OR sha256 LIKE %1 || '%')"_s.arg(p);
    }
    if (!f.device.isEmpty())
        terms << u"EXISTS (SELECT 1 FROM metrics m JOIN devices d ON d.id = m.device_id WHERE m.experiment_id = e.id AND d.name = %1)"_s.arg(param(f.device));
    if (!f.method.isEmpty())
        terms << u"instr(e.methods, ',' || %1 || ',') > 0"_s.arg(param(f.method));
    if (!f.tag.isEmpty())
        terms << u"e.id IN (SELECT experiment_id FROM tags WHERE tag = %1)"_s.arg(param(f.tag));
    if (!f.kind.isEmpty())
        terms << u"e.kind = %1"_s.arg(param(f.kind));
    if (f.status)
        terms << u"e.status = %1"_s.arg(param(statusName(*f.status)));
    if (f.from.isValid())
        terms << u"e.started_at >= %1"_s.arg(param(f.from.toUTC().toString(Qt::ISODateWithMs)));
    if (f.to.isValid())
        terms << u"e.started_at < %1"_s.arg(param(f.to.toUTC().toString(Qt::ISODateWithMs)));
    if (!terms.isEmpty())
        out.where = u" WHERE "_s + terms.join(u" AND "_s);
    return out;
}

} // namespace compresslab::history
