#include "panels/HistoryPanel.h"

#include "Settings.h"
#include "common/AtomicFile.h"
#include "common/UserError.h"
#include "dialogs/CompareDialog.h"
#include "history/History.h"
#include "history/HistoryExport.h"
#include "jobs/Job.h"
#include "panels/HistoryRerun.h"
#include "panels/HistoryTableModel.h"
#include "panels/HistoryTrash.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {
constexpr int kShownExperiments = 1000;
const QStringList kKinds{u"compress"_s, u"distill"_s, u"sensitivity"_s};
}

HistoryPanel::HistoryPanel(QWidget *parent)
    : QWidget(parent), m_trash(std::make_unique<HistoryTrash>()), m_model(new HistoryTableModel(this)), m_sorted(new QSortFilterProxyModel(this)),
      m_table(new QTableView), m_header(new QLabel), m_modelFilter(new QComboBox), m_tagFilter(new QLineEdit), m_kindFilter(new QComboBox),
      m_modelLabel(new QLabel), m_refreshButton(new QPushButton), m_chooseButton(new QPushButton), m_toolBar(new QToolBar),
      m_messageBar(new QWidget), m_message(new QLabel), m_messageUndo(new QPushButton)
{
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_modelFilter->setMinimumContentsLength(14);
    m_modelFilter->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_tagFilter->setClearButtonEnabled(true);
    m_modelLabel->setBuddy(m_modelFilter);
    m_kindFilter->addItem(QString(), QString());
    for (const QString &k : kKinds)
        m_kindFilter->addItem(QString(), k);
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_toolBar->setIconSize(QSize(1, 1));
    createActions();
    retranslateUi();

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_modelLabel);
    filters->addWidget(m_modelFilter);
    filters->addWidget(m_tagFilter);
    filters->addWidget(m_kindFilter);
    filters->addStretch(1);
    filters->addWidget(m_refreshButton);
    filters->addWidget(m_chooseButton);

    // A message bar under the table: what a delete did (with Undo), why an action was refused.
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *messageLayout = new QHBoxLayout(m_messageBar);
    messageLayout->setContentsMargins(0, 0, 0, 0);
    messageLayout->addWidget(m_message, 1);
    messageLayout->addWidget(m_messageUndo);
    m_messageBar->hide();
    connect(m_messageUndo, &QPushButton::clicked, this, &HistoryPanel::undoDelete);

    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(HistoryTableModel::SortRole);
    m_table->setModel(m_sorted);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(HistoryTableModel::Started, Qt::DescendingOrder); // newest first, as the history lists them
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_header);
    layout->addLayout(filters);
    layout->addWidget(m_toolBar); // its own row: the dock is often narrow, and a toolbar hides what does not fit
    layout->addWidget(m_table, 1);
    layout->addWidget(m_messageBar);

    connect(m_refreshButton, &QPushButton::clicked, this, &HistoryPanel::refresh);
    connect(m_chooseButton, &QPushButton::clicked, this, &HistoryPanel::chooseFile);
    connect(m_modelFilter, &QComboBox::currentIndexChanged, this, &HistoryPanel::refresh);
    connect(m_kindFilter, &QComboBox::currentIndexChanged, this, &HistoryPanel::refresh);
    connect(m_tagFilter, &QLineEdit::editingFinished, this, &HistoryPanel::refresh);
    connect(m_table, &QTableView::customContextMenuRequested, this, &HistoryPanel::showContextMenu);
    connect(m_table, &QTableView::doubleClicked, this, &HistoryPanel::annotateSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HistoryPanel::updateActions);
    connect(m_sorted, &QAbstractItemModel::modelReset, this, &HistoryPanel::updateActions);
    connect(&Settings::instance(), &Settings::historyPathChanged, this, &HistoryPanel::openHistory);
    updateActions();
}

HistoryPanel::~HistoryPanel() = default;

void HistoryPanel::createActions()
{
    auto make = [this](const QKeySequence &key, void (HistoryPanel::*slot)()) {
        auto *a = new QAction(this);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut); // the window's own shortcuts stay the window's
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
        return a;
    };
    m_compareAction = make(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), &HistoryPanel::compareSelected);
    m_rerunAction = make(QKeySequence(Qt::CTRL | Qt::Key_R), &HistoryPanel::rerunSelected);
    m_annotateAction = make(QKeySequence(Qt::Key_F2), &HistoryPanel::annotateSelected);
    m_deleteAction = make(QKeySequence::Delete, &HistoryPanel::deleteSelected);
    m_undoAction = make(QKeySequence::Undo, &HistoryPanel::undoDelete);
    m_exportAction = make(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), &HistoryPanel::exportCsv);
    for (QAction *a : {m_compareAction, m_rerunAction, m_annotateAction, m_deleteAction, m_undoAction, m_exportAction})
        m_toolBar->addAction(a);
}

void HistoryPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        m_model->retranslate();
        refresh(); // the header line and the "All models" entry
    } else if (event->type() == QEvent::FontChange) {
        m_table->resizeColumnsToContents(); // presentation mode: the widths were measured in the old font
    }
    QWidget::changeEvent(event);
}

void HistoryPanel::retranslateUi()
{
    m_tagFilter->setPlaceholderText(tr("Tag"));
    m_modelLabel->setText(tr("Model:"));
    m_kindFilter->setItemText(0, tr("All kinds"));
    m_kindFilter->setItemText(1, tr("Compression"));
    m_kindFilter->setItemText(2, tr("Distillation"));
    m_kindFilter->setItemText(3, tr("Sensitivity"));
    m_kindFilter->setToolTip(tr("Show only experiments of this kind"));
    m_refreshButton->setText(tr("Refresh"));
    m_chooseButton->setText(tr("History File…"));
    m_chooseButton->setToolTip(tr("Use another history file (a new one is created if it does not exist)"));
    m_compareAction->setText(tr("Compare"));
    m_rerunAction->setText(tr("Re-run"));
    m_annotateAction->setText(tr("Tags && Notes…"));
    m_deleteAction->setText(tr("Delete"));
    m_undoAction->setText(tr("Undo Delete"));
    m_exportAction->setText(tr("Export CSV…"));
    m_messageUndo->setText(tr("Undo"));
    updateActions(); // the tooltips
}

void HistoryPanel::openHistory(const QString &path)
{
    m_path = path;
    m_trash->clear(); // deleted experiments of the previous file cannot come back into this one
    m_messageBar->hide();
    m_header->setText(tr("Opening %1…").arg(path.toHtmlEscaped()));
    auto opened = std::make_shared<std::shared_ptr<history::History>>();
    m_job = std::make_unique<Job>(tr("Opening the history"), [opened, path](const ProgressCallback &) {
        *opened = std::make_shared<history::History>(path);
    });
    connect(m_job.get(), &Job::succeeded, this, [this, opened] {
        m_history = *opened;
        refresh();
        Q_EMIT loaded();
    });
    connect(m_job.get(), &Job::failed, this, [this](const QString &reason) {
        m_history.reset();
        m_model->setExperiments({});
        m_header->setText(u"<span style='color:#b02020'>%1</span>"_s.arg(reason.toHtmlEscaped()));
        updateActions();
        Q_EMIT failed(reason);
    });
    m_job->start();
}

history::Filter HistoryPanel::currentFilter() const
{
    history::Filter filter;
    filter.model = m_modelFilter->currentData().toString();
    filter.tag = m_tagFilter->text().trimmed();
    filter.kind = m_kindFilter->currentData().toString();
    filter.limit = kShownExperiments; // the newest; a table of tens of thousands of rows helps nobody
    return filter;
}

void HistoryPanel::refresh()
{
    if (!m_history)
        return;
    const history::Filter filter = currentFilter();
    const QVector<qint64> selected = selectedExperiments();
    try {
        m_model->setExperiments(m_history->list(filter));
        // The model filter offers the models present; rebuilt without re-triggering a refresh.
        QSignalBlocker block(m_modelFilter);
        const QString current = m_modelFilter->currentData().toString();
        m_modelFilter->clear();
        m_modelFilter->addItem(tr("All models"), QString());
        for (const QString &m : m_history->modelNames())
            m_modelFilter->addItem(m, m);
        m_modelFilter->setCurrentIndex(qMax(0, m_modelFilter->findData(current)));
        QString text = tr("<b>Experiment history</b> — %1 — %2 of %3 matching experiments shown")
                           .arg(m_history->path().toHtmlEscaped()).arg(m_model->rowCount()).arg(m_history->count(filter));
        if (m_history->isReadOnly())
            text += tr(" (read-only)");
        for (const QString &n : m_history->notices())
            text += u"<br><span style='color:#996600'>%1</span>"_s.arg(n.toHtmlEscaped());
        m_header->setText(text);
        m_table->resizeColumnsToContents();
    } catch (const UserError &e) {
        m_header->setText(u"<span style='color:#b02020'>%1</span>"_s.arg(e.message().toHtmlEscaped()));
    }
    // The selection survives a refresh where its rows are still listed.
    for (qint64 id : selected) {
        for (int row = 0; row < m_model->rowCount(); ++row) {
            if (m_model->experiment(row).id == id)
                m_table->selectionModel()->select(m_sorted->mapFromSource(m_model->index(row, 0)),
                                                  QItemSelectionModel::Select | QItemSelectionModel::Rows);
        }
    }
    updateActions();
}

