#include "jobs/ModelProbe.h"

#include "common/UserError.h"
#include "report/FromJson.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace compresslab {

ModelProbe probeModelFile(const QString &path, const ProgressCallback &progress)
{
    ModelProbe probe;
    const QString cli = QCoreApplication::applicationDirPath() + u"/compresslab-cli"_s;
    // The model host is the same program, so without it the window could not run the model either.
    const auto missing = [&cli] {
        return UserError(QCoreApplication::translate("ModelProbe", "cannot open models: %1 is missing or cannot start; "
                                                                   "the workbench runs every model in it, apart from this window")
                             .arg(cli));
    };
    if (!QFileInfo(cli).isExecutable())
        throw missing();
    QProcess process;
    // A forward() that never returns must not leave the window "Loading…" forever.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!env.contains(u"COMPRESSLAB_TIME_LIMIT"_s))
        env.insert(u"COMPRESSLAB_TIME_LIMIT"_s, u"120"_s);
    process.setProcessEnvironment(env);
    process.start(cli, {u"inspect"_s, u"--json"_s, u"--run"_s, u"--allow-nonfinite"_s, path});
    if (!process.waitForStarted())
        throw missing();
    while (!process.waitForFinished(100)) {
        if (!reportProgress(progress, 0, 1)) {
            process.kill(); // the launcher's worker dies with it (PR_SET_PDEATHSIG)
            process.waitForFinished();
            throw Cancelled();
        }
    }
    const QString err = QString::fromUtf8(process.readAllStandardError()).trimmed();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        QString reason = err.section(u'\n', -1).trimmed();
        reason.remove(QRegularExpression(u"^compresslab-cli: "_s));
        throw UserError(reason.isEmpty() ? QCoreApplication::translate("ModelProbe", "cannot load %1: the isolated check failed (exit %2)")
                                               .arg(path).arg(process.exitCode())
                                         : reason);
    }
    const QJsonObject o = QJsonDocument::fromJson(process.readAllStandardOutput()).object();
    probe.description = modelDescriptionFromJson(o);
    if (probe.description.summary.modules.isEmpty()) // every model has a root module
        throw UserError(QCoreApplication::translate("ModelProbe", "cannot load %1: the isolated check gave no model description").arg(path));
    for (const QJsonValue &t : o.value(u"non_finite_tensors"_s).toArray())
        probe.nonFinite << t.toString();
    probe.trialNote = o.value(u"trial_run"_s).toObject().value(u"note"_s).toString();
    return probe;
}

} // namespace compresslab
