#include "common/Task.h"

using namespace Qt::StringLiterals;

namespace compresslab {

QString taskName(Task t)
{
    switch (t) {
    case Task::Classification:
        return u"classification"_s;
    case Task::LanguageModeling:
        return u"language-modeling"_s;
    case Task::Unknown:
        break;
    }
    return u"unknown"_s;
}

Task taskFromName(const QString &name)
{
    if (name == "classification"_L1)
        return Task::Classification;
    if (name == "language-modeling"_L1)
        return Task::LanguageModeling;
    return Task::Unknown;
}

} // namespace compresslab