void HistoryPanel::chooseFile()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Experiment History File"), m_path, tr("CompressLab history (*.sqlite);;All files (*)"),
                                                      nullptr, QFileDialog::DontConfirmOverwrite);
    if (!path.isEmpty())
        Settings::instance().setHistoryPath(path);
}

bool HistoryPanel::selectExperiment(qint64 id)
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->experiment(row).id == id) {
            const QModelIndex index = m_sorted->mapFromSource(m_model->index(row, 0));
            // Not selectRow(): with a modifier key held it would toggle (extended selection), and this comes from a chart click.
            m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            m_table->scrollTo(index);
            return true;
        }
    }
    return false;
}

QVector<qint64> HistoryPanel::selectedExperiments() const
{
    QModelIndexList rows = m_table->selectionModel() ? m_table->selectionModel()->selectedRows() : QModelIndexList();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QVector<qint64> ids;
    for (const QModelIndex &index : rows)
        ids << m_model->experiment(m_sorted->mapToSource(index).row()).id;
    return ids;
}

qint64 HistoryPanel::selectedExperiment() const
{
    const QVector<qint64> ids = selectedExperiments();
    return ids.isEmpty() ? 0 : ids.first();
}

void HistoryPanel::setOpenModel(const QString &modelPath, const QString &datasetPath)
{
    m_openModelPath = modelPath;
    m_openDatasetPath = datasetPath;
    updateActions();
}

CompareDialog *HistoryPanel::compareDialog() const { return m_compare.data(); }

QString HistoryPanel::message() const { return m_messageBar->isHidden() ? QString() : m_message->toolTip(); } // the tooltip holds it as plain text

void HistoryPanel::showMessage(const QString &text, bool error, bool offerUndo)
{
    m_message->setText(error ? u"<span style='color:#b02020'>%1</span>"_s.arg(text.toHtmlEscaped()) : text.toHtmlEscaped());
    m_message->setToolTip(text);
    m_messageUndo->setVisible(offerUndo);
    m_messageBar->show();
}

QString HistoryPanel::writeRefusal() const
{
    if (!m_history)
        return tr("No history is open.");
    if (m_history->isReadOnly())
        return tr("The history %1 is open read-only.").arg(m_history->path());
    return {};
}

QString HistoryPanel::rerunRefusal() const
{
    const QVector<qint64> ids = selectedExperiments();
    if (ids.size() != 1 || !m_history)
        return tr("Select one compression experiment to re-run it.");
    try {
        QString why = HistoryRerun::refusal(m_history->experiment(ids.first()), m_openModelPath);
        if (why.isEmpty() && m_openDatasetPath.isEmpty())
            why = tr("Choose a dataset first (File ▸ Choose Dataset): a re-run measures the configuration on it.");
        return why;
    } catch (const UserError &e) {
        return e.message();
    }
}

