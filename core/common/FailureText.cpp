#include "common/FailureText.h"

#include "model/ModelSummary.h"

#include <QRegularExpression>

#include <new>

using namespace Qt::StringLiterals;

namespace compresslab {

QString unexpectedFailureText(const std::exception &e)
{
    if (dynamic_cast<const std::bad_alloc *>(&e))
        return u"out of memory (the model asked for more than this process may use)"_s;
    // LibTorch's allocator says how much was asked for: a damaged or hostile model, or too large a batch.
    const QString what = QString::fromLocal8Bit(e.what());
    static const QRegularExpression allocation(u"allocate (\\d+) bytes"_s);
    if (const QRegularExpressionMatch m = allocation.match(what); m.hasMatch())
        return u"out of memory: the model asked for %1 at once; the file is damaged or hostile, or the batch is too large"_s.arg(
            formatBytes(m.captured(1).toLongLong()));
    return u"unexpected error: %1"_s.arg(what.trimmed().section(u'\n', 0, 0)); // TorchScript errors start with a newline
}

} // namespace compresslab
