#pragma once
// Every job the window starts, in one list for the jobs panel: what it is, how far it got, how long it has
// run and how long it may still take, and how it ended. Jobs register themselves when they start; a record
// outlives its job (finished jobs are deleted at once) and the oldest finished records are dropped.
#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QVector>

namespace compresslab {

class Job;

struct JobRecord {
    enum class State { Running, Cancelling, Succeeded, Failed, Cancelled };
    quint64 id = 0;
    QString title;
    QDateTime started;
    qint64 done = 0, total = 0; // the last progress report
    qint64 elapsedMs = 0;       // frozen when the job ends
    qint64 etaMs = -1;          // -1 while unknown
    State state = State::Running;
    QString reason;             // why it failed
    QPointer<Job> job;          // null once it is deleted
    bool finished() const { return state != State::Running && state != State::Cancelling; }
};

class JobRegistry : public QObject {
    Q_OBJECT
public:
    static JobRegistry &instance();
    static constexpr int kKeptFinished = 40; // older finished records are dropped

    void track(Job *job); // called by Job::start on the GUI thread
    const QVector<JobRecord> &records() const { return m_records; }
    int runningCount() const;
    void refreshElapsed(); // running records' elapsed and ETA (the panel calls it on its timer)

public Q_SLOTS:
    void cancel(quint64 id);
    void cancelAll();
    void clearFinished();

Q_SIGNALS:
    void changed(); // a record was added, updated or dropped

private:
    JobRecord *find(quint64 id);
    void dropOldFinished();
    QVector<JobRecord> m_records; // oldest first
    quint64 m_nextId = 1;
};

QString jobStateText(JobRecord::State state);

} // namespace compresslab
