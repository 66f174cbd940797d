#pragma once
// The one typed home of user settings (in the manner of Tiled's Preferences): typed getters and
// setters, a change signal each; nothing else in the app touches QSettings keys.
#include <QByteArray>
#include <QObject>
#include <QStringList>

class QSettings;

namespace compresslab {

// The window's language: the system's (the default), or one chosen in View ▸ Language.
enum class UiLanguage { System, English, German };

class Settings : public QObject {
    Q_OBJECT
public:
    static Settings &instance();

    QStringList recentFiles() const;
    void addRecentFile(const QString &path); // normalised (canonical) path, most recent first, capped
    void clearRecentFiles();
    static constexpr int kMaxRecentFiles = 10;

    QString lastModel() const;
    void setLastModel(const QString &path);
    // The device profile the device view shows (a name from DeviceCatalog); "" until one is picked.
    QString lastDevice() const;
    void setLastDevice(const QString &name);
    QString lastDirectory() const;
    void setLastDirectory(const QString &dir);

    // The experiment history file: the user's choice, else History::defaultPath().
    QString historyPath() const;
    void setHistoryPath(const QString &path);

    UiLanguage language() const;
    void setLanguage(UiLanguage language);

    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    void setWindowLayout(const QByteArray &geometry, const QByteArray &state);

    // A settings file QSettings cannot parse is renamed to "<file>.damaged-<time>" and defaults apply;
    // returns the new name, or "" when the file was fine (or absent).
    static QString setAsideIfDamaged(const QString &settingsFile);
    QString damagedFileKeptAt() const { return m_damagedCopy; } // for the status bar at start-up

Q_SIGNALS:
    void recentFilesChanged();
    void historyPathChanged(const QString &path);
    void languageChanged(compresslab::UiLanguage language);

private:
    Settings();
    QSettings *m_settings;
    QString m_damagedCopy;
};

} // namespace compresslab
