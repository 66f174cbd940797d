#pragma once
// What a model does decides which metrics evaluation computes.
#include <QString>

namespace compresslab {

enum class Task { Unknown, Classification, LanguageModeling };

QString taskName(Task t);              // "classification", "language-modeling", "unknown"
Task taskFromName(const QString &name); // Unknown for anything else

} // namespace compresslab
