#include "Translation.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QPointer>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

// The translators this module installed, so that a switch can take them out again.
QPointer<QTranslator> g_appTranslator;
QPointer<QTranslator> g_qtTranslator;

void removeInstalled()
{
    for (QPointer<QTranslator> *t : {&g_appTranslator, &g_qtTranslator}) {
        if (*t) {
            QCoreApplication::removeTranslator(*t);
            delete t->data();
        }
    }
}

// The code of the language the window should show: the first of the system's UI languages that we can show.
QString systemLanguageCode()
{
    for (const QString &ui : QLocale::system().uiLanguages()) {
        const QString code = QLocale(ui).name().section(u'_', 0, 0);
        if (code == "en"_L1 || !translationFile(code).isEmpty())
            return code;
    }
    return u"en"_s;
}

} // namespace

QStringList translationDirectories()
{
    const QString bin = QCoreApplication::applicationDirPath();
    return {QDir::cleanPath(bin + u"/../share/compresslab/translations"_s), QDir::cleanPath(bin + u"/../translations"_s)};
}

QString translationFile(const QString &languageCode)
{
    for (const QString &dir : translationDirectories()) {
        const QString file = dir + u"/compresslab_"_s + languageCode + u".qm"_s;
        if (QFileInfo(file).isReadable())
            return file;
    }
    return {};
}

QString installTranslators(UiLanguage language)
{
    removeInstalled();
    const QString code = language == UiLanguage::German ? u"de"_s : language == UiLanguage::English ? u"en"_s : systemLanguageCode();
    if (code == "en"_L1)
        return code; // the source strings are English
    auto *app = new QTranslator(QCoreApplication::instance());
    if (!app->load(translationFile(code))) {
        delete app;
        return u"en"_s;
    }
    // Qt's own strings (standard buttons, file dialogs) when the qt6-translations-l10n package is installed.
    auto *qt = new QTranslator(QCoreApplication::instance());
    if (qt->load(u"qtbase_"_s + code, QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
        g_qtTranslator = qt;
    } else {
        delete qt;
    }
    QCoreApplication::installTranslator(app);
    g_appTranslator = app;
    return code;
}

} // namespace compresslab
