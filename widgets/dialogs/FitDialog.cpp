#include "dialogs/FitDialog.h"
#include "CoreText.h"

#include "Settings.h"
#include "analysis/FitPlanJson.h"
#include "device/DeviceCatalog.h"
#include "host/ModelHostClient.h"
#include "jobs/Job.h"
#include "model/ModelSummary.h"
#include "panels/TunePanel.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace compresslab {

FitDialog::FitDialog(const QString &modelPath, const QString &datasetPath, TunePanel *tune, QWidget *parent)
    : QDialog(parent), m_modelPath(modelPath), m_datasetPath(datasetPath), m_tune(tune), m_host(std::make_shared<ModelHostClient>())
{
    setWindowTitle(tr("Fit to Device"));
    auto *intro = new QLabel(tr("Plans a bit width and a pruning ratio for every layer so that the model fits the budgets with the "
                                "least predicted change of its output, from each layer's measured sensitivity; then measures the "
                                "plan, and uniform quantization of the same size, on the dataset."));
    intro->setWordWrap(true);

    m_device = new QComboBox;
    const DeviceCatalog catalog = DeviceCatalog::load();
    for (const DeviceProfile &d : catalog.profiles())
        m_device->addItem(d.name);
    const int last = m_device->findText(Settings::instance().lastDevice());
    m_device->setCurrentIndex(last >= 0 ? last : 0);
    m_device->setToolTip(tr("The device the plan is for: its memory bounds the weights, and latency is estimated on it."));

    m_byUniform = new QRadioButton(tr("The size of uniform quantization at"));
    m_uniformBits = new QSpinBox;
    m_uniformBits->setRange(2, 8);
    m_uniformBits->setValue(4);
    m_uniformBits->setSuffix(tr(" bits"));
    m_byMemory = new QRadioButton(tr("At most"));
    m_memoryMb = new QDoubleSpinBox;
    m_memoryMb->setRange(0.001, 1e6);
    m_memoryMb->setDecimals(3);
    m_memoryMb->setValue(1);
    m_memoryMb->setSuffix(tr(" MB of weights"));
    m_byDevice = new QRadioButton(tr("What the device's memory leaves after the activations"));
    auto *budgetGroup = new QButtonGroup(this);
    for (QRadioButton *b : {m_byUniform, m_byMemory, m_byDevice})
        budgetGroup->addButton(b);
    m_byUniform->setChecked(true);
    m_byUniform->setToolTip(tr("Compare like with like: the plan gets exactly the bytes uniform per-channel quantization at these bits "
                               "takes, and both are measured."));
    auto *uniformRow = new QHBoxLayout;
    uniformRow->addWidget(m_byUniform);
    uniformRow->addWidget(m_uniformBits);
    uniformRow->addStretch();
    auto *memoryRow = new QHBoxLayout;
    memoryRow->addWidget(m_byMemory);
    memoryRow->addWidget(m_memoryMb);
    memoryRow->addStretch();

    m_limitLatency = new QCheckBox(tr("Latency at most"));
    m_latencyMs = new QDoubleSpinBox;
    m_latencyMs->setRange(0.001, 1e6);
    m_latencyMs->setValue(10);
    m_latencyMs->setSuffix(tr(" ms (estimated on the device)"));
    m_limitLoss = new QCheckBox(tr("Metric loss at most"));
    m_loss = new QDoubleSpinBox;
    m_loss->setRange(0, 1e6);
    m_loss->setDecimals(3);
    m_loss->setValue(0.5);
    m_loss->setToolTip(tr("In the metric's own units: accuracy points, or perplexity. Checked by measuring the plan."));
    auto *latencyRow = new QHBoxLayout;
    latencyRow->addWidget(m_limitLatency);
    latencyRow->addWidget(m_latencyMs);
    latencyRow->addStretch();
    auto *lossRow = new QHBoxLayout;
    lossRow->addWidget(m_limitLoss);
    lossRow->addWidget(m_loss);
    lossRow->addStretch();
    m_pruning = new QCheckBox(tr("Let layers be pruned (50 % or 75 % of their weights, by magnitude)"));
    m_pruning->setChecked(true);
    m_pruning->setToolTip(tr("A pruned layer is stored with a bitmap of its kept weights: it pays where a layer holds most of the "
                             "model's bytes."));
    m_samples = new QSpinBox;
    m_samples->setRange(1, 100000);
    m_samples->setValue(128);
    m_samples->setToolTip(tr("Samples of the dataset on which each layer's sensitivity is measured (cached per model)."));

    auto *form = new QFormLayout;
    form->addRow(tr("Device:"), m_device);
    form->addRow(tr("Weights budget:"), uniformRow);
    form->addRow(QString(), memoryRow);
    form->addRow(QString(), m_byDevice);
    form->addRow(tr("Also:"), latencyRow);
    form->addRow(QString(), lossRow);
    form->addRow(QString(), m_pruning);
    form->addRow(tr("Sensitivity samples:"), m_samples);

    m_progress = new QProgressBar;
    m_progress->setVisible(false);
    m_summary = new QLabel(tr("Not planned yet."));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_layers = new QTableWidget(0, 3);
    m_layers->setHorizontalHeaderLabels({tr("Layer"), tr("Bits"), tr("Pruned")});
    m_layers->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_layers->verticalHeader()->setVisible(false);
    m_layers->setEditTriggers(QAbstractItemView::NoEditTriggers);

    m_run = new QPushButton(tr("Plan and Measure"));
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setEnabled(false);
    m_apply = new QPushButton(tr("Apply to the Controls"));
    m_apply->setEnabled(false);
    m_apply->setToolTip(tr("Sets the Compression controls to int8 per channel and each layer's width and ratio as an override "
                           "(Model panel); the live measurement records it in the history."));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(m_run, QDialogButtonBox::ActionRole);
    buttons->addButton(m_cancel, QDialogButtonBox::ActionRole);
    buttons->addButton(m_apply, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &FitDialog::reject);
    connect(m_run, &QPushButton::clicked, this, &FitDialog::run);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_job)
            m_job->cancel();
    });
    connect(m_apply, &QPushButton::clicked, this, &FitDialog::apply);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_summary);
    layout->addWidget(m_layers, 1);
    layout->addWidget(buttons);
    resize(640, 720);
}

