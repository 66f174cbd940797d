#pragma once
// A long task (load, evaluation, measurement) run on its own thread. Progress, success, failure and
// cancellation come back as signals on the GUI thread; cancel() takes effect at the work's next
// progress report (after the current batch). The work writes its result into state it captured.
#include "common/Progress.h"

#include <QElapsedTimer>
#include <QObject>

#include <atomic>
#include <functional>

class QThread;

namespace compresslab {

class Job : public QObject {
    Q_OBJECT
public:
    using Work = std::function<void(const ProgressCallback &progress)>; // may throw UserError or Cancelled

    Job(const QString &title, Work work, QObject *parent = nullptr);
    ~Job() override; // cancels and waits: a job never outlives the objects its work touches

    QString title() const { return m_title; }
    bool isRunning() const;
    qint64 elapsedMs() const { return m_clock.isValid() ? m_clock.elapsed() : 0; }
    // Estimated milliseconds left from the progress so far; -1 while unknown.
    qint64 etaMs(qint64 done, qint64 total) const;

public Q_SLOTS:
    void start();
    void cancel();

Q_SIGNALS:
    void progressChanged(qint64 done, qint64 total);
    void succeeded();
    void failed(const QString &reason);
    void cancelled();
    void finished(); // after whichever of the three above

private:
    enum class Outcome { Succeeded, Failed, Cancelled };
    void deliver();

    QString m_title;
    Work m_work;
    QThread *m_thread = nullptr;
    std::atomic<bool> m_cancelRequested{false};
    std::atomic<qint64> m_lastEmitMs{-1000};
    Outcome m_outcome = Outcome::Succeeded;
    QString m_reason;
    QElapsedTimer m_clock;
};

} // namespace compresslab
