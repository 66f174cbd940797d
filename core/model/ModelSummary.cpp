#include "model/ModelSummary.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace compresslab {

QStringList ModelSummary::nonFiniteTensors() const
{
    QStringList found;
    for (const TensorRecord &t : tensors) {
        QStringList counts;
        if (t.nanCount > 0)
            counts << u"%1 NaN"_s.arg(t.nanCount);
        if (t.infCount > 0)
            counts << u"%1 Inf"_s.arg(t.infCount);
        if (!counts.isEmpty())
            found << u"%1 (%2)"_s.arg(t.path, counts.join(u", "_s));
    }
    return found;
}

QString formatBytes(qint64 bytes)
{
    const double b = double(bytes);
    if (bytes < 1000)
        return u"%1 B"_s.arg(bytes);
    if (b < 1e6)
        return u"%1 kB"_s.arg(b / 1e3, 0, 'f', 1);
    if (b < 1e9)
        return u"%1 MB"_s.arg(b / 1e6, 0, 'f', 2);
    return u"%1 GB"_s.arg(b / 1e9, 0, 'f', 2);
}

QString formatCount(qint64 n)
{
    const double v = double(n);
    if (n < 1000)
        return QString::number(n);
    if (v < 1e6)
        return u"%1 k"_s.arg(v / 1e3, 0, 'f', 1);
    if (v < 1e9)
        return u"%1 M"_s.arg(v / 1e6, 0, 'f', 2);
    return u"%1 G"_s.arg(v / 1e9, 0, 'f', 2);
}

QString formatShape(const QVector<qint64> &shape)
{
    QStringList parts;
    for (qint64 d : shape)
        parts.push_back(QString::number(d));
    return u"["_s + parts.join(u", "_s) + u"]"_s;
}

} // namespace compresslab
