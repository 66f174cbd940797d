#pragma once
// The window's translations: compresslab_<language>.qm from the installed layout or the build tree, and
// Qt's own qtbase_<language>.qm so that standard dialogs speak the same language. Installing a
// translator makes Qt send QEvent::LanguageChange to every widget, which re-sets its texts.
#include "Settings.h"

#include <QStringList>

namespace compresslab {

// Where compresslab_<language>.qm is looked for, in order: <bin>/../share/compresslab/translations
// (installed), then <bin>/../translations (the build tree: build/bin/../translations).
QStringList translationDirectories();

// The translation file for a language code ("de"), or "" when no directory holds one.
QString translationFile(const QString &languageCode);

// Replaces the translators installed before with those for `language` (System: the first of the system's
// UI languages that is English or has a translation). Returns the language code now shown: "de", or "en"
// (the source strings) also when the translation asked for is missing.
QString installTranslators(UiLanguage language);

} // namespace compresslab
