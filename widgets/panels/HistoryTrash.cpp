#include "panels/HistoryTrash.h"

#include "common/UserError.h"
#include "history/History.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace compresslab {

int HistoryTrash::remove(history::History &history, const QVector<qint64> &ids, QString *error)
{
    QVector<history::Experiment> batch;
    try {
        for (qint64 id : ids) {
            history::Experiment e = history.experiment(id);
            if (e.outcome.status == history::Status::Running)
                throw UserError(tr("experiment %1 is still running; it can be deleted once it has ended").arg(id));
            history.remove(id);
            batch.push_back(std::move(e));
        }
    } catch (const UserError &e) {
        *error = e.message();
    }
    if (!batch.isEmpty())
        m_batches.push_back(batch);
    return int(batch.size());
}

QVector<qint64> HistoryTrash::restoreLast(history::History &history, QString *error)
{
    QVector<qint64> restored;
    if (m_batches.isEmpty())
        return restored;
    QVector<history::Experiment> &batch = m_batches.last();
    // Oldest first, so a restored re-run can point at its original restored just before it.
    std::sort(batch.begin(), batch.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
    try {
        while (!batch.isEmpty()) {
            history::Experiment e = batch.first();
            if (e.start.rerunOf && m_newIds.contains(e.start.rerunOf))
                e.start.rerunOf = m_newIds.value(e.start.rerunOf);
            if (e.start.rerunOf) {
                try {
                    history.experiment(e.start.rerunOf);
                } catch (const UserError &) {
                    e.start.rerunOf = 0; // its original is gone for good
                }
            }
            const qint64 id = history.record(e);
            m_newIds.insert(batch.first().id, id);
            restored << id;
            batch.removeFirst();
        }
        m_batches.removeLast();
    } catch (const UserError &e) {
        *error = e.message();
    }
    return restored;
}

} // namespace compresslab
