#include "common/ToolScripts.h"

#include <QCoreApplication>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace compresslab {

QString findToolScript(const QString &relativePath, QStringList *lookedAt)
{
    const QStringList candidates = {
        QCoreApplication::applicationDirPath() + u"/../share/compresslab/tools/"_s + relativePath,
        QStringLiteral(COMPRESSLAB_SOURCE_DIR) + u"/tools/"_s + relativePath,
    };
    if (lookedAt)
        *lookedAt = candidates;
    for (const QString &c : candidates) {
        if (QFileInfo::exists(c))
            return QFileInfo(c).canonicalFilePath();
    }
    return {};
}

} // namespace compresslab
