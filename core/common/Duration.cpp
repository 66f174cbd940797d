#include "common/Duration.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab {

QString formatDuration(double seconds)
{
    const qint64 s = std::isfinite(seconds) && seconds > 0 ? qint64(std::llround(seconds)) : 0;
    // QChar, not u'0': with a char16_t fill, QString::arg picks its double overload (1m10.000…s).
    return s >= 60 ? u"%1m%2s"_s.arg(s / 60).arg(s % 60, 2, 10, QChar(u'0')) : u"%1s"_s.arg(s);
}

} // namespace compresslab
