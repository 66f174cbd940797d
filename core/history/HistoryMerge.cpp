// Merging another history file: experiments are identified by uuid, so merging twice adds nothing.
#include "history/History.h"

#include "common/UserError.h"
#include "history/Sqlite.h"

#include <QFileInfo>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace compresslab::history {

MergeResult History::merge(const QString &otherPath)
{
    requireWritable();
    if (QFileInfo(otherPath).canonicalFilePath() == QFileInfo(m_path).canonicalFilePath())
        throw UserError(u"cannot merge the history %1 into itself"_s.arg(m_path));
    if (!QFileInfo::exists(otherPath))
        throw UserError(u"no history at %1"_s.arg(otherPath));
    OpenOptions readOnly;
    readOnly.readOnly = true;
    const History other(otherPath, readOnly);
    QVector<ExperimentSummary> theirs = other.list();
    std::reverse(theirs.begin(), theirs.end()); // oldest first, so a re-run's original is already here
    MergeResult r;
    try {
        // All or nothing: a failure half-way leaves this history as it was.
        Transaction t(*m_db);
        for (const ExperimentSummary &s : theirs) {
            if (s.status == Status::Running || findByUuid(s.uuid)) { // a run still in flight there is not merged yet
                ++r.skipped;
                continue;
            }
            Experiment e = other.experiment(s.id);
            if (e.start.rerunOf > 0) {
                const auto original = findByUuid(other.experiment(e.start.rerunOf).start.uuid);
                e.start.rerunOf = original.value_or(0);
            }
            record(e);
            ++r.added;
        }
        t.commit();
    } catch (const std::exception &e) {
        failWrite(e, u"merge %1"_s.arg(otherPath));
    }
    return r;
}

} // namespace compresslab::history
