// compresslab-cli devices: list, show, calibrate, add, duplicate, delete.
#include "CliCommon.h"
#include "Commands.h"

#include "common/UserError.h"
#include "device/Calibration.h"
#include "device/DeviceCatalog.h"
#include "model/ModelSummary.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace compresslab::cli {

namespace {

void printProfile(Io &io, const DeviceProfile &p)
{
    io.out << p.name << " (" << originName(p.origin) << "; " << p.deviceClass << ")\n";
    io.out << u"  memory for the model  %1\n"_s.arg(formatBytes(qint64(p.memoryBytes)));
    io.out << u"  memory bandwidth      %1 GB/s x %2 efficiency\n"_s.arg(p.bandwidthGBs, 0, 'f', 1).arg(p.bandwidthEfficiency, 0, 'f', 2);
    QStringList peaks;
    for (auto it = p.peakGops.begin(); it != p.peakGops.end(); ++it)
        peaks << u"%1 %2"_s.arg(it.key()).arg(it.value(), 0, 'f', 1);
    io.out << "  peak GOPS             " << peaks.join(u", "_s) << u" x %1 efficiency\n"_s.arg(p.computeEfficiency, 0, 'f', 2);
    io.out << "  real kernels          " << p.kernels.join(u", "_s) << "\n";
    io.out << u"  power                 %1 W\n"_s.arg(p.powerW, 0, 'f', 1);
    io.out << u"  per-operator cost     %1 µs\n"_s.arg(p.opOverheadUs, 0, 'f', 2);
    if (const double fp32 = p.calibration.value("weight_stream_gbs"_L1).toDouble(); fp32 > 0) {
        QStringList streams{u"fp32 %1"_s.arg(fp32, 0, 'f', 1)};
        const QJsonObject int8 = p.calibration.value("int8_weight_stream_gbs"_L1).toObject();
        for (auto it = int8.begin(); it != int8.end(); ++it)
            streams << u"int8 %1 %2"_s.arg(it.key()).arg(it.value().toDouble(), 0, 'f', 1);
        io.out << "  weights streamed      " << streams.join(u", "_s)
               << u" GB/s (one row; models over the %1 cache)\n"_s.arg(formatBytes(qint64(p.calibration.value("last_level_cache_bytes"_L1).toDouble())));
    }
    for (auto it = p.sources.begin(); it != p.sources.end(); ++it)
        io.out << "  source of " << it.key() << ": " << it.value() << "\n";
}

} // namespace

int runDevices(const QStringList &args, Io &io)
{
    QCommandLineParser p;
    setUpParser(p, u"devices"_s, u"Device profiles: list, show NAME, calibrate (measure this computer), add FILE, duplicate NAME NEW, delete NAME."_s);
    p.addPositionalArgument(u"ACTION"_s, u"list (default), show, calibrate, add, duplicate, delete"_s);
    p.addOption({u"threads"_s, u"calibrate: intra-op threads (default: one per core)."_s, u"T"_s});
    p.addOption(jsonOption());
    if (int rc = parseOrExit(p, args, io, 0, 3); rc >= 0)
        return rc;
    const QStringList pos = p.positionalArguments();
    const QString action = pos.size() > 1 ? pos.at(1) : u"list"_s;
    const bool json = p.isSet(u"json"_s);
    DeviceCatalog catalog = DeviceCatalog::load();
    for (const QString &problem : catalog.problems())
        io.err << "compresslab-cli: devices: " << problem << "\n";
    io.err.flush();
    auto needArgs = [&](int n, const char *usage) {
        if (pos.size() != n + 2) {
            io.err << "usage: compresslab-cli devices " << usage << "\n";
            return false;
        }
        return true;
    };

    if (action == "list"_L1) {
        QJsonArray a;
        for (const DeviceProfile &d : catalog.profiles()) {
            QJsonObject o = toJson(d);
            o.insert(u"origin"_s, originName(d.origin));
            a.push_back(o);
        }
        if (json) {
            printJson(io, {{u"devices"_s, a}, {u"user_profiles"_s, DeviceCatalog::userProfilesPath()}, {u"problems"_s, QJsonArray::fromStringList(catalog.problems())}});
            return ExitOk;
        }
        io.out << u"%1 %2 %3 %4 %5  %6\n"_s.arg(u"device"_s, -28).arg(u"origin"_s, -9).arg(u"memory"_s, 9).arg(u"GB/s"_s, 7).arg(u"fp32 GOPS"_s, 10)
                      .arg(u"kernels"_s);
        for (const DeviceProfile &d : catalog.profiles())
            io.out << u"%1 %2 %3 %4 %5  %6\n"_s.arg(d.name.left(28), -28).arg(originName(d.origin), -9).arg(formatBytes(qint64(d.memoryBytes)), 9)
                          .arg(d.bandwidthGBs, 7, 'f', 1).arg(d.peakGops.value(u"fp32"_s), 10, 'f', 1).arg(d.kernels.join(u", "_s));
        if (!catalog.contains(QString::fromLatin1(DeviceCatalog::kThisComputer)))
            io.out << "(This computer: not calibrated yet; run 'compresslab-cli devices calibrate')\n";
        return ExitOk;
    }
    if (action == "show"_L1) {
        if (!needArgs(1, "show NAME"))
            return ExitUsage;
        const DeviceProfile &d = catalog.find(pos.at(2));
        json ? printJson(io, toJson(d)) : printProfile(io, d);
        return ExitOk;
    }
    if (action == "calibrate"_L1) {
        CalibrationParams params;
        if (p.isSet(u"threads"_s))
            params.threads = p.value(u"threads"_s).toInt();
        StderrProgress progress(u"calibrating this computer"_s);
        const DeviceProfile d = calibrateAndSave(params, std::ref(progress));
        progress.finish();
        json ? printJson(io, toJson(d)) : printProfile(io, d);
        io.err << "saved to " << DeviceCatalog::calibrationPath() << "\n";
        return ExitOk;
    }
    if (action == "add"_L1) {
        if (!needArgs(1, "add PROFILE.json   (one profile object, the fields of docs/devices.md)"))
            return ExitUsage;
        QFile f(pos.at(2));
        if (!f.open(QIODevice::ReadOnly))
            throw UserError(u"cannot read %1: %2"_s.arg(f.fileName(), f.errorString()));
        const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
        if (!doc.isObject())
            throw UserError(u"%1 is not a JSON object"_s.arg(f.fileName()));
        catalog.saveUserProfile(parseDeviceProfile(doc.object(), DeviceProfile::Origin::User));
        io.err << "saved '" << doc.object().value("name"_L1).toString() << "' to " << DeviceCatalog::userProfilesPath() << "\n";
        return ExitOk;
    }
    if (action == "duplicate"_L1) {
        if (!needArgs(2, "duplicate NAME NEW-NAME"))
            return ExitUsage;
        const DeviceProfile d = catalog.duplicate(pos.at(2), pos.at(3));
        io.err << "saved '" << d.name << "' to " << DeviceCatalog::userProfilesPath() << "\n";
        return ExitOk;
    }
    if (action == "delete"_L1) {
        if (!needArgs(1, "delete NAME"))
            return ExitUsage;
        catalog.removeUserProfile(pos.at(2));
        return ExitOk;
    }
    io.err << "compresslab-cli devices: unknown action '" << action << "' (list, show, calibrate, add, duplicate, delete)\n";
    return ExitUsage;
}

} // namespace compresslab::cli
