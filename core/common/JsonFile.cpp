#include "common/JsonFile.h"

#include "common/UserError.h"

#include <QFile>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace compresslab {

QJsonObject readJsonObject(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw UserError(u"cannot read %1: %2"_s.arg(path, f.errorString()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        throw UserError(u"%1 is not a JSON object (%2 at byte %3)"_s.arg(path, error.errorString()).arg(error.offset));
    return doc.object();
}

} // namespace compresslab
