#include "experiment/Environment.h"

#include "runtime/RuntimeInfo.h"

#include <QFile>
#include <QSysInfo>
#include <QStringList>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

QString cpuModel()
{
    QFile f(u"/proc/cpuinfo"_s);
    if (f.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : f.readAll().split('\n')) {
            if (line.startsWith("model name"))
                return QString::fromUtf8(line.mid(line.indexOf(':') + 1)).trimmed();
        }
    }
    return QSysInfo::currentCpuArchitecture();
}

} // namespace

QJsonObject captureEnvironment()
{
    const RuntimeInfo rt = currentRuntime();
    return {{u"app_version"_s, QStringLiteral(COMPRESSLAB_VERSION)}, {u"git_commit"_s, QStringLiteral(COMPRESSLAB_GIT_COMMIT)},
            {u"libtorch"_s, rt.torchVersion}, {u"qt"_s, QString::fromLatin1(qVersion())},
            {u"sqlite"_s, QString::fromLatin1(sqlite3_libversion())}, {u"os"_s, QSysInfo::prettyProductName()},
            {u"kernel"_s, QSysInfo::kernelVersion()}, {u"cpu"_s, cpuModel()}, {u"threads"_s, rt.threads}, {u"blas"_s, rt.blas},
            {u"quantized_engine"_s, rt.quantizedEngine}, {u"omp_wait_policy"_s, rt.ompWaitPolicy},
            {u"allocator"_s, rt.allocator}};
}

QStringList environmentDifferences(const QJsonObject &a, const QJsonObject &b)
{
    QStringList out;
    for (const char *key : {"cpu", "threads", "blas", "libtorch", "app_version"}) {
        const QString k = QString::fromLatin1(key);
        if (a.value(k) != b.value(k))
            out << u"%1 %2 → %3"_s.arg(k, a.value(k).toVariant().toString(), b.value(k).toVariant().toString());
    }
    return out;
}

} // namespace compresslab
