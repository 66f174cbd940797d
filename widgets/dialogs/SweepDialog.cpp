#include "dialogs/SweepDialog.h"
#include "CoreText.h"

#include "Settings.h"
#include "common/UserError.h"
#include "experiment/Sweep.h"
#include "experiment/SweepJson.h"
#include "host/ModelHostClient.h"
#include "jobs/Job.h"
#include "model/ModelSummary.h"
#include "panels/TunePanel.h"
#include "report/FromJson.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <memory>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

QString metricText(double value, const QString &unit)
{
    const QString number = QLocale().toString(value, 'f', 2);
    return unit.isEmpty() ? number : number + u' ' + unit;
}

} // namespace

SweepDialog::SweepDialog(const QString &modelPath, const QString &datasetPath, TunePanel *tune, QWidget *parent)
    : QDialog(parent), m_modelPath(modelPath), m_datasetPath(datasetPath), m_host(std::make_shared<ModelHostClient>()), m_tune(tune)
{
    setWindowTitle(tr("Sweep"));
    auto *intro = new QLabel(tr("Compresses and evaluates every combination of the ticked bit widths and pruning ratios on the "
                                "dataset, and records each in the experiment history with the tag \"sweep\"; the trade-off "
                                "chart shows them as they finish."));
    intro->setWordWrap(true);

    auto *bitsRow = new QHBoxLayout;
    for (const QString &bits : {u"2"_s, u"3"_s, u"4"_s, u"5"_s, u"6"_s, u"8"_s, u"fp16"_s}) {
        auto *box = new QCheckBox(bits == "fp16"_L1 ? tr("fp16") : tr("%1 bits").arg(bits));
        box->setProperty("bits", bits);
        box->setChecked(bits == "4"_L1 || bits == "8"_L1);
        bitsRow->addWidget(box);
        m_bits << box;
    }
    bitsRow->addStretch();
    auto *pruningRow = new QHBoxLayout;
    for (int percent : {0, 25, 50, 75}) {
        auto *box = new QCheckBox(tr("%1 %").arg(percent));
        box->setProperty("percent", percent);
        box->setChecked(percent == 0 || percent == 50);
        pruningRow->addWidget(box);
        m_pruning << box;
    }
    pruningRow->addStretch();
    const bool controlsSet = m_tune && !m_tune->configJson().isEmpty();
    m_fromControls = new QCheckBox(tr("Start from the Compression controls' configuration"));
    m_fromControls->setEnabled(controlsSet);
    m_fromControls->setToolTip(controlsSet ? tr("Every configuration takes the controls' settings (granularity, method, per-layer "
                                                "overrides…) and varies only the ticked bit widths and pruning ratios.")
                                           : tr("The Compression controls have every method off."));
    m_count = new QLabel;

    auto *form = new QFormLayout;
    form->addRow(tr("Bit widths:"), bitsRow);
    form->addRow(tr("Pruning ratios:"), pruningRow);
    form->addRow(QString(), m_fromControls);
    form->addRow(QString(), m_count);

    m_original = new QLabel;
    m_original->setWordWrap(true);
    m_progress = new QProgressBar;
    m_progress->setVisible(false);
    m_status = new QLabel;
    m_status->setWordWrap(true);
    m_results = new QTableWidget(0, 3);
    m_results->setHorizontalHeaderLabels({tr("Configuration"), tr("Size (exact)"), tr("Quality (measured)")});
    m_results->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_results->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_results->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_results->verticalHeader()->setVisible(false);
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->setSelectionBehavior(QAbstractItemView::SelectRows);

    auto *buttons = new QDialogButtonBox;
    m_run = buttons->addButton(tr("&Run"), QDialogButtonBox::ActionRole);
    m_cancel = buttons->addButton(tr("&Cancel"), QDialogButtonBox::ActionRole);
    m_cancel->setToolTip(tr("Stop after the configuration under way; it is still recorded"));
    m_close = buttons->addButton(QDialogButtonBox::Close);
    m_close->setText(tr("Close"));
    connect(m_run, &QPushButton::clicked, this, &SweepDialog::run);
    connect(m_cancel, &QPushButton::clicked, this, &SweepDialog::cancel);
    connect(buttons, &QDialogButtonBox::rejected, this, &SweepDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_original);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_results, 1);
    layout->addWidget(buttons);

    for (QCheckBox *box : m_bits + m_pruning + QList<QCheckBox *>{m_fromControls})
        connect(box, &QCheckBox::toggled, this, &SweepDialog::updateCount);
    setRunning(false);
    updateCount();
    resize(720, 560);
}

