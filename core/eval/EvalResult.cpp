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

const Metric *EvalResult::headline() const
{
    for (const char *key : {"accuracy", "perplexity"}) {
        if (const Metric *m = find(QLatin1StringView(key)))
            return m;
    }
    return metrics.isEmpty() ? nullptr : &metrics.first();
}

} // namespace compresslab