FitDialog::~FitDialog()
{
    delete m_job; // cancels and waits: the work reads this dialog's parameters by value only, but the result slot is ours
}

FitParams FitDialog::params() const
{
    FitParams p;
    p.modelPath = m_modelPath;
    p.dataPath = m_datasetPath;
    p.device = DeviceCatalog::load().find(m_device->currentText());
    if (m_byUniform->isChecked())
        p.matchUniformBits = m_uniformBits->value();
    else if (m_byMemory->isChecked())
        p.maxWeightBytes = m_memoryMb->value() * 1e6;
    if (m_limitLatency->isChecked())
        p.maxLatencyMs = m_latencyMs->value();
    if (m_limitLoss->isChecked())
        p.maxLoss = m_loss->value();
    if (!m_pruning->isChecked())
        p.sparsities.clear();
    p.sensitivitySamples = m_samples->value();
    return p;
}

void FitDialog::setHost(std::shared_ptr<ModelHostClient> host)
{
    m_host = std::move(host);
}

void FitDialog::run()
{
    if (m_job)
        return;
    FitParams p;
    try {
        p = params();
    } catch (const std::exception &e) { // an unknown device name: the catalog says which
        m_summary->setText(QString::fromLocal8Bit(e.what()));
        return;
    }
    auto result = std::make_shared<FitResult>();
    QJsonObject request = ModelHostClient::request(u"fit"_s, p.modelPath);
    request.insert(u"params"_s, toJson(p));
    auto *job = new Job(tr("Fitting to %1").arg(p.device.name), [host = m_host, request, result](const ProgressCallback &progress) {
        *result = fitResultFromJson(host->call(request, progress));
    }, this);
    m_job = job;
    connect(job, &Job::progressChanged, this, [this](qint64 done, qint64 total) {
        m_progress->setRange(0, int(total));
        m_progress->setValue(int(done));
    });
    connect(job, &Job::succeeded, this, [this, result] {
        m_result = result;
        showResult(*result);
        Q_EMIT planned();
    });
    connect(job, &Job::failed, this, [this](const QString &reason) {
        m_summary->setText(tr("Could not plan: %1").arg(reason));
        Q_EMIT failed(reason);
    });
    connect(job, &Job::cancelled, this, [this] {
        m_summary->setText(tr("Cancelled."));
        Q_EMIT failed(tr("cancelled"));
    });
    connect(job, &Job::finished, this, [this, job] {
        setRunning(false);
        job->deleteLater();
    });
    m_summary->setText(tr("Measuring each layer's sensitivity, planning, then measuring the plan…"));
    setRunning(true);
    job->start();
}

