#include "jobs/JobRegistry.h"

#include "jobs/Job.h"

#include <QCoreApplication>

namespace compresslab {

JobRegistry &JobRegistry::instance()
{
    static JobRegistry registry;
    return registry;
}

QString jobStateText(JobRecord::State state)
{
    switch (state) {
    case JobRecord::State::Running: return QCoreApplication::translate("JobRegistry", "running");
    case JobRecord::State::Cancelling: return QCoreApplication::translate("JobRegistry", "cancelling (after this batch)");
    case JobRecord::State::Succeeded: return QCoreApplication::translate("JobRegistry", "done");
    case JobRecord::State::Failed: return QCoreApplication::translate("JobRegistry", "failed");
    case JobRecord::State::Cancelled: return QCoreApplication::translate("JobRegistry", "cancelled");
    }
    return {};
}

JobRecord *JobRegistry::find(quint64 id)
{
    for (JobRecord &r : m_records)
        if (r.id == id)
            return &r;
    return nullptr;
}

void JobRegistry::track(Job *job)
{
    JobRecord record;
    record.id = m_nextId++;
    record.title = job->title();
    record.started = QDateTime::currentDateTime();
    record.job = job;
    m_records.push_back(record);
    const quint64 id = record.id;
    connect(job, &Job::progressChanged, this, [this, id](qint64 done, qint64 total) {
        if (JobRecord *r = find(id); r && r->job) {
            r->done = done;
            r->total = total;
            r->elapsedMs = r->job->elapsedMs();
            r->etaMs = r->job->etaMs(done, total);
            Q_EMIT changed();
        }
    });
    auto end = [this, id](JobRecord::State state, const QString &reason) {
        if (JobRecord *r = find(id)) {
            r->state = state;
            r->reason = reason;
            if (r->job)
                r->elapsedMs = r->job->elapsedMs();
            r->etaMs = -1;
            dropOldFinished();
            Q_EMIT changed();
        }
    };
    connect(job, &Job::succeeded, this, [end] { end(JobRecord::State::Succeeded, {}); });
    connect(job, &Job::failed, this, [end](const QString &reason) { end(JobRecord::State::Failed, reason); });
    connect(job, &Job::cancelled, this, [end] { end(JobRecord::State::Cancelled, {}); });
    // A job deleted while running (its owner went away: it cancels and waits) ends as cancelled.
    connect(job, &QObject::destroyed, this, [this, id] {
        if (JobRecord *r = find(id); r && !r->finished()) {
            r->state = JobRecord::State::Cancelled;
            r->etaMs = -1;
            Q_EMIT changed();
        }
    });
    dropOldFinished();
    Q_EMIT changed();
}

int JobRegistry::runningCount() const
{
    int n = 0;
    for (const JobRecord &r : m_records)
        n += r.finished() ? 0 : 1;
    return n;
}

void JobRegistry::refreshElapsed()
{
    for (JobRecord &r : m_records) {
        if (!r.finished() && r.job)
            r.elapsedMs = r.job->elapsedMs();
    }
}

void JobRegistry::cancel(quint64 id)
{
    JobRecord *r = find(id);
    if (!r || r->finished() || !r->job)
        return;
    r->job->cancel();
    r->state = JobRecord::State::Cancelling;
    Q_EMIT changed();
}

void JobRegistry::cancelAll()
{
    for (const JobRecord &r : m_records)
        if (!r.finished())
            cancel(r.id);
}

void JobRegistry::clearFinished()
{
    m_records.erase(std::remove_if(m_records.begin(), m_records.end(), [](const JobRecord &r) { return r.finished(); }), m_records.end());
    Q_EMIT changed();
}

void JobRegistry::dropOldFinished()
{
    int finished = 0;
    for (const JobRecord &r : m_records)
        finished += r.finished() ? 1 : 0;
    for (auto it = m_records.begin(); finished > kKeptFinished && it != m_records.end();) {
        if (it->finished()) {
            it = m_records.erase(it);
            --finished;
        } else {
            ++it;
        }
    }
}

} // namespace compresslab
