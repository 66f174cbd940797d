#pragma once
// A target device as the estimator sees it: memory, bandwidth, peak rate per precision, which precisions
// have real kernels, power. Built-in profiles come from resources/devices/builtin.json (every value with
// its source), user profiles from the user's config folder, "This computer" from a measured calibration.
#include <QJsonObject>
#include <QMap>
#include <QStringList>

namespace compresslab {

struct DeviceProfile {
    enum class Origin { BuiltIn, User, Measured };
    QString name;
    QString deviceClass;            // "single-board computer, CPU inference"
    Origin origin = Origin::BuiltIn;
    double memoryBytes = 0;         // available to the model
    double bandwidthGBs = 0;        // DRAM peak, GB/s
    double bandwidthEfficiency = 0; // share of the peak reached by inference kernels (0, 1]
    QMap<QString, double> peakGops; // "fp32", "fp16", "int8", "int4" → GOPS (multiply-add = 2)
    double computeEfficiency = 0;   // (0, 1]
    QStringList kernels;            // precisions with real kernels
    double powerW = 0;
    double opOverheadUs = 0;        // fixed cost per operator call (dispatch, kernel launch)
    QMap<QString, QString> sources; // field → where the value comes from
    QJsonObject calibration;        // for "This computer": what was measured, when, with which kernels

    // The fastest precision with real kernels at or above `bits` (weights narrower than any kernel are unpacked).
    QString computePrecision(double weightBits) const;
    double effectiveGops(const QString &precision) const;
    double effectiveBandwidthBytesPerSecond() const { return bandwidthGBs * 1e9 * bandwidthEfficiency; }
};

QString originName(DeviceProfile::Origin o); // "built-in", "user", "measured"

// Parses and validates one profile; throws UserError naming the profile and the field that is wrong.
DeviceProfile parseDeviceProfile(const QJsonObject &json, DeviceProfile::Origin origin);
QJsonObject toJson(const DeviceProfile &p);

} // namespace compresslab