SweepDialog::~SweepDialog()
{
    delete m_job; // cancels and waits for the configuration under way: its results would come back to this dialog
}

QJsonObject SweepDialog::grid() const
{
    QJsonArray bits, sparsities;
    for (const QCheckBox *box : m_bits) {
        if (box->isChecked()) {
            const QString b = box->property("bits").toString();
            bits.append(b == "fp16"_L1 ? QJsonValue(b) : QJsonValue(b.toInt()));
        }
    }
    for (const QCheckBox *box : m_pruning) {
        if (box->isChecked())
            sparsities.append(box->property("percent").toInt() / 100.0);
    }
    QJsonObject vary;
    if (!bits.isEmpty())
        vary.insert(u"quantize.bits"_s, bits);
    if (!sparsities.isEmpty())
        vary.insert(u"prune.sparsity"_s, sparsities);
    if (vary.isEmpty())
        return {};
    const QJsonObject base = m_fromControls->isChecked() && m_tune ? m_tune->configJson() : QJsonObject();
    return QJsonObject{{u"base"_s, base}, {u"vary"_s, vary}};
}

int SweepDialog::configurationCount() const
{
    const QJsonObject vary = grid().value("vary"_L1).toObject();
    if (vary.isEmpty())
        return 0;
    int n = 1;
    for (auto it = vary.begin(); it != vary.end(); ++it)
        n *= int(it.value().toArray().size());
    return n;
}

bool SweepDialog::setBitsTicked(const QString &bits, bool on)
{
    for (QCheckBox *box : m_bits) {
        if (box->property("bits").toString() == bits) {
            box->setChecked(on);
            return true;
        }
    }
    return false;
}

bool SweepDialog::setPruningTicked(int percent, bool on)
{
    for (QCheckBox *box : m_pruning) {
        if (box->property("percent").toInt() == percent) {
            box->setChecked(on);
            return true;
        }
    }
    return false;
}

void SweepDialog::updateCount()
{
    const int n = configurationCount();
    m_count->setText(n ? tr("%1 configurations, each compressed, evaluated on the dataset and recorded").arg(n)
                       : tr("Tick at least one bit width or pruning ratio"));
    setRunning(m_job && m_job->isRunning());
}

void SweepDialog::setRunning(bool running)
{
    m_run->setEnabled(!running && configurationCount() > 0);
    m_cancel->setEnabled(running);
    for (QCheckBox *box : m_bits + m_pruning)
        box->setEnabled(!running);
    m_fromControls->setEnabled(!running && m_tune && !m_tune->configJson().isEmpty());
    m_progress->setVisible(running);
}

