#pragma once
// Deleted experiments, kept whole so that Undo can put them back. The history has no "undelete": an
// experiment comes back through History::record() with its uuid, times, tags, notes, metrics, per-layer
// rows, curves and artifacts, but a new id (SQLite assigns it). A re-run that pointed at a deleted
// experiment loses that link (the schema sets rerun_of to NULL on delete) and does not get it back.
#include "history/HistoryTypes.h"

#include <QCoreApplication>

namespace compresslab {

namespace history {
class History;
}

class HistoryTrash {
    Q_DECLARE_TR_FUNCTIONS(HistoryTrash)
public:
    // Deletes each experiment (one transaction each), keeping what was deleted as one undoable batch.
    // Returns how many were deleted; on a failure the ones deleted so far stay undoable and *error says why.
    int remove(history::History &history, const QVector<qint64> &ids, QString *error);
    // Records the last batch again; returns the new ids (old id order). On a failure the batch stays
    // (what was restored already is dropped from it) and *error says why.
    QVector<qint64> restoreLast(history::History &history, QString *error);
    bool canRestore() const { return !m_batches.isEmpty(); }
    int lastBatchSize() const { return m_batches.isEmpty() ? 0 : int(m_batches.last().size()); }
    void clear() { m_batches.clear(); }

private:
    QVector<QVector<history::Experiment>> m_batches;
    QHash<qint64, qint64> m_newIds; // old id -> id after a restore, so a restored re-run points at its restored original
};

} // namespace compresslab
