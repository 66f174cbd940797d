#include "eval/EvalResult.h"

namespace compresslab {

const Metric *EvalResult::find(const QString &key) const
{
    for (const Metric &m : metrics) {
        if (m.key == key)
            return &m;
    }
    return nullptr;
}

double EvalResult::value(const QString &key, double fallback) const
{
    const Metric *m = find(key);
    return m ? m->value : fallback;
}

} // namespace compresslab
