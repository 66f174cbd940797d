// compresslab-cli: a launcher without LibTorch. Commands that open model files run in
// compresslab-cli-worker as an isolated child with memory and time limits, because a TorchScript
// file is a program (pytorch#77573) and may crash or exhaust whatever loads it; if it does, this
// process says why and exits normally. Every other command simply becomes the worker (exec).
#include "runtime/IsolatedWorker.h"
#include "runtime/ThreadWaiting.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSet>
#include <QTextStream>

#include <cstdlib>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

// The commands that load a model file (`history rerun` loads the model of the run it repeats).
bool loadsModels(const QStringList &args)
{
    static const QSet<QString> commands{u"inspect"_s, u"eval"_s,     u"latency"_s,     u"compress"_s, u"sweep"_s,
                                        u"distill"_s, u"estimate"_s, u"sensitivity"_s, u"fit"_s,
                                        u"host"_s};
    QStringList words = args;
    words.removeAll(u"--allow-nonfinite"_s);
    if (words.isEmpty() || words.contains(u"--help"_s) || words.contains(u"-h"_s))
        return false;
    return commands.contains(words.first()) || (words.first() == "history"_L1 && words.contains(u"rerun"_s));
}

QString workerPath()
{
    const QString dir = QCoreApplication::applicationDirPath();
    for (const QString &candidate : {dir + u"/compresslab-cli-worker"_s, dir + u"/../lib/compresslab/compresslab-cli-worker"_s})
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).absoluteFilePath();
    return {};
}

} // namespace

int main(int argc, char **argv)
{
    // The worker runs the models: it must start with these set, or libgomp's and OpenBLAS's threads spin
    // long after every call (runtime/ThreadWaiting.h). Set here, the worker needs no restart of its own.
    compresslab::setShortThreadWaiting();
    QCoreApplication app(argc, argv);
    QTextStream err(stderr);
    const QString worker = workerPath();
    if (worker.isEmpty()) {
        err << "compresslab-cli: cannot find compresslab-cli-worker next to " << QCoreApplication::applicationFilePath()
            << "; the installation is incomplete\n";
        return 2;
    }
    const QStringList args = QCoreApplication::arguments().mid(1);
    if (loadsModels(args) && compresslab::isolationWanted()) {
        const compresslab::WorkerOutcome outcome =
            compresslab::runIsolated(worker, args, compresslab::IsolationLimits::fromEnvironment());
        if (!outcome.failure.isEmpty())
            err << "compresslab-cli: " << outcome.failure << "\n";
        return outcome.exitCode;
    }
    // argv[0] stays the name the user typed, so the worker's usage lines say `compresslab-cli inspect …`.
    const QByteArray program = worker.toLocal8Bit();
    execv(program.constData(), argv);
    err << "compresslab-cli: cannot start " << worker << "\n";
    return 2;
}
