#include "device/DeviceCatalog.h"

#include "common/AtomicFile.h"
#include "common/JsonFile.h"
#include "common/UserError.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace compresslab {


QString DeviceCatalog::userProfilesPath()
{
    const QString env = qEnvironmentVariable("COMPRESSLAB_DEVICES");
    return env.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + u"/CompressLab/devices.json"_s : env;
}

QString DeviceCatalog::calibrationPath()
{
    const QString env = qEnvironmentVariable("COMPRESSLAB_CALIBRATION");
    return env.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/CompressLab/calibration.json"_s : env;
}

DeviceCatalog DeviceCatalog::load()
{
    DeviceCatalog c;
    const QJsonObject builtIn = readJsonObject(u":/compresslab/devices/builtin.json"_s);
    for (const QJsonValue &v : builtIn.value("devices"_L1).toArray())
        c.m_profiles.push_back(parseDeviceProfile(v.toObject(), DeviceProfile::Origin::BuiltIn));

    if (QFileInfo::exists(calibrationPath())) {
        try {
            DeviceProfile here = parseDeviceProfile(readJsonObject(calibrationPath()), DeviceProfile::Origin::Measured);
            here.name = QString::fromLatin1(kThisComputer);
            c.m_profiles.push_back(here);
        } catch (const UserError &e) {
            c.m_problems << u"the calibration of this computer is unreadable (%1); run 'compresslab-cli devices calibrate' again"_s.arg(e.message());
        }
    }
    const QString userPath = userProfilesPath();
    if (QFileInfo::exists(userPath)) {
        try {
            for (const QJsonValue &v : readJsonObject(userPath).value("devices"_L1).toArray()) {
                try {
                    DeviceProfile p = parseDeviceProfile(v.toObject(), DeviceProfile::Origin::User);
                    if (c.contains(p.name))
                        c.m_problems << u"user profile '%1' has the name of another profile and is ignored; rename it"_s.arg(p.name);
                    else
                        c.m_profiles.push_back(p);
                } catch (const UserError &e) {
                    c.m_problems << u"%1: %2 (this profile is skipped)"_s.arg(userPath, e.message());
                }
            }
        } catch (const UserError &e) {
            c.m_problems << u"your device profiles could not be read: %1; the built-in profiles are still available"_s.arg(e.message());
        }
    }
    return c;
}

bool DeviceCatalog::contains(const QString &name) const
{
    for (const DeviceProfile &p : m_profiles) {
        if (p.name.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

const DeviceProfile &DeviceCatalog::find(const QString &name) const
{
    const DeviceProfile *prefix = nullptr;
    int prefixMatches = 0;
    for (const DeviceProfile &p : m_profiles) {
        if (p.name.compare(name, Qt::CaseInsensitive) == 0)
            return p;
        if (p.name.startsWith(name, Qt::CaseInsensitive)) {
            prefix = &p;
            ++prefixMatches;
        }
    }
    if (prefixMatches == 1)
        return *prefix;
    QStringList names;
    for (const DeviceProfile &p : m_profiles)
        names << p.name;
    if (name.compare(QLatin1StringView(kThisComputer), Qt::CaseInsensitive) == 0)
        throw UserError(u"'This computer' is not calibrated yet: run 'compresslab-cli devices calibrate' (about 10 s)"_s);
    throw UserError(u"%1 device profile '%2'; known: %3"_s.arg(prefixMatches > 1 ? u"ambiguous"_s : u"no"_s, name, names.join(u", "_s)));
}

void DeviceCatalog::writeUserFile() const
{
    QJsonArray devices;
    for (const DeviceProfile &p : m_profiles) {
        if (p.origin == DeviceProfile::Origin::User)
            devices.push_back(toJson(p));
    }
    const QString path = userProfilesPath();
    QDir().mkpath(QFileInfo(path).absolutePath());
    writeAtomically(path, [&](const QString &temp) {
        QFile f(temp);
        const QByteArray bytes = QJsonDocument(QJsonObject{{u"schema"_s, 1}, {u"devices"_s, devices}}).toJson();
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.flush())
            throw UserError(u"cannot write %1: %2"_s.arg(path, f.errorString()));
    });
}

void DeviceCatalog::saveUserProfile(const DeviceProfile &profile)
{
    const DeviceProfile checked = parseDeviceProfile(toJson(profile), DeviceProfile::Origin::User); // the same rules as loading
    for (DeviceProfile &p : m_profiles) {
        if (p.name.compare(checked.name, Qt::CaseInsensitive) != 0)
            continue;
        if (p.origin != DeviceProfile::Origin::User)
            throw UserError(u"'%1' is a %2 profile and cannot be changed; duplicate it under a new name"_s.arg(p.name, originName(p.origin)));
        p = checked;
        writeUserFile();
        return;
    }
    m_profiles.push_back(checked);
    writeUserFile();
}

DeviceProfile DeviceCatalog::duplicate(const QString &name, const QString &newName)
{
    if (contains(newName))
        throw UserError(u"a device profile named '%1' exists already"_s.arg(newName));
    DeviceProfile copy = find(name);
    copy.name = newName.trimmed();
    copy.origin = DeviceProfile::Origin::User;
    copy.sources.insert(u"copied_from"_s, name);
    saveUserProfile(copy);
    return copy;
}

void DeviceCatalog::removeUserProfile(const QString &name)
{
    const DeviceProfile &p = find(name);
    if (p.origin != DeviceProfile::Origin::User)
        throw UserError(u"'%1' is a %2 profile; only your own profiles can be deleted"_s.arg(p.name, originName(p.origin)));
    const QString exact = p.name;
    m_profiles.erase(std::remove_if(m_profiles.begin(), m_profiles.end(), [&](const DeviceProfile &q) { return q.name == exact; }), m_profiles.end());
    writeUserFile();
}

} // namespace compresslab
