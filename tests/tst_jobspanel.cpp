// The jobs panel: every started job is listed with its progress; Cancel on its row stops it after the
// current step; failures show their reason; finished jobs sink below running ones and can be cleared.
#include "common/UserError.h"
#include "jobs/Job.h"
#include "jobs/JobRegistry.h"
#include "panels/JobsPanel.h"

#include <QProgressBar>
#include <QPushButton>
#include <QThread>
#include <QToolButton>
#include <QTreeWidget>
#include <QtTest>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace compresslab;

class TestJobsPanel : public QObject {
    Q_OBJECT
private:
    static QTreeWidgetItem *row(JobsPanel &panel, const QString &title)
    {
        for (int i = 0; i < panel.list()->topLevelItemCount(); ++i)
            if (panel.list()->topLevelItem(i)->text(JobsPanel::TaskColumn) == title)
                return panel.list()->topLevelItem(i);
        return nullptr;
    }

    // A job that reports progress every 10 ms until cancelled (at most 30 s).
    static Job *endless(const QString &title, QObject *parent)
    {
        return new Job(title, [](const ProgressCallback &progress) {
            for (int i = 0; i < 3000; ++i) {
                if (!progress(i, 3000))
                    throw Cancelled();
                QThread::msleep(10);
            }
        }, parent);
    }

private Q_SLOTS:
    void listsCancelsAndClears()
    {
        JobsPanel panel;
        QObject owner;
        Job *slow = endless(u"Slow measurement"_s, &owner);
        Job *broken = new Job(u"Broken export"_s, [](const ProgressCallback &) { throw UserError(u"disk full"_s); }, &owner);
        Job *quick = new Job(u"Quick read"_s, [](const ProgressCallback &progress) { progress(1, 1); }, &owner);
        slow->start();
        QSignalSpy brokenDone(broken, &Job::finished), quickDone(quick, &Job::finished);
        broken->start();
        quick->start();
        QVERIFY(brokenDone.wait(5000) || brokenDone.count() == 1);
        QVERIFY(quickDone.count() == 1 || quickDone.wait(5000));
        QTRY_VERIFY(row(panel, u"Slow measurement"_s) && row(panel, u"Broken export"_s) && row(panel, u"Quick read"_s));
        QTRY_COMPARE(panel.list()->topLevelItem(0)->text(JobsPanel::TaskColumn), u"Slow measurement"_s); // running first
        QTRY_VERIFY(row(panel, u"Broken export"_s)->text(JobsPanel::StateColumn) == u"failed: disk full"_s);
        QCOMPARE(row(panel, u"Quick read"_s)->text(JobsPanel::StateColumn), u"done"_s);
        // The running job's bar moves; its Cancel button is shown and stops it.
        auto *bar = static_cast<QProgressBar *>(panel.list()->itemWidget(row(panel, u"Slow measurement"_s), JobsPanel::ProgressColumn));
        QTRY_VERIFY(bar->value() > 0);
        auto *cancel = static_cast<QToolButton *>(panel.list()->itemWidget(row(panel, u"Slow measurement"_s), JobsPanel::CancelColumn));
        QVERIFY(cancel->isEnabled());
        QVERIFY(panel.cancelAllButton()->isEnabled());
        QSignalSpy slowDone(slow, &Job::cancelled);
        cancel->click();
        QVERIFY(slowDone.count() == 1 || slowDone.wait(2000)); // within one 10 ms step, with room for a loaded machine
        QTRY_COMPARE(row(panel, u"Slow measurement"_s)->text(JobsPanel::StateColumn), u"cancelled"_s);
        QVERIFY(!cancel->isEnabled());
        QTRY_VERIFY(!panel.cancelAllButton()->isEnabled());

        for (QPushButton *b : panel.findChildren<QPushButton *>())
            if (b->text() == u"Clear Finished"_s)
                b->click();
        QTRY_COMPARE(panel.list()->topLevelItemCount(), 0);
    }

    void aJobDeletedWhileRunningEndsAsCancelled()
    {
        JobsPanel panel;
        Job *job = endless(u"Owner goes away"_s, nullptr);
        job->start();
        QTRY_VERIFY(row(panel, u"Owner goes away"_s));
        delete job; // cancels and waits, emits nothing
        QTRY_COMPARE(row(panel, u"Owner goes away"_s)->text(JobsPanel::StateColumn), u"cancelled"_s);
        QCOMPARE(JobRegistry::instance().runningCount(), 0);
        JobRegistry::instance().clearFinished();
    }

    void keepsOnlyTheNewestFinished()
    {
        QObject owner;
        for (int i = 0; i < JobRegistry::kKeptFinished + 5; ++i) {
            auto *job = new Job(u"job %1"_s.arg(i), [](const ProgressCallback &) {}, &owner);
            QSignalSpy done(job, &Job::finished);
            job->start();
            QVERIFY(done.wait(5000));
        }
        QCOMPARE(int(JobRegistry::instance().records().size()), JobRegistry::kKeptFinished);
        QCOMPARE(JobRegistry::instance().records().last().title, u"job %1"_s.arg(JobRegistry::kKeptFinished + 4));
    }
};

QTEST_MAIN(TestJobsPanel)
#include "tst_jobspanel.moc"