void HistoryPanel::updateActions()
{
    if (!m_compareAction)
        return;
    const qsizetype selected = selectedExperiments().size();
    const QString cannotWrite = writeRefusal();
    m_compareAction->setEnabled(selected >= 2);
    m_compareAction->setToolTip(selected >= 2 ? tr("Show the settings that differ and every metric's change against the first selected")
                                              : tr("Select two or more experiments to compare them"));
    const QString refusal = rerunRefusal();
    m_rerunAction->setEnabled(refusal.isEmpty());
    m_rerunAction->setToolTip(refusal.isEmpty() ? tr("Set the Compression controls to this configuration; it is measured again and "
                                                     "recorded as a new experiment")
                                                : refusal);
    m_annotateAction->setEnabled(selected == 1 && cannotWrite.isEmpty());
    m_annotateAction->setToolTip(!cannotWrite.isEmpty() ? cannotWrite
                                 : selected == 1        ? tr("Edit the tags and notes of the selected experiment")
                                                        : tr("Select one experiment to edit its tags and notes"));
    m_deleteAction->setEnabled(selected >= 1 && cannotWrite.isEmpty());
    m_deleteAction->setToolTip(!cannotWrite.isEmpty() ? cannotWrite
                               : selected >= 1        ? tr("Delete the selected experiments from the history (Undo brings them back)")
                                                      : tr("Select the experiments to delete"));
    m_undoAction->setEnabled(m_trash->canRestore() && cannotWrite.isEmpty());
    m_undoAction->setToolTip(m_trash->canRestore() ? tr("Put back the %n experiment(s) deleted last", nullptr, m_trash->lastBatchSize())
                                                   : tr("Nothing deleted to put back"));
    m_exportAction->setEnabled(m_history && m_model->rowCount() > 0 && !(m_exportJob && m_exportJob->isRunning()));
    m_exportAction->setToolTip(tr("Write the listed experiments (with the filters applied) as a CSV file"));
}

