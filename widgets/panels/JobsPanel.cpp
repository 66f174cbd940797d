#include "panels/JobsPanel.h"

#include "common/Duration.h"
#include "jobs/JobRegistry.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

// Tenths of a second for the many short jobs (a live measurement, a history read), minutes and seconds beyond.
QString elapsedText(qint64 ms) { return ms < 10000 ? JobsPanel::tr("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1) : formatDuration(double(ms) / 1000.0); }

} // namespace

JobsPanel::JobsPanel(QWidget *parent)
    : QWidget(parent), m_list(new QTreeWidget(this)), m_summary(new QLabel(this)), m_cancelAll(new QPushButton(this)),
      m_clear(new QPushButton(this)), m_timer(new QTimer(this))
{
    m_list->setColumnCount(ColumnCount);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setSelectionMode(QAbstractItemView::NoSelection);
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(TaskColumn, QHeaderView::Stretch);
    m_list->header()->setSectionResizeMode(StateColumn, QHeaderView::ResizeToContents);
    m_list->setColumnWidth(ProgressColumn, 160);
    m_list->setColumnWidth(ElapsedColumn, 90);
    m_list->setColumnWidth(CancelColumn, 80);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(m_cancelAll);
    buttons->addWidget(m_clear);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(buttons);
    layout->addWidget(m_list, 1);

    JobRegistry &registry = JobRegistry::instance();
    connect(m_cancelAll, &QPushButton::clicked, &registry, &JobRegistry::cancelAll);
    connect(m_clear, &QPushButton::clicked, &registry, &JobRegistry::clearFinished);
    // Progress arrives up to 30 times a second per job: rows are rebuilt at most once per event-loop pass.
    connect(&registry, &JobRegistry::changed, this, [this] {
        if (m_rebuildQueued)
            return;
        m_rebuildQueued = true;
        QTimer::singleShot(0, this, &JobsPanel::rebuild);
    });
    m_timer->setInterval(250);
    connect(m_timer, &QTimer::timeout, this, &JobsPanel::tick);
    m_timer->start();
    retranslateUi();
}

void JobsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void JobsPanel::retranslateUi()
{
    m_list->setHeaderLabels({tr("Task"), tr("Progress"), tr("Elapsed"), tr("State"), QString()});
    m_cancelAll->setText(tr("Cancel All"));
    m_cancelAll->setToolTip(tr("Ask every running job to stop after its current batch."));
    m_clear->setText(tr("Clear Finished"));
    m_clear->setToolTip(tr("Remove the finished jobs from this list."));
    rebuild();
}

void JobsPanel::rebuild()
{
    m_rebuildQueued = false;
    JobRegistry &registry = JobRegistry::instance();
    registry.refreshElapsed();
    const QVector<JobRecord> &records = registry.records();
    // Running jobs first (newest on top), then finished ones, newest first.
    QVector<const JobRecord *> order;
    for (int pass = 0; pass < 2; ++pass)
        for (auto it = records.rbegin(); it != records.rend(); ++it)
            if (it->finished() == (pass == 1))
                order << &*it;
    while (m_list->topLevelItemCount() > order.size())
        delete m_list->takeTopLevelItem(m_list->topLevelItemCount() - 1);
    for (int row = 0; row < order.size(); ++row) {
        const JobRecord &r = *order[row];
        QTreeWidgetItem *item = m_list->topLevelItem(row);
        if (!item) {
            item = new QTreeWidgetItem(m_list);
            m_list->setItemWidget(item, ProgressColumn, new QProgressBar);
            auto *cancel = new QToolButton;
            cancel->setAutoRaise(true);
            m_list->setItemWidget(item, CancelColumn, cancel);
            connect(cancel, &QToolButton::clicked, this, [item] { JobRegistry::instance().cancel(item->data(TaskColumn, Qt::UserRole).toULongLong()); });
        }
        item->setData(TaskColumn, Qt::UserRole, r.id);
        item->setText(TaskColumn, r.title);
        item->setToolTip(TaskColumn, tr("Started %1").arg(r.started.toString(u"HH:mm:ss"_s)));
        auto *bar = static_cast<QProgressBar *>(m_list->itemWidget(item, ProgressColumn));
        const bool known = r.total > 0;
        bar->setRange(0, known ? 1000 : (r.finished() ? 1 : 0)); // busy indicator until the first report
        bar->setValue(known ? int(1000.0 * double(r.done) / double(r.total)) : (r.finished() ? 1 : 0));
        if (r.state == JobRecord::State::Succeeded)
            bar->setValue(bar->maximum());
        item->setText(ElapsedColumn, elapsedText(r.elapsedMs));
        QString state = jobStateText(r.state);
        if (!r.finished() && r.etaMs >= 0)
            state = tr("%1, about %2 left").arg(state, elapsedText(r.etaMs));
        if (r.state == JobRecord::State::Failed)
            state = tr("failed: %1").arg(r.reason);
        item->setText(StateColumn, state);
        item->setToolTip(StateColumn, state);
        item->setForeground(StateColumn, r.state == JobRecord::State::Failed ? QBrush(QColor(176, 36, 24)) : QBrush());
        auto *cancel = static_cast<QToolButton *>(m_list->itemWidget(item, CancelColumn));
        // Hidden by text, not by visibility: the view shows its item widgets itself.
        const bool running = r.state == JobRecord::State::Running;
        cancel->setText(running ? tr("Cancel") : QString());
        cancel->setToolTip(running ? tr("Stop this job after its current batch.") : QString());
        cancel->setEnabled(running);
    }
    const int running = registry.runningCount();
    m_summary->setText(running ? tr("%n job(s) running", nullptr, running) : tr("No job running."));
    m_cancelAll->setEnabled(running > 0);
    if (running != m_lastRunning) {
        m_lastRunning = running;
        Q_EMIT runningCountChanged(running);
    }
}

void JobsPanel::tick()
{
    if (JobRegistry::instance().runningCount() > 0 && isVisible())
        rebuild();
}

} // namespace compresslab