void FitDialog::setRunning(bool running)
{
    m_run->setEnabled(!running);
    m_cancel->setEnabled(running);
    m_apply->setEnabled(!running && m_result && m_tune);
    m_progress->setVisible(running);
    m_progress->setRange(0, 0);
}

void FitDialog::showResult(const FitResult &r)
{
    auto outcome = [&](const QString &name, const FitOutcome &o) {
        return tr("<b>%1</b>: %2 of weights (exact), %3 ms (estimated), %4 %5 (measured; %6 worse than the original)")
            .arg(name, formatBytes(qint64(o.weightBytes)))
            .arg(o.latencyMs, 0, 'f', 3)
            .arg(displayMetric(r.metricLabel))
            .arg(o.measuredMetric, 0, 'f', 3)
            .arg(o.measuredLoss, 0, 'f', 3);
    };
    QStringList lines;
    lines << tr("Budget: %1 of weights on %2; %3 %4 before compression (measured).")
                 .arg(formatBytes(qint64(r.budgetBytes)), m_device->currentText(), displayMetric(r.metricLabel))
                 .arg(r.baselineMetric, 0, 'f', 3);
    lines << outcome(tr("Plan"), r.plan);
    if (r.uniform)
        lines << outcome(tr("Uniform"), *r.uniform);
    for (const QString &problem : r.problems)
        lines << u"<span style='color:#b00020'>%1</span>"_s.arg(tr("Not met: %1").arg(problem.toHtmlEscaped()));
    m_summary->setText(lines.join(u"<br>"_s));

    m_layers->setRowCount(0);
    for (auto it = r.plan.bitsPerLayer.begin(); it != r.plan.bitsPerLayer.end(); ++it) {
        const int row = m_layers->rowCount();
        m_layers->insertRow(row);
        const double pruned = r.plan.sparsityPerLayer.value(it.key());
        m_layers->setItem(row, 0, new QTableWidgetItem(it.key()));
        m_layers->setItem(row, 1, new QTableWidgetItem(QString::number(it.value())));
        m_layers->setItem(row, 2, new QTableWidgetItem(pruned > 0 ? u"%1 %"_s.arg(pruned * 100, 0, 'g', 3) : tr("dense")));
    }
    m_layers->resizeColumnsToContents();
    m_layers->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
}

void FitDialog::apply()
{
    if (!m_result || !m_tune)
        return;
    QJsonObject base = m_result->plan.config;
    const QJsonObject layers = base.take(u"layers"_s).toObject();
    base.remove(u"prune"_s); // at 0 it is there only to carry the per-layer ratios; the controls add it back for them
    if (m_tune->setConfigJson(base))
        m_tune->setLayerOverrides(layers);
}

void FitDialog::reject()
{
    if (m_job)
        m_job->cancel();
    QDialog::reject();
}

} // namespace compresslab
