#include "device/DeviceProfile.h"

#include "common/UserError.h"

#include <QJsonArray>

#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

const QStringList kPrecisions{u"fp32"_s, u"fp16"_s, u"int8"_s, u"int4"_s};

double number(const QJsonObject &o, const QString &profile, const char *key, double lo, double hi)
{
    const QString k = QString::fromLatin1(key);
    const QJsonValue v = o.value(k);
    if (!v.isDouble())
        throw UserError(u"device profile '%1': '%2' is missing or not a number"_s.arg(profile, k));
    const double d = v.toDouble();
    if (!std::isfinite(d) || d < lo || d > hi)
        throw UserError(u"device profile '%1': %2 = %3 is outside the plausible range [%4, %5]"_s.arg(profile, k).arg(d).arg(lo).arg(hi));
    return d;
}

int bitsOf(const QString &precision) { return precision.mid(precision.startsWith(u'f') ? 2 : 3).toInt(); }

} // namespace

QString originName(DeviceProfile::Origin o)
{
    switch (o) {
    case DeviceProfile::Origin::BuiltIn: return u"built-in"_s;
    case DeviceProfile::Origin::User: return u"user"_s;
    case DeviceProfile::Origin::Measured: return u"measured"_s;
    }
    return {};
}

QString DeviceProfile::computePrecision(double weightBits) const
{
    // Narrowest kernel that can hold the weights; weights wider than every kernel run at fp32.
    QString best = u"fp32"_s;
    int bestBits = 32;
    for (const QString &k : kernels) {
        const int b = bitsOf(k);
        if (b >= weightBits - 1e-9 && b < bestBits && peakGops.value(k) > 0) {
            best = k;
            bestBits = b;
        }
    }
    return best;
}

double DeviceProfile::effectiveGops(const QString &precision) const
{
    return peakGops.value(precision, peakGops.value(u"fp32"_s)) * computeEfficiency;
}

DeviceProfile parseDeviceProfile(const QJsonObject &o, DeviceProfile::Origin origin)
{
    DeviceProfile p;
    p.origin = origin;
    p.name = o.value("name"_L1).toString().trimmed();
    if (p.name.isEmpty())
        throw UserError(u"a device profile has no name"_s);
    p.deviceClass = o.value("class"_L1).toString();
    static const QStringList known{u"name"_s, u"class"_s, u"memory_bytes"_s, u"bandwidth_gbs"_s, u"bandwidth_efficiency"_s, u"peak_gops"_s,
                                   u"compute_efficiency"_s, u"kernels"_s, u"power_w"_s, u"op_overhead_us"_s, u"sources"_s, u"calibration"_s, u"origin"_s};
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key()))
            throw UserError(u"device profile '%1': unknown field '%2' (known: %3)"_s.arg(p.name, it.key(), known.join(u", "_s)));
    }
    p.memoryBytes = number(o, p.name, "memory_bytes", 1e6, 1e13);
    p.bandwidthGBs = number(o, p.name, "bandwidth_gbs", 0.1, 1e5);
    p.bandwidthEfficiency = number(o, p.name, "bandwidth_efficiency", 0.01, 1);
    p.computeEfficiency = number(o, p.name, "compute_efficiency", 0.01, 1);
    p.powerW = number(o, p.name, "power_w", 0.1, 5000);
    p.opOverheadUs = number(o, p.name, "op_overhead_us", 0, 10000);
    const QJsonObject peaks = o.value("peak_gops"_L1).toObject();
    for (auto it = peaks.begin(); it != peaks.end(); ++it) {
        if (!kPrecisions.contains(it.key()))
            throw UserError(u"device profile '%1': peak_gops has unknown precision '%2' (known: %3)"_s.arg(p.name, it.key(), kPrecisions.join(u", "_s)));
        p.peakGops.insert(it.key(), number(peaks, p.name + u" peak_gops"_s, it.key().toLatin1().constData(), 0.01, 1e8));
    }
    if (!p.peakGops.contains(u"fp32"_s))
        throw UserError(u"device profile '%1': peak_gops needs at least fp32"_s.arg(p.name));
    for (const QJsonValue &k : o.value("kernels"_L1).toArray()) {
        if (!kPrecisions.contains(k.toString()))
            throw UserError(u"device profile '%1': kernels lists unknown precision '%2'"_s.arg(p.name, k.toString()));
        p.kernels << k.toString();
    }
    if (!p.kernels.contains(u"fp32"_s))
        p.kernels.prepend(u"fp32"_s);
    const QJsonObject sources = o.value("sources"_L1).toObject();
    for (auto it = sources.begin(); it != sources.end(); ++it)
        p.sources.insert(it.key(), it.value().toString());
    p.calibration = o.value("calibration"_L1).toObject();
    return p;
}

QJsonObject toJson(const DeviceProfile &p)
{
    QJsonObject peaks, sources;
    for (auto it = p.peakGops.begin(); it != p.peakGops.end(); ++it)
        peaks.insert(it.key(), it.value());
    for (auto it = p.sources.begin(); it != p.sources.end(); ++it)
        sources.insert(it.key(), it.value());
    QJsonObject o{{u"name"_s, p.name}, {u"class"_s, p.deviceClass}, {u"memory_bytes"_s, p.memoryBytes}, {u"bandwidth_gbs"_s, p.bandwidthGBs},
                  {u"bandwidth_efficiency"_s, p.bandwidthEfficiency}, {u"peak_gops"_s, peaks}, {u"compute_efficiency"_s, p.computeEfficiency},
                  {u"kernels"_s, QJsonArray::fromStringList(p.kernels)}, {u"power_w"_s, p.powerW}, {u"op_overhead_us"_s, p.opOverheadUs},
                  {u"sources"_s, sources}};
    if (!p.calibration.isEmpty())
        o.insert(u"calibration"_s, p.calibration);
    return o;
}

} // namespace compresslab
