#include "panels/HistoryPanel.h"

#include "Settings.h"
#include "common/UserError.h"
#include "history/History.h"
#include "jobs/Job.h"
#include "panels/HistoryTableModel.h"

#include <QComboBox>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {
constexpr int kShownExperiments = 1000;
}

HistoryPanel::HistoryPanel(QWidget *parent)
    : QWidget(parent), m_model(new HistoryTableModel(this)), m_table(new QTableView), m_header(new QLabel), m_modelFilter(new QComboBox),
      m_tagFilter(new QLineEdit), m_modelLabel(new QLabel), m_refreshButton(new QPushButton), m_chooseButton(new QPushButton)
{
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_modelFilter->setMinimumContentsLength(14);
    m_modelFilter->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_tagFilter->setClearButtonEnabled(true);
    m_modelLabel->setBuddy(m_modelFilter);
    retranslateUi();

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_modelLabel);
    filters->addWidget(m_modelFilter);
    filters->addWidget(m_tagFilter);
    filters->addStretch(1);
    filters->addWidget(m_refreshButton);
    filters->addWidget(m_chooseButton);

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSortingEnabled(false); // the history sorts: newest first
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_header);
    layout->addLayout(filters);
    layout->addWidget(m_table, 1);

    connect(m_refreshButton, &QPushButton::clicked, this, &HistoryPanel::refresh);
    connect(m_chooseButton, &QPushButton::clicked, this, &HistoryPanel::chooseFile);
    connect(m_modelFilter, &QComboBox::currentIndexChanged, this, &HistoryPanel::refresh);
    connect(m_tagFilter, &QLineEdit::editingFinished, this, &HistoryPanel::refresh);
    connect(&Settings::instance(), &Settings::historyPathChanged, this, &HistoryPanel::openHistory);
}

HistoryPanel::~HistoryPanel() = default;

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
    m_refreshButton->setText(tr("Refresh"));
    m_chooseButton->setText(tr("History File…"));
    m_chooseButton->setToolTip(tr("Use another history file (a new one is created if it does not exist)"));
}

void HistoryPanel::openHistory(const QString &path)
{
    m_path = path;
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
        Q_EMIT failed(reason);
    });
    m_job->start();
}

void HistoryPanel::refresh()
{
    if (!m_history)
        return;
    history::Filter filter;
    filter.model = m_modelFilter->currentData().toString();
    filter.tag = m_tagFilter->text().trimmed();
    filter.limit = kShownExperiments; // the newest; a table of tens of thousands of rows helps nobody
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
            m_table->selectRow(row);
            m_table->scrollTo(m_model->index(row, 0));
            return true;
        }
    }
    return false;
}

qint64 HistoryPanel::selectedExperiment() const
{
    const QModelIndexList rows = m_table->selectionModel() ? m_table->selectionModel()->selectedRows() : QModelIndexList();
    return rows.isEmpty() ? 0 : m_model->experiment(rows.first().row()).id;
}

} // namespace compresslab