void HistoryPanel::showContextMenu(const QPoint &pos)
{
    QMenu menu(this);
    menu.addAction(m_compareAction);
    menu.addAction(m_rerunAction);
    menu.addSeparator();
    menu.addAction(m_annotateAction);
    menu.addAction(m_deleteAction);
    menu.addAction(m_undoAction);
    menu.addSeparator();
    menu.addAction(m_exportAction);
    menu.setToolTipsVisible(true); // a disabled Re-run says why
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

void HistoryPanel::compareSelected()
{
    const QVector<qint64> ids = selectedExperiments();
    if (!m_history || ids.size() < 2) {
        showMessage(tr("Select two or more experiments to compare them."), true);
        return;
    }
    try {
        const history::Comparison comparison = m_history->compare(ids);
        QStringList titles;
        for (qint64 id : ids) {
            for (int row = 0; row < m_model->rowCount(); ++row) {
                if (m_model->experiment(row).id == id)
                    titles << u"#%1 %2"_s.arg(id).arg(m_model->experiment(row).summary);
            }
        }
        if (m_compare)
            m_compare->close();
        m_compare = new CompareDialog(comparison, titles, this);
        m_compare->setAttribute(Qt::WA_DeleteOnClose);
        m_compare->show();
    } catch (const UserError &e) {
        showMessage(e.message(), true);
    }
}

void HistoryPanel::rerunSelected()
{
    const QString refusal = rerunRefusal();
    if (!refusal.isEmpty()) {
        showMessage(refusal, true);
        return;
    }
    const qint64 id = selectedExperiment();
    try {
        const history::Experiment e = m_history->experiment(id);
        QString text = tr("Experiment %1's configuration is set in the Compression controls; its measurement is recorded as a new experiment.")
                           .arg(id);
        if (e.start.dataset && QFileInfo(e.start.dataset->path).absoluteFilePath() != QFileInfo(m_openDatasetPath).absoluteFilePath())
            text += u' ' + tr("It is measured on %1; the experiment used %2.").arg(QDir::toNativeSeparators(m_openDatasetPath), e.start.dataset->path);
        const QJsonObject config = e.start.config;
        showMessage(text);
        Q_EMIT rerunRequested(config);
    } catch (const UserError &e) {
        showMessage(e.message(), true);
    }
}

void HistoryPanel::annotateSelected()
{
    const QVector<qint64> ids = selectedExperiments();
    if (ids.size() != 1 || !writeRefusal().isEmpty()) {
        showMessage(ids.size() != 1 ? tr("Select one experiment to edit its tags and notes.") : writeRefusal(), true);
        return;
    }
    const qint64 id = ids.first();
    try {
        const history::Experiment e = m_history->experiment(id);
        const HistoryAnnotation current{e.start.tags, e.start.notes};
        const QString title = tr("Experiment %1: %2 on %3").arg(id).arg(e.start.summary, e.start.model.name);
        std::optional<HistoryAnnotation> edited;
        if (m_editAnnotation) {
            edited = m_editAnnotation(title, current);
        } else {
            HistoryAnnotationDialog dialog(title, current, this);
            if (dialog.exec() == QDialog::Accepted)
                edited = dialog.annotation();
        }
        if (!edited)
            return;
        if (edited->tags != current.tags)
            m_history->setTags(id, edited->tags);
        if (edited->notes != current.notes)
            m_history->setNotes(id, edited->notes);
        refresh();
        Q_EMIT experimentsChanged();
    } catch (const UserError &e) {
        showMessage(e.message(), true);
    }
}

void HistoryPanel::deleteSelected()
{
    const QVector<qint64> ids = selectedExperiments();
    if (ids.isEmpty() || !writeRefusal().isEmpty()) {
        showMessage(ids.isEmpty() ? tr("Select the experiments to delete.") : writeRefusal(), true);
        return;
    }
    QString error;
    const int deleted = m_trash->remove(*m_history, ids, &error);
    refresh();
    if (!error.isEmpty())
        showMessage(deleted > 0 ? tr("Deleted %n experiment(s), then stopped: %1", nullptr, deleted).arg(error) : error, true, deleted > 0);
    else
        showMessage(tr("Deleted %n experiment(s).", nullptr, deleted), false, true);
    if (deleted > 0)
        Q_EMIT experimentsChanged();
}

void HistoryPanel::undoDelete()
{
    if (!m_trash->canRestore() || !writeRefusal().isEmpty()) {
        showMessage(m_trash->canRestore() ? writeRefusal() : tr("Nothing deleted to put back."), true);
        return;
    }
    QString error;
    const QVector<qint64> restored = m_trash->restoreLast(*m_history, &error);
    refresh();
    QStringList numbers;
    for (qint64 id : restored)
        numbers << u"#%1"_s.arg(id);
    if (!error.isEmpty())
        showMessage(tr("Could not put every experiment back: %1").arg(error), true, true);
    else
        showMessage(tr("Put back %n experiment(s) with all their data, as %1 (the history gives them new numbers; their uuids are unchanged).",
                       nullptr, int(restored.size()))
                        .arg(numbers.join(u", "_s)));
    for (qint64 id : restored) {
        for (int row = 0; row < m_model->rowCount(); ++row) {
            if (m_model->experiment(row).id == id)
                m_table->selectionModel()->select(m_sorted->mapFromSource(m_model->index(row, 0)),
                                                  QItemSelectionModel::Select | QItemSelectionModel::Rows);
        }
    }
    if (!restored.isEmpty())
        Q_EMIT experimentsChanged();
}

void HistoryPanel::exportCsv()
{
    if (!m_history || m_model->rowCount() == 0) {
        showMessage(tr("No experiments are listed to export."), true);
        return;
    }
    const QString suggested = QDir(Settings::instance().lastDirectory()).filePath(u"history.csv"_s);
    const QString path = m_chooseCsvPath ? m_chooseCsvPath(suggested)
                                         : QFileDialog::getSaveFileName(this, tr("Export the Listed Experiments"), suggested,
                                                                        tr("CSV files (*.csv);;All files (*)"));
    if (path.isEmpty())
        return;
    // On a worker with its own read-only connection: reading 1,000 experiments whole takes about 0.4 s. The same
    // filter (and limit) as the list, so the file holds exactly the listed rows, newest first.
    const history::Filter filter = currentFilter();
    const QString historyPath = m_history->path();
    auto rows = std::make_shared<int>(0);
    m_exportJob = std::make_unique<Job>(tr("Exporting the history"), [historyPath, filter, path, rows](const ProgressCallback &) {
        history::OpenOptions readOnly;
        readOnly.readOnly = true;
        const history::History history(historyPath, readOnly);
        *rows = int(history.count(filter));
        const QByteArray csv = history::exportCsv(history, filter);
        writeAtomically(path, [&csv](const QString &temp) {
            QFile f(temp);
            if (!f.open(QIODevice::WriteOnly) || f.write(csv) != csv.size() || !f.flush())
                throw UserError(tr("cannot write %1: %2").arg(temp, f.errorString()));
        }, {historyPath});
    });
    connect(m_exportJob.get(), &Job::succeeded, this, [this, path, rows] {
        showMessage(tr("Wrote %n experiment(s) to %1.", nullptr, qMin(*rows, kShownExperiments)).arg(QDir::toNativeSeparators(path)));
    });
    connect(m_exportJob.get(), &Job::failed, this, [this](const QString &reason) { showMessage(reason, true); });
    connect(m_exportJob.get(), &Job::finished, this, &HistoryPanel::updateActions);
    showMessage(tr("Writing %1…").arg(QDir::toNativeSeparators(path)));
    m_exportJob->start();
    updateActions();
}

} // namespace compresslab
