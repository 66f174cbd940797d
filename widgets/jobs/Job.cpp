#include "jobs/Job.h"

#include "common/UserError.h"
#include "jobs/JobRegistry.h"

#include <QThread>

namespace compresslab {

Job::Job(const QString &title, Work work, QObject *parent) : QObject(parent), m_title(title), m_work(std::move(work)) {}

Job::~Job()
{
    if (m_thread) {
        m_cancelRequested = true;
        m_thread->wait();
    }
}

bool Job::isRunning() const { return m_thread && m_thread->isRunning(); }

qint64 Job::etaMs(qint64 done, qint64 total) const
{
    if (done <= 0 || total <= 0 || done >= total || !m_clock.isValid())
        return -1;
    return qint64(double(m_clock.elapsed()) * double(total - done) / double(done));
}

void Job::start()
{
    Q_ASSERT(!m_thread);
    m_clock.start();
    JobRegistry::instance().track(this); // listed in the jobs panel from now on
    m_thread = QThread::create([this] {
        const ProgressCallback progress = [this](qint64 done, qint64 total) {
            // Throttle to ~30 signals a second: the GUI drains them, it should not drown in them.
            const qint64 now = m_clock.elapsed();
            if (now - m_lastEmitMs >= 33 || done >= total) {
                m_lastEmitMs = now;
                Q_EMIT progressChanged(done, total);
            }
            return !m_cancelRequested.load();
        };
        try {
            m_work(progress);
            m_outcome = m_cancelRequested ? Outcome::Cancelled : Outcome::Succeeded;
        } catch (const Cancelled &) {
            m_outcome = Outcome::Cancelled;
        } catch (const UserError &e) {
            m_outcome = Outcome::Failed;
            m_reason = e.message();
        } catch (const std::exception &e) {
            m_outcome = Outcome::Failed;
            m_reason = QString::fromLocal8Bit(e.what()).section(QLatin1Char('\n'), 0, 0);
        }
    });
    m_thread->setParent(this);
    connect(m_thread, &QThread::finished, this, &Job::deliver);
    m_thread->start();
}

void Job::cancel() { m_cancelRequested = true; }

void Job::deliver()
{
    switch (m_outcome) {
    case Outcome::Succeeded:
        Q_EMIT succeeded();
        break;
    case Outcome::Failed:
        Q_EMIT failed(m_reason);
        break;
    case Outcome::Cancelled:
        Q_EMIT cancelled();
        break;
    }
    Q_EMIT finished();
}

} // namespace compresslab
