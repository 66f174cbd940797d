#include "zoo/Zoo.h"

#include "common/ToolScripts.h"
#include "common/UserError.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

struct ZooModel {
    const char *name;
    const char *task;
    const char *description;
};

constexpr ZooModel kZoo[] = {
    {"fashion-cnn", "classification", "CNN classifying Fashion-MNIST clothing images (10 classes)"},
    {"brown-gpt", "language-modeling", "Character-level GPT-style decoder trained on the Brown corpus"},
    {"spam-transformer", "classification", "Transformer encoder classifying SpamAssassin mail as ham or spam"},
};

} // namespace

QString zooDirectory()
{
    const QString overridden = qEnvironmentVariable("COMPRESSLAB_ZOO_DIR");
    if (!overridden.isEmpty())
        return QDir::cleanPath(overridden);
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + u"/compresslab/zoo"_s;
}

QStringList zooNames()
{
    QStringList names;
    for (const ZooModel &m : kZoo)
        names.push_back(QString::fromLatin1(m.name));
    return names;
}

ZooEntry zooEntry(const QString &name)
{
    for (const ZooModel &m : kZoo) {
        if (name != QLatin1StringView(m.name))
            continue;
        ZooEntry e;
        e.name = name;
        e.task = QString::fromLatin1(m.task);
        e.description = QString::fromLatin1(m.description);
        e.dir = zooDirectory() + u'/' + name;
        e.modelPath = e.dir + u"/model.pt"_s;
        e.evalPath = e.dir + u"/eval.safetensors"_s;
        e.trainPath = e.dir + u"/train.safetensors"_s;
        e.built = QFileInfo::exists(e.dir + u"/complete"_s) && QFileInfo::exists(e.modelPath);
        QFile card(e.dir + u"/card.json"_s);
        if (card.open(QIODevice::ReadOnly))
            e.card = QJsonDocument::fromJson(card.readAll()).object();
        return e;
    }
    throw UserError(u"unknown zoo model '%1' (known: %2)"_s.arg(name, zooNames().join(u", "_s)));
}

QVector<ZooEntry> zooEntries()
{
    QVector<ZooEntry> all;
    for (const QString &name : zooNames())
        all.push_back(zooEntry(name));
    return all;
}

QString zooBuildScript()
{
    QStringList lookedAt;
    const QString script = findToolScript(u"zoo/build.py"_s, &lookedAt);
    if (script.isEmpty())
        throw UserError(u"cannot find the zoo build script (looked for %1)"_s.arg(lookedAt.join(u", "_s)));
    return script;
}

void buildZoo(const QStringList &names, bool force, const std::function<void(const QString &)> &onLine)
{
    for (const QString &n : names)
        zooEntry(n); // validates the names before anything runs
    const QString python = QStringLiteral(COMPRESSLAB_PYTHON);
    if (!QFileInfo::exists(python))
        throw UserError(u"%1 is missing: install Debian's python3-torch (apt-get install python3-torch)"_s.arg(python));
    QStringList args = {zooBuildScript(), u"--out"_s, zooDirectory()};
    for (const QString &n : names)
        args << u"--only"_s << n;
    if (force)
        args << u"--force"_s;
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(python, args);
    if (!process.waitForStarted())
        throw UserError(u"cannot start %1: %2"_s.arg(python, process.errorString()));
    QStringList lastLines;
    QByteArray pending;
    auto drain = [&](bool flushAll) {
        pending += process.readAll();
        qsizetype nl;
        while ((nl = pending.indexOf('\n')) >= 0 || (flushAll && !pending.isEmpty())) {
            const qsizetype cut = nl >= 0 ? nl : pending.size();
            const QString line = QString::fromUtf8(pending.left(cut)).trimmed();
            pending.remove(0, cut + 1);
            if (line.isEmpty())
                continue;
            lastLines.push_back(line);
            if (lastLines.size() > 8)
                lastLines.pop_front();
            if (onLine)
                onLine(line);
        }
    };
    while (process.state() != QProcess::NotRunning) {
        process.waitForReadyRead(200);
        drain(false);
    }
    process.waitForFinished();
    drain(true);
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        throw UserError(u"building the demo models failed (exit code %1):\n%2"_s.arg(process.exitCode()).arg(lastLines.join(u'\n')));
}

} // namespace compresslab
