#pragma once
// Every device profile the app knows: the built-in ones (shipped in the binary), the user's own (a JSON
// file in the user's config folder, written atomically), and "This computer" once it is calibrated.
// A damaged user file is reported in problems() and never hides the built-in profiles.
#include "device/DeviceProfile.h"

#include <QVector>

namespace compresslab {

class DeviceCatalog {
public:
    static constexpr const char *kThisComputer = "This computer";
    // $COMPRESSLAB_DEVICES, else <config>/CompressLab/devices.json.
    static QString userProfilesPath();
    // $COMPRESSLAB_CALIBRATION, else <data>/CompressLab/calibration.json.
    static QString calibrationPath();

    static DeviceCatalog load();

    const QVector<DeviceProfile> &profiles() const { return m_profiles; }
    QStringList problems() const { return m_problems; }
    // Exact name, else a unique case-insensitive prefix; throws UserError listing the known names.
    const DeviceProfile &find(const QString &name) const;
    bool contains(const QString &name) const;

    // User profiles: saved, duplicated and deleted in the user file (atomically). Built-in names are refused.
    void saveUserProfile(const DeviceProfile &profile);
    DeviceProfile duplicate(const QString &name, const QString &newName);
    void removeUserProfile(const QString &name);

private:
    void writeUserFile() const;
    QVector<DeviceProfile> m_profiles;
    QStringList m_problems;
};

} // namespace compresslab