void SweepDialog::run()
{
    if (m_job && m_job->isRunning())
        return;
    QVector<CompressionConfig> configs;
    try {
        configs = sweepConfigurations(grid()); // every configuration checked before any work
    } catch (const UserError &e) {
        m_status->setText(e.message());
        Q_EMIT sweepFinished();
        return;
    }
    m_results->setRowCount(0);
    m_original->clear();
    m_metricKey.clear();
    m_swept = 0;
    m_progress->setRange(0, int(configs.size()));
    m_progress->setValue(0);
    m_status->setText(tr("Measuring the original, then %1 configurations…").arg(configs.size()));

    const QString modelPath = m_modelPath, datasetPath = m_datasetPath;
    const QString historyPath = Settings::instance().historyPath();
    auto problem = std::make_shared<QString>();
    const qsizetype count = configs.size();
    QJsonArray configJson;
    for (const CompressionConfig &c : configs)
        configJson.push_back(toJson(c));
    QJsonObject request = ModelHostClient::request(u"sweep"_s, modelPath);
    request.insert(u"data"_s, datasetPath);
    request.insert(u"configs"_s, configJson);
    request.insert(u"history"_s, historyPath);
    request.insert(u"tags"_s, QJsonArray{u"sweep"_s});
    // The sweep runs in the model host; its rows arrive as events, passed to the dialog on the GUI thread (the
    // dialog waits for this job before it goes).
    auto *job = new Job(tr("Sweeping %1 configurations").arg(count), [this, host = m_host, request, problem](const ProgressCallback &progress) {
        const QJsonObject result = host->call(request, progress, [this](const QJsonObject &event) {
            if (event.contains(u"original"_s)) {
                const EvalResult original = evalResultFromJson(event.value(u"original"_s).toObject());
                QMetaObject::invokeMethod(this, [this, original] { showOriginal(original); }, Qt::QueuedConnection);
            } else if (event.contains(u"entry"_s)) {
                const SweepEntry entry = sweepEntryFromJson(event.value(u"entry"_s).toObject());
                QMetaObject::invokeMethod(this, [this, entry] { addEntry(entry); }, Qt::QueuedConnection);
            }
        });
        *problem = result.value(u"history_problem"_s).toString();
    }, this);
    m_job = job;
    connect(job, &Job::progressChanged, this, [this](qint64 done, qint64 total) {
        m_progress->setMaximum(int(total));
        m_progress->setValue(int(done));
    });
    connect(job, &Job::succeeded, this, [this, problem] {
        QString text = tr("%1 configurations measured and recorded in the history with the tag \"sweep\"").arg(m_swept);
        if (!problem->isEmpty())
            text = tr("%1 configurations measured; not recorded in the history: %2").arg(m_swept).arg(*problem);
        m_status->setText(text);
    });
    connect(job, &Job::cancelled, this, [this, count] {
        m_status->setText(tr("Cancelled after %1 of %2 configurations (each one finished is recorded)").arg(m_swept).arg(count));
    });
    connect(job, &Job::failed, this, [this](const QString &reason) { m_status->setText(reason); });
    connect(job, &Job::finished, this, [this, job] {
        job->deleteLater();
        setRunning(false);
        Q_EMIT sweepFinished();
    });
    job->start();
    setRunning(true);
}

void SweepDialog::setHost(std::shared_ptr<ModelHostClient> host)
{
    m_host = std::move(host);
}

void SweepDialog::cancel()
{
    if (!m_job || !m_job->isRunning())
        return;
    m_job->cancel();
    m_cancel->setEnabled(false);
    m_status->setText(tr("Stopping after the configuration under way…"));
}

void SweepDialog::reject()
{
    cancel();
    QDialog::reject();
}

void SweepDialog::showOriginal(const EvalResult &original)
{
    const Metric *m = original.headline();
    if (!m)
        return;
    m_metricKey = m->key;
    m_originalValue = m->value;
    m_higherIsBetter = m->higherIsBetter;
    m_results->setHorizontalHeaderItem(2, new QTableWidgetItem(tr("%1 (measured)").arg(displayMetric(m->label))));
    m_original->setText(tr("Uncompressed: %1 %2 on %3 samples (measured)").arg(displayMetric(m->label), metricText(m->value, m->unit)).arg(original.samples));
}

void SweepDialog::addEntry(const SweepEntry &entry)
{
    const int row = m_results->rowCount();
    m_results->insertRow(row);
    auto *config = new QTableWidgetItem(entry.config.describe());
    config->setToolTip(entry.experimentId ? tr("Experiment %1 in the history").arg(entry.experimentId) : QString());
    m_results->setItem(row, 0, config);
    if (entry.error.isEmpty()) {
        auto *size = new QTableWidgetItem(tr("%1 (%2× smaller)").arg(formatBytes(entry.report->deployedBytes))
                                              .arg(QLocale().toString(entry.report->reduction(), 'f', 1)));
        size->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_results->setItem(row, 1, size);
        const Metric *m = entry.after->find(m_metricKey);
        if (!m)
            m = entry.after->headline();
        QString text;
        if (m) {
            const double delta = m->value - m_originalValue;
            text = tr("%1 (%2%3)").arg(metricText(m->value, m->unit), delta >= 0 ? u"+"_s : QString(), QLocale().toString(delta, 'f', 2));
        }
        auto *quality = new QTableWidgetItem(text);
        quality->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_results->setItem(row, 2, quality);
    } else {
        m_results->setItem(row, 1, new QTableWidgetItem(tr("failed")));
        auto *reason = new QTableWidgetItem(entry.error);
        reason->setToolTip(entry.error);
        m_results->setItem(row, 2, reason);
    }
    ++m_swept;
    m_status->setText(tr("%1 of %2 configurations measured").arg(m_swept).arg(entry.count));
    Q_EMIT configurationFinished(row);
    if (entry.experimentId)
        Q_EMIT recorded(entry.experimentId);
}

} // namespace compresslab
