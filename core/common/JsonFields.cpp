#include "common/JsonFields.h"

#include "common/UserError.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {
QString dotted(const QString &where, const QString &key) { return where.isEmpty() ? key : where + u'.' + key; }
} // namespace

void JsonFields::bad(const QString &what) const { throw UserError(m_prefix + what); }

void JsonFields::allowOnly(const QJsonObject &o, const QString &where, const QStringList &keys) const
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!keys.contains(it.key()))
            bad(u"unknown key '%1'%2 (known: %3)"_s.arg(it.key(), where.isEmpty() ? QString() : u" in '"_s + where + u"'"_s, keys.join(u", "_s)));
    }
}

QJsonObject JsonFields::section(const QJsonObject &o, const QString &key) const
{
    const QJsonValue v = o.value(key);
    if (!v.isUndefined() && !v.isObject())
        bad(u"'%1' must be an object"_s.arg(key));
    return v.toObject();
}

double JsonFields::number(const QJsonObject &o, const QString &where, const QString &key, double fallback, double lo, double hi) const
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return fallback;
    if (!v.isDouble())
        bad(u"'%1' must be a number"_s.arg(dotted(where, key)));
    const double d = v.toDouble();
    if (!(d >= lo && d <= hi))
        bad(u"'%1' is %2 but must be between %3 and %4"_s.arg(dotted(where, key)).arg(d).arg(lo).arg(hi));
    return d;
}

int JsonFields::integer(const QJsonObject &o, const QString &where, const QString &key, int fallback, int lo, int hi) const
{
    const double d = number(o, where, key, fallback, lo, hi);
    if (d != std::floor(d))
        bad(u"'%1' must be a whole number"_s.arg(dotted(where, key)));
    return int(d);
}

QString JsonFields::text(const QJsonObject &o, const QString &where, const QString &key, const QString &fallback, const QStringList &allowed) const
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return fallback;
    if (!v.isString() || !allowed.contains(v.toString()))
        bad(u"'%1' must be one of %2"_s.arg(dotted(where, key), allowed.join(u", "_s)));
    return v.toString();
}

bool JsonFields::boolean(const QJsonObject &o, const QString &where, const QString &key, bool fallback) const
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return fallback;
    if (!v.isBool())
        bad(u"'%1' must be true or false"_s.arg(dotted(where, key)));
    return v.toBool();
}

} // namespace compresslab
