#include "model/ModelImpl.h"

#include "common/UserError.h"
#include "model/ModelSummary.h"
#include "model/ZipPrecheck.h"
#include "runtime/IsolatedWorker.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

const QString kExportHint = u"export it with torch.jit.script(model) or torch.jit.trace(model, example), then torch.jit.save(...)"_s;

QString firstLine(const std::string &s)
{
    const QString text = QString::fromStdString(s).trimmed();
    const qsizetype nl = text.indexOf(u'\n');
    return nl < 0 ? text : text.left(nl).trimmed();
}

// What the first bytes say the file is, when it is not a ZIP archive.
QString describeNonZip(const QByteArray &head)
{
    if (head.startsWith("\x89PNG"))
        return u"it is a PNG image"_s;
    if (head.startsWith("\xFF\xD8\xFF"))
        return u"it is a JPEG image"_s;
    if (head.startsWith("GIF8"))
        return u"it is a GIF image"_s;
    if (head.startsWith("%PDF"))
        return u"it is a PDF document"_s;
    if (head.startsWith("\x80\x02") || head.startsWith("\x80\x03") || head.startsWith("\x80\x04"))
        return u"it is a Python pickle (a legacy torch.save file, not TorchScript); "_s + kExportHint;
    if (head.startsWith("\x08\x01") || head.contains("onnx"))
        return u"it may be an ONNX model; CompressLab opens TorchScript (.pt) files"_s;
    return u"it is not a ZIP archive, and TorchScript files are ZIP archives written by torch.jit.save"_s;
}

} // namespace

void precheckModelFile(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        throw UserError(u"cannot load %1: no such file"_s.arg(path));
    if (info.isDir())
        throw UserError(u"cannot load %1: it is a folder, not a model file"_s.arg(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw UserError(u"cannot load %1: %2"_s.arg(path, file.errorString()));
    if (file.size() == 0)
        throw UserError(u"cannot load %1: the file is empty (0 bytes)"_s.arg(path));
    const QByteArray head = file.read(64);
    if (!head.startsWith("PK\x03\x04"))
        throw UserError(u"cannot load %1: %2"_s.arg(path, describeNonZip(head)));
    // Map rather than read: the check touches only headers, and the file may be hundreds of MB.
    const uchar *bytes = file.map(0, file.size());
    if (!bytes)
        throw UserError(u"cannot load %1: %2"_s.arg(path, file.errorString()));
    try {
        precheckTorchScriptZip(bytes, uint64_t(file.size()));
    } catch (const UserError &e) {
        throw UserError(u"cannot load %1: %2"_s.arg(path, e.message()));
    }
}

QString explainLoadFailure(const QString &path, const std::string &torchMessage)
{
    const QString raw = QString::fromStdString(torchMessage);
    QString reason;
    static const QRegularExpression allocation(u"allocate (\\d+) bytes"_s);
    if (const QRegularExpressionMatch m = allocation.match(raw); m.hasMatch())
        reason = u"it asks for %1 of memory%2; a damaged or hostile file"_s.arg(
            formatBytes(m.captured(1).toLongLong()),
            workerMemoryLimitText().isEmpty() ? QString() : u", over the limit of %1 for loading a model"_s.arg(workerMemoryLimitText()));
    else if (raw.contains("constants.pkl"_L1))
        reason = u"this is a file written by torch.save (e.g. a state_dict or an eager checkpoint), not a TorchScript program; "_s + kExportHint;
    else if (raw.contains("central directory"_L1) || raw.contains("failed reading zip archive"_L1) ||
             raw.contains("file_size"_L1) || raw.contains("mz_zip"_L1))
        reason = u"the file is truncated or damaged (its ZIP archive cannot be read)"_s;
    else if (raw.contains("INTERNAL ASSERT"_L1) || raw.contains("parser"_L1) || raw.contains("Serialized"_L1) || raw.contains("Unknown builtin op"_L1) ||
             raw.contains("unpickl"_L1))
        reason = u"the TorchScript program inside the file is damaged or was written by an incompatible PyTorch version (%1)"_s
                     .arg(firstLine(torchMessage));
    else
        reason = u"LibTorch could not read it: %1"_s.arg(firstLine(torchMessage));
    return u"cannot load %1: %2"_s.arg(path, reason);
}

} // namespace compresslab
