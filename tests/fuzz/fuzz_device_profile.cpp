// Fuzzes parseDeviceProfile (core/device/DeviceProfile.cpp) with QJsonDocument::fromJson of the input:
// an object is parsed as one profile, and its "devices" array (the layout of builtin.json and of the
// user's devices file) or a top-level array profile by profile, as DeviceCatalog does. Every accepted
// profile must hold its documented ranges and survive toJson → parseDeviceProfile unchanged (saving a
// user profile relies on that), and the estimator's helpers must give a usable precision and rate.
#include "FuzzSupport.h"

#include "common/UserError.h"
#include "device/DeviceProfile.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

using namespace compresslab;
using namespace Qt::StringLiterals;

namespace {

void checkAccepted(const DeviceProfile &p)
{
    FUZZ_CHECK(!p.name.isEmpty() && p.name == p.name.trimmed());
    FUZZ_CHECK(p.memoryBytes >= 1e6 && p.bandwidthEfficiency > 0 && p.bandwidthEfficiency <= 1);
    FUZZ_CHECK(p.computeEfficiency > 0 && p.computeEfficiency <= 1);
    FUZZ_CHECK(p.peakGops.contains(u"fp32"_s) && p.kernels.contains(u"fp32"_s));
    for (double bits : {1.0, 2.0, 3.5, 4.0, 8.0, 16.0, 32.0, 64.0}) {
        const QString precision = p.computePrecision(bits);
        FUZZ_CHECK(precision == u"fp32"_s || p.kernels.contains(precision));
        const double gops = p.effectiveGops(precision);
        FUZZ_CHECK(std::isfinite(gops) && gops > 0);
    }
    const double bandwidth = p.effectiveBandwidthBytesPerSecond();
    FUZZ_CHECK(std::isfinite(bandwidth) && bandwidth > 0);

    const DeviceProfile again = parseDeviceProfile(toJson(p), DeviceProfile::Origin::User);
    FUZZ_CHECK(again.name == p.name && again.deviceClass == p.deviceClass);
    FUZZ_CHECK(again.memoryBytes == p.memoryBytes && again.bandwidthGBs == p.bandwidthGBs);
    FUZZ_CHECK(again.bandwidthEfficiency == p.bandwidthEfficiency && again.computeEfficiency == p.computeEfficiency);
    FUZZ_CHECK(again.powerW == p.powerW && again.opOverheadUs == p.opOverheadUs);
    FUZZ_CHECK(again.peakGops == p.peakGops && again.kernels == p.kernels);
    FUZZ_CHECK(again.sources == p.sources && again.calibration == p.calibration);
}

void parse(const QJsonValue &v)
{
    if (!v.isObject())
        return;
    try {
        checkAccepted(parseDeviceProfile(v.toObject(), DeviceProfile::Origin::User));
    } catch (const UserError &e) {
        FUZZ_CHECK(!e.message().isEmpty());
    }
}

void parseAll(const QJsonArray &profiles)
{
    for (const QJsonValue &v : profiles)
        parse(v);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QJsonDocument doc = QJsonDocument::fromJson(fuzz::bytesOf(data, size));
    if (doc.isArray())
        parseAll(doc.array());
    if (!doc.isObject())
        return 0;
    const QJsonObject root = doc.object();
    parse(root);
    parseAll(root.value(u"devices"_s).toArray());
    return 0;
}
