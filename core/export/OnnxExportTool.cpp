#include "export/OnnxExportTool.h"

#include "common/ToolScripts.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

constexpr int kPollMs = 200;
constexpr int kTerminateGraceMs = 5000;

QString lastLine(const QByteArray &text)
{
    const QList<QByteArray> lines = text.trimmed().split('\n');
    return lines.isEmpty() ? QString() : QString::fromUtf8(lines.last()).trimmed();
}

// Ends a tool we started: SIGTERM first (it cleans up its temp files), SIGKILL if it lingers.
void stop(QProcess &process)
{
    process.terminate();
    if (!process.waitForFinished(kTerminateGraceMs)) {
        process.kill();
        process.waitForFinished(-1);
    }
}

QString startProblem(const QString &python, const QString &script)
{
    if (!QFileInfo(python).isExecutable())
        return u"%1 is not there: install Debian's python3-torch and python3-onnx"_s.arg(python);
    if (script.isEmpty())
        return u"the ONNX export tool (tools/onnx/export_onnx.py) is not installed"_s;
    return {};
}

QStringList requestArguments(const OnnxExportRequest &r)
{
    QStringList args = {onnxExportScript(), r.source, u"--json"_s, u"--activations"_s, r.activations};
    const std::pair<const char *, QString> optional[] = {
        {"--int8", r.int8Model}, {"--packed", r.packedArtifact}, {"--data", r.data}, {"--out", r.outDir}};
    for (const auto &[flag, value] : optional) {
        if (!value.isEmpty())
            args << QString::fromLatin1(flag) << value;
    }
    if (r.limit > 0)
        args << u"--limit"_s << QString::number(r.limit);
    if (!r.compare)
        args << u"--no-compare"_s;
    return args;
}

} // namespace

QString onnxToolPython()
{
    const QString overridden = qEnvironmentVariable("COMPRESSLAB_ONNX_PYTHON");
    return overridden.isEmpty() ? QStringLiteral(COMPRESSLAB_PYTHON) : overridden;
}

QString onnxExportScript()
{
    return findToolScript(u"onnx/export_onnx.py"_s);
}

OnnxToolStatus probeOnnxTool(int timeoutMs)
{
    OnnxToolStatus status;
    const QString python = onnxToolPython(), script = onnxExportScript();
    status.reason = startProblem(python, script);
    if (!status.reason.isEmpty())
        return status;
    QProcess process;
    process.start(python, {script, u"--probe"_s});
    if (!process.waitForFinished(timeoutMs)) {
        const bool started = process.state() != QProcess::NotRunning;
        if (started)
            stop(process);
        status.reason = started ? u"the ONNX export tool's probe did not answer within %1 s"_s.arg(timeoutMs / 1000)
                                : u"cannot start %1: %2"_s.arg(python, process.errorString());
        return status;
    }
    const QByteArray out = process.readAllStandardOutput();
    const QJsonDocument doc = QJsonDocument::fromJson(out.trimmed());
    if (process.exitCode() != 0 || !doc.isObject()) {
        const QString why = lastLine(process.readAllStandardError());
        status.reason = u"the ONNX export tool's probe failed: %1"_s.arg(why.isEmpty() ? u"no answer"_s : why);
        return status;
    }
    status.details = doc.object();
    status.canExport = status.details.value("ok"_L1).toBool();
    status.canCompare = status.details.value("can_compare"_L1).toBool();
    QStringList reasons;
    for (const QJsonValue &r : status.details.value("reasons"_L1).toArray())
        reasons << r.toString();
    status.reason = reasons.join(u'\n');
    return status;
}

OnnxExportResult exportOnnx(const OnnxExportRequest &request, const OnnxExportProgress &progress)
{
    OnnxExportResult result;
    const QString python = onnxToolPython();
    result.error = startProblem(python, onnxExportScript());
    if (!result.error.isEmpty())
        return result;
    if (request.source.isEmpty()) {
        result.error = u"no model to export"_s;
        return result;
    }
    QProcess process;
    process.start(python, requestArguments(request));
    if (!process.waitForStarted()) {
        result.error = u"cannot start %1: %2"_s.arg(python, process.errorString());
        return result;
    }
    int percent = 0;
    QString step = u"starting"_s;
    QByteArray pendingErr, lastErrLine;
    // stdout carries one JSON line at the end; stderr carries "progress N step" lines and errors.
    while (true) {
        const bool finished = process.waitForFinished(kPollMs);
        pendingErr += process.readAllStandardError();
        qsizetype nl;
        while ((nl = pendingErr.indexOf('\n')) >= 0) {
            const QByteArray line = pendingErr.left(nl).trimmed();
            pendingErr.remove(0, nl + 1);
            if (line.startsWith("progress ")) {
                const QByteArray rest = line.mid(9);
                const qsizetype space = rest.indexOf(' ');
                percent = rest.left(space).toInt();
                step = QString::fromUtf8(space >= 0 ? rest.mid(space + 1) : QByteArray());
            } else if (!line.isEmpty()) {
                lastErrLine = line;
            }
        }
        if (finished || process.state() == QProcess::NotRunning)
            break;
        if (progress && !progress(percent, step)) {
            stop(process);
            result.cancelled = true;
            return result;
        }
    }
    if (!pendingErr.trimmed().isEmpty())
        lastErrLine = pendingErr.trimmed();
    const QJsonDocument doc = QJsonDocument::fromJson(process.readAllStandardOutput().trimmed());
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0 || !doc.isObject()) {
        QString why = QString::fromUtf8(lastErrLine);
        if (why.startsWith("error: "_L1))
            why = why.mid(7);
        result.cancelled = process.exitCode() == 130;
        result.error = why.isEmpty() ? u"the ONNX export tool failed (exit code %1)"_s.arg(process.exitCode()) : why;
        return result;
    }
    if (progress)
        progress(100, u"done"_s);
    result.ok = true;
    result.report = doc.object();
    result.fp32Path = result.report.value("fp32"_L1).toObject().value("path"_L1).toString();
    result.qdqPath = result.report.value("qdq"_L1).toObject().value("path"_L1).toString();
    result.reportPath = result.report.value("report"_L1).toString();
    return result;
}

} // namespace compresslab
