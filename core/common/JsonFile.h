#pragma once
// Reads a file that must hold one JSON object; UserError says which file and where it went wrong.
#include <QJsonObject>

namespace compresslab {

QJsonObject readJsonObject(const QString &path);

} // namespace compresslab
