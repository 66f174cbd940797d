#include "Settings.h"

#include "history/History.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

#include <utility>

using namespace Qt::StringLiterals;

namespace compresslab {

Settings &Settings::instance()
{
    static Settings settings;
    return settings;
}

Settings::Settings()
{
    // A damaged settings file must not cost the user the app: it is kept aside and defaults apply.
    m_damagedCopy = setAsideIfDamaged(QSettings().fileName());
    m_settings = new QSettings(this);
}

QString Settings::setAsideIfDamaged(const QString &settingsFile)
{
    if (!QFileInfo::exists(settingsFile) || QSettings(settingsFile, QSettings::IniFormat).status() != QSettings::FormatError)
        return {};
    const QString aside = settingsFile + u".damaged-"_s + QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_s);
    return QFile::rename(settingsFile, aside) ? aside : QString();
}

QStringList Settings::recentFiles() const { return m_settings->value(u"recentFiles"_s).toStringList(); }

void Settings::addRecentFile(const QString &path)
{
    const QFileInfo info(path);
    const QString normalised = info.canonicalFilePath().isEmpty() ? info.absoluteFilePath() : info.canonicalFilePath();
    QStringList files = recentFiles();
    files.removeAll(normalised);
    files.prepend(normalised);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    m_settings->setValue(u"recentFiles"_s, files);
    Q_EMIT recentFilesChanged();
}

void Settings::clearRecentFiles()
{
    m_settings->remove(u"recentFiles"_s);
    Q_EMIT recentFilesChanged();
}

QString Settings::lastModel() const { return m_settings->value(u"lastModel"_s).toString(); }
void Settings::setLastModel(const QString &path) { m_settings->setValue(u"lastModel"_s, path); }
QString Settings::lastDevice() const { return m_settings->value(u"lastDevice"_s).toString(); }
void Settings::setLastDevice(const QString &name) { m_settings->setValue(u"lastDevice"_s, name); }
QString Settings::lastDirectory() const { return m_settings->value(u"lastDirectory"_s).toString(); }
void Settings::setLastDirectory(const QString &dir) { m_settings->setValue(u"lastDirectory"_s, dir); }
QString Settings::historyPath() const
{
    const QString chosen = m_settings->value(u"history/path"_s).toString();
    return chosen.isEmpty() ? history::History::defaultPath() : chosen;
}

void Settings::setHistoryPath(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (absolute == historyPath())
        return;
    m_settings->setValue(u"history/path"_s, absolute);
    Q_EMIT historyPathChanged(absolute);
}

namespace {
// Stored as a word, not the enum's number, so reordering the enum cannot change a user's choice.
constexpr std::pair<UiLanguage, QLatin1StringView> kLanguageKeys[] = {
    {UiLanguage::System, "system"_L1}, {UiLanguage::English, "en"_L1}, {UiLanguage::German, "de"_L1}};
} // namespace

UiLanguage Settings::language() const
{
    const QString stored = m_settings->value(u"ui/language"_s).toString();
    for (const auto &[language, key] : kLanguageKeys)
        if (stored == key)
            return language;
    return UiLanguage::System; // absent or unknown: follow the system
}

void Settings::setLanguage(UiLanguage language)
{
    if (language == this->language() && m_settings->contains(u"ui/language"_s))
        return;
    for (const auto &[value, key] : kLanguageKeys)
        if (value == language)
            m_settings->setValue(u"ui/language"_s, QString(key));
    Q_EMIT languageChanged(language);
}

QByteArray Settings::windowGeometry() const { return m_settings->value(u"window/geometry"_s).toByteArray(); }
QByteArray Settings::windowState() const { return m_settings->value(u"window/state"_s).toByteArray(); }

void Settings::setWindowLayout(const QByteArray &geometry, const QByteArray &state)
{
    m_settings->setValue(u"window/geometry"_s, geometry);
    m_settings->setValue(u"window/state"_s, state);
}

} // namespace compresslab
