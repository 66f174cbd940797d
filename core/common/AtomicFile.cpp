#include "common/AtomicFile.h"

#include "common/UserError.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringList>
#include <QTemporaryFile>

#include <cstdio>

#include <sys/stat.h>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

// The mode a plain open(2) would give a new file: 0666 less the umask, read from /proc because
// umask(2) can only be read by setting it, which races with other threads creating files.
mode_t newFileMode()
{
    QFile status(u"/proc/self/status"_s);
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("Umask:"))
                return 0666 & ~mode_t(line.mid(6).trimmed().toUInt(nullptr, 8));
        }
    }
    return 0644;
}

} // namespace

void writeAtomically(const QString &path, const std::function<void(const QString &tempPath)> &write,
                     const QStringList &protectedPaths)
{
    const QFileInfo target(path);
    const QString canonicalTarget = target.exists() ? target.canonicalFilePath() : QString();
    for (const QString &p : protectedPaths) {
        const QString canonical = QFileInfo(p).canonicalFilePath();
        if (!canonical.isEmpty() && canonical == canonicalTarget)
            throw UserError(u"refusing to write %1: it is the input model; choose another output"_s.arg(path));
    }
    if (!QDir().mkpath(target.absolutePath()))
        throw UserError(u"cannot create the folder %1"_s.arg(target.absolutePath()));
    QString temp;
    {
        QTemporaryFile reserve(target.absolutePath() + u"/."_s + target.fileName() + u".XXXXXX"_s);
        reserve.setAutoRemove(false);
        if (!reserve.open())
            throw UserError(u"cannot write in %1: %2"_s.arg(target.absolutePath(), reserve.errorString()));
        temp = reserve.fileName();
    }
    try {
        write(temp);
    } catch (const UserError &) {
        QFile::remove(temp);
        throw;
    } catch (const std::exception &e) {
        QFile::remove(temp);
        throw UserError(u"cannot write %1: %2"_s.arg(path, QString::fromLocal8Bit(e.what()).section(u'\n', 0, 0)));
    }
    // QTemporaryFile made the file 0600; the result gets the replaced file's mode, or a new file's.
    struct stat existing {};
    const mode_t mode = ::stat(QFile::encodeName(target.absoluteFilePath()).constData(), &existing) == 0
                            ? existing.st_mode & 07777 : newFileMode();
    ::chmod(QFile::encodeName(temp).constData(), mode);
    // rename(2) replaces the target in one step on the same file system.
    if (std::rename(QFile::encodeName(temp).constData(), QFile::encodeName(target.absoluteFilePath()).constData()) != 0) {
        QFile::remove(temp);
        throw UserError(u"cannot write %1: renaming the finished file failed"_s.arg(path));
    }
}

} // namespace compresslab
