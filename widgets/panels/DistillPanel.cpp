#include "panels/DistillPanel.h"
#include "CoreText.h"

#include "Settings.h"
#include "charts/DistillCurvesChart.h"
#include "common/UserError.h"
#include "experiment/DistillRun.h"
#include "experiment/DistillRunJson.h"
#include "host/ModelHostClient.h"
#include "jobs/Job.h"
#include "model/ModelSummary.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <atomic>
#include <cmath>

using namespace Qt::StringLiterals;

namespace compresslab {

namespace {

QWidget *withButton(QLineEdit *edit, QPushButton *button)
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    layout->addWidget(button);
    return row;
}

} // namespace

DistillPanel::DistillPanel(QWidget *parent)
    : QWidget(parent), m_studentKind(new QComboBox), m_studentFile(new QLineEdit), m_studentBrowse(new QPushButton),
      m_bits(new QComboBox), m_sparsity(new QDoubleSpinBox), m_trainPath(new QLineEdit), m_trainBrowse(new QPushButton),
      m_temperature(new QDoubleSpinBox), m_alpha(new QDoubleSpinBox), m_steps(new QSpinBox), m_batch(new QSpinBox), m_lr(new QLineEdit),
      m_evalEvery(new QSpinBox), m_optimizer(new QComboBox), m_learnScales(new QCheckBox), m_keepOnCancel(new QCheckBox),
      m_startButton(new QPushButton), m_cancelButton(new QPushButton), m_progress(new QProgressBar), m_stage(new QLabel),
      m_result(new QLabel), m_chart(new DistillCurvesChart), m_form(new QFormLayout)
{
    m_host = std::make_shared<ModelHostClient>();
    m_startButton->setObjectName(u"distillStartButton"_s);
    m_studentKind->addItems({QString(), QString()}); // "this model, compressed" and "another file": texts in retranslateUi()
    connect(m_studentBrowse, &QPushButton::clicked, this, &DistillPanel::chooseStudentFile);
    m_bits->addItem(QString(), 0);
    for (int b : {8, 6, 5, 4, 3, 2})
        m_bits->addItem(QString(), b);
    m_bits->setCurrentIndex(m_bits->findData(4));
    m_sparsity->setRange(0, 0.95);
    m_sparsity->setSingleStep(0.05);
    connect(m_trainBrowse, &QPushButton::clicked, this, &DistillPanel::chooseTrainingSet);
    m_temperature->setRange(0.05, 100);
    m_temperature->setValue(2);
    m_alpha->setRange(0, 1);
    m_alpha->setSingleStep(0.1);
    m_alpha->setValue(0.5);
    m_steps->setRange(1, 1000000);
    m_steps->setValue(200);
    m_batch->setRange(1, 4096);
    m_batch->setValue(32);
    m_lr->setText(u"0.001"_s);
    m_evalEvery->setRange(0, 1000000);
    m_evalEvery->setValue(50);
    m_optimizer->addItems({u"AdamW"_s, u"Adam"_s, u"SGD"_s}); // names, not words: also what the settings JSON stores
    m_keepOnCancel->setChecked(true);
    connect(m_startButton, &QPushButton::clicked, this, &DistillPanel::start);
    connect(m_cancelButton, &QPushButton::clicked, this, &DistillPanel::cancel);
    connect(m_studentKind, &QComboBox::currentIndexChanged, this, &DistillPanel::updateState);
    m_result->setWordWrap(true);
    // The dock's width must not follow the longest item (German ones are longer); the pop-ups still show them whole.
    for (QComboBox *c : {m_studentKind, m_bits, m_optimizer}) {
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(12);
    }
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress->setVisible(false);

    // Row labels come from retranslateUi(), which finds them by their field.
    auto addLabelledRow = [this](QWidget *field) {
        auto *label = new QLabel;
        label->setBuddy(field);
        m_form->addRow(label, field);
    };
    for (QWidget *field : std::initializer_list<QWidget *>{m_studentKind, withButton(m_studentFile, m_studentBrowse), m_bits, m_sparsity,
                                                           withButton(m_trainPath, m_trainBrowse), m_temperature, m_alpha, m_steps,
                                                           m_batch, m_lr, m_evalEvery, m_optimizer})
        addLabelledRow(field);
    m_form->addRow(QString(), m_learnScales);
    m_form->addRow(QString(), m_keepOnCancel);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_startButton);
    buttons->addWidget(m_cancelButton);
    buttons->addWidget(m_progress, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addLayout(buttons);
    layout->addWidget(m_stage);
    layout->addWidget(m_chart, 1);
    layout->addWidget(m_result);
    retranslateUi();
}

void DistillPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void DistillPanel::retranslateUi()
{
    auto setRowLabel = [this](QWidget *field, const QString &text) {
        if (auto *label = qobject_cast<QLabel *>(m_form->labelForField(field)))
            label->setText(text);
    };
    setRowLabel(m_studentKind, tr("Student:"));
    setRowLabel(m_studentFile->parentWidget(), tr("Student file:"));
    setRowLabel(m_bits, tr("Quantize to:"));
    setRowLabel(m_sparsity, tr("Prune:"));
    setRowLabel(m_trainPath->parentWidget(), tr("Training set:"));
    setRowLabel(m_temperature, tr("Temperature:"));
    setRowLabel(m_alpha, tr("Soft-target weight α:"));
    setRowLabel(m_steps, tr("Steps:"));
    setRowLabel(m_batch, tr("Batch size:"));
    setRowLabel(m_lr, tr("Learning rate:"));
    setRowLabel(m_evalEvery, tr("Evaluate every:"));
    setRowLabel(m_optimizer, tr("Optimizer:"));

    m_studentKind->setItemText(0, tr("This model, compressed"));
    m_studentKind->setItemText(1, tr("Another model file"));
    m_studentKind->setToolTip(tr("The student learns to imitate this model (the teacher). It is either this model after "
                                 "compression, or a smaller network you exported with the same inputs and outputs."));
    m_studentFile->setPlaceholderText(tr("TorchScript file (.pt)"));
    m_studentFile->setToolTip(tr("A TorchScript student whose output has the teacher's shape."));
    m_studentBrowse->setText(tr("Browse…"));
    m_trainBrowse->setText(tr("Browse…"));
    for (int i = 0; i < m_bits->count(); ++i) {
        const int bits = m_bits->itemData(i).toInt();
        m_bits->setItemText(i, bits == 0 ? tr("none") : tr("%1 bits").arg(bits));
    }
    m_bits->setToolTip(tr("Weights are rounded to this many bits (per output channel). Training keeps them on that grid: "
                          "the optimizer moves a float copy and every forward pass rounds it again."));
    m_sparsity->setToolTip(tr("Fraction of the smallest weights set to zero before training. Pruned weights stay zero "
                              "while the student learns."));
    m_trainPath->setPlaceholderText(tr("training set (.safetensors)"));
    m_trainPath->setToolTip(tr("The examples the student trains on. Zoo models ship theirs as train.safetensors; it must not be "
                               "the evaluation set, or the measured metrics flatter the student."));
    m_temperature->setToolTip(tr("Softens the teacher's and the student's probabilities before they are compared, so the "
                                 "student also learns how the teacher ranks the wrong answers. 1 = unchanged; 2–4 is usual."));
    m_alpha->setToolTip(tr("How much the student follows the teacher's soft targets (1) versus the dataset's hard labels (0)."));
    m_steps->setToolTip(tr("Optimizer steps; each step trains on one batch."));
    m_batch->setToolTip(tr("Examples per step. Larger batches give smoother but slower steps."));
    m_lr->setToolTip(tr("Peak learning rate: how far each step moves the weights. It warms up over the first 5% of steps "
                        "and decays with a cosine. Too high and the loss turns NaN: the run then stops and keeps the last good student."));
    m_evalEvery->setToolTip(tr("Measure the student on the evaluation set every N steps (0: only at the end). The best "
                               "measured student is kept."));
    m_optimizer->setToolTip(tr("AdamW adapts the step per weight and is a safe default; SGD uses momentum 0.9."));
    m_learnScales->setText(tr("Learn quantization scales"));
    m_learnScales->setToolTip(tr("Also train the quantization step sizes (they stay fp16, as stored). Often helps at 2–3 bits."));
    m_keepOnCancel->setText(tr("Keep the student when cancelled"));
    m_keepOnCancel->setToolTip(tr("On Cancel, keep, measure and record the student as of its last completed step; "
                                  "otherwise discard it."));
    m_startButton->setText(tr("Distill"));
    m_cancelButton->setText(tr("Cancel"));
    m_cancelButton->setToolTip(tr("Stop after the current batch."));
    updateState(); // the start button's tooltip says why it is disabled
}

DistillPanel::~DistillPanel()
{
    delete m_job; // cancels and waits before the chart the work reports to goes away
}

void DistillPanel::setHost(std::shared_ptr<ModelHostClient> host)
{
    m_host = std::move(host);
}

void DistillPanel::setTeacher(const QString &modelPath, const QString &evalPath)
{
    m_modelPath = modelPath;
    m_evalPath = evalPath;
    const QString sibling = QFileInfo(modelPath).absolutePath() + u"/train.safetensors"_s;
    if (QFileInfo::exists(sibling))
        m_trainPath->setText(sibling);
    updateState();
}

void DistillPanel::setTrainingSet(const QString &path) { m_trainPath->setText(path); }
void DistillPanel::setSteps(int steps) { m_steps->setValue(steps); }
void DistillPanel::setBits(int bits) { m_bits->setCurrentIndex(std::max(0, m_bits->findData(bits))); }
void DistillPanel::setLearningRate(double lr) { m_lr->setText(QString::number(lr)); }

void DistillPanel::setStudentFile(const QString &path)
{
    m_studentFile->setText(path);
    m_studentKind->setCurrentIndex(path.isEmpty() ? 0 : 1);
}

QString DistillPanel::resultText() const { return m_result->text(); }

void DistillPanel::updateState()
{
    const bool running = m_job && m_job->isRunning();
    const bool fromFile = m_studentKind->currentIndex() == 1;
    m_studentFile->setEnabled(fromFile && !running);
    m_studentBrowse->setEnabled(fromFile && !running);
    m_bits->setEnabled(!fromFile && !running);
    m_sparsity->setEnabled(!fromFile && !running);
    m_learnScales->setEnabled(!fromFile && !running);
    m_startButton->setEnabled(!running && !m_modelPath.isEmpty() && !m_evalPath.isEmpty());
    m_startButton->setToolTip(m_modelPath.isEmpty() || m_evalPath.isEmpty() ? tr("Open a model and choose its evaluation set first")
                                                                             : tr("Start distillation in the background; the window stays usable."));
    m_cancelButton->setEnabled(running);
}

void DistillPanel::start()
{
    if ((m_job && m_job->isRunning()) || m_modelPath.isEmpty())
        return;
    DistillRunParams params;
    params.modelPath = m_modelPath;
    params.evalPath = m_evalPath;
    params.trainPath = m_trainPath->text();
    bool lrOk = false;
    const double lr = m_lr->text().toDouble(&lrOk);
    QString problem;
    if (params.trainPath.isEmpty())
        problem = tr("Choose a training set.");
    else if (!lrOk || !(lr > 0))
        problem = tr("The learning rate must be a positive number, such as 0.001.");
    else if (m_studentKind->currentIndex() == 1 && m_studentFile->text().isEmpty())
        problem = tr("Choose the student's file.");
    if (!problem.isEmpty()) {
        m_result->setText(problem);
        return;
    }
    try {
        if (m_studentKind->currentIndex() == 1) {
            params.studentPath = m_studentFile->text();
        } else {
            QJsonObject config;
            if (m_sparsity->value() > 0)
                config.insert(u"prune"_s, QJsonObject{{u"sparsity"_s, m_sparsity->value()}});
            if (const int bits = m_bits->currentData().toInt(); bits > 0)
                config.insert(u"quantize"_s, QJsonObject{{u"bits"_s, bits}});
            params.studentConfig = parseCompressionConfig(config);
        }
        QJsonObject s{{u"temperature"_s, m_temperature->value()}, {u"alpha"_s, m_alpha->value()}, {u"steps"_s, m_steps->value()},
                      {u"batch_size"_s, m_batch->value()}, {u"learning_rate"_s, lr}, {u"warmup_steps"_s, m_steps->value() / 20},
                      {u"eval_every"_s, m_evalEvery->value()}, {u"optimizer"_s, m_optimizer->currentText().toLower()},
                      {u"learn_scales"_s, m_learnScales->isChecked() && params.studentConfig.has_value()}};
        params.settings = parseDistillSettings(s);
    } catch (const UserError &e) {
        m_result->setText(e.message());
        return;
    }
    params.keepOnCancel = m_keepOnCancel->isChecked();

    m_chart->clear();
    m_result->clear();
    m_stage->setProperty("stageStartedMs", 0);
    const QString historyPath = Settings::instance().historyPath();
    auto run = std::make_shared<DistillRun>();
    auto returned = std::make_shared<std::atomic<bool>>(false); // the run came back (also after a cancel that kept the student)
    QPointer<DistillCurvesChart> chart = m_chart;
    QPointer<QLabel> stageLabel = m_stage;
    QJsonObject request = ModelHostClient::request(u"distill"_s, params.modelPath);
    request.insert(u"params"_s, toJson(params));
    request.insert(u"history"_s, historyPath);
    // Trained in the model host; the stage names and curve points arrive as events for the label and the chart.
    auto *job = new Job(tr("Distilling"), [host = m_host, request, run, returned, chart, stageLabel](const ProgressCallback &progress) {
        const QJsonObject result = host->call(request, progress, [&](const QJsonObject &event) {
            if (event.contains(u"stage"_s)) { // the panel times each stage on its own for the ETA
                const QString stage = event.value(u"stage"_s).toString();
                QMetaObject::invokeMethod(stageLabel, [stageLabel, stage] {
                    if (stageLabel) {
                        stageLabel->setText(stage + u"…"_s);
                        stageLabel->setProperty("stageStartedMs", QDateTime::currentMSecsSinceEpoch());
                    }
                }, Qt::QueuedConnection);
            } else if (event.contains(u"points"_s)) {
                QMetaObject::invokeMethod(chart, [chart, points = curvePointsFromJson(event.value(u"points"_s).toArray())] {
                    if (chart)
                        chart->addPoints(points);
                }, Qt::QueuedConnection);
            }
        });
        *run = distillRunFromJson(result);
        *returned = true;
    }, this);
    m_job = job;
    m_progress->setRange(0, 0);
    m_progress->setVisible(true);
    connect(job, &Job::progressChanged, this, [this](qint64 done, qint64 total) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(total > 0 ? int(1000 * done / total) : 0);
        // Time left in the current stage (compressing, evaluating, distilling), from that stage's own pace.
        const qint64 started = m_stage->property("stageStartedMs").toLongLong();
        const qint64 elapsed = started > 0 ? QDateTime::currentMSecsSinceEpoch() - started : -1;
        const qint64 eta = done > 0 && elapsed >= 0 ? elapsed * (total - done) / done : -1;
        m_progress->setFormat(eta >= 0 ? tr("%p% — %1 s left").arg((eta + 999) / 1000) : tr("%p%"));
    });
    connect(job, &Job::succeeded, this, [this, run] {
        showResult(*run);
        if (run->experimentId)
            Q_EMIT recorded();
        Q_EMIT finished(true);
    });
    connect(job, &Job::failed, this, [this](const QString &reason) {
        m_result->setText(tr("Distillation failed: %1").arg(reason));
        Q_EMIT finished(false);
    });
    connect(job, &Job::cancelled, this, [this, run, returned] {
        if (*returned) { // cancelled, but the student as of its last step was kept, measured and recorded
            showResult(*run);
            if (run->experimentId)
                Q_EMIT recorded();
        } else {
            m_result->setText(tr("Cancelled; the student was discarded."));
        }
        Q_EMIT finished(false);
    });
    connect(job, &Job::finished, this, [this, job] {
        m_progress->setVisible(false);
        m_stage->clear();
        job->deleteLater();
        updateState();
    });
    job->start();
    updateState();
}

void DistillPanel::cancel()
{
    if (m_job)
        m_job->cancel();
}

QString DistillPanel::stopText(DistillStop stop)
{
    // distillStopName() is what the history and the CLI say; the panel says it in the window's language.
    switch (stop) {
    case DistillStop::Completed: return tr("Completed");
    case DistillStop::EarlyStopped: return tr("Stopped early");
    case DistillStop::TimeLimit: return tr("Time limit reached");
    case DistillStop::Cancelled: return tr("Cancelled");
    case DistillStop::Diverged: return tr("Diverged");
    }
    return distillStopName(stop);
}

void DistillPanel::showResult(const DistillRun &run)
{
    QStringList lines;
    const DistillOutcome &o = run.outcome;
    lines << tr("%1 after %2 of %3 steps in %4 s%5").arg(stopText(o.stop)).arg(o.stepsTrained).arg(o.plannedSteps)
                 .arg(o.seconds, 0, 'f', 1).arg(o.message.isEmpty() ? QString() : u" — "_s + o.message);
    if (o.bestStep >= 0)
        lines << tr("Kept the best evaluated student, from step %1.").arg(o.bestStep);
    if (const Metric *m = run.teacher.headline()) {
        lines << tr("%1 (measured here, %2 samples): teacher %3, student %4 → %5")
                     .arg(displayMetric(m->label)).arg(run.after.samples).arg(m->value, 0, 'f', 3).arg(run.before.value(m->key), 0, 'f', 3)
                     .arg(run.after.value(m->key), 0, 'f', 3);
    }
    if (std::isfinite(run.recovered()))
        lines << tr("Recovered %1% of what compression lost.").arg(run.recovered() * 100, 0, 'f', 1);
    if (run.report)
        lines << tr("Deployed size %1 (exact; training keeps it).").arg(formatBytes(run.report->deployedBytes));
    if (run.experimentId)
        lines << tr("Recorded as experiment %1.").arg(run.experimentId);
    if (!run.historyProblem.isEmpty())
        lines << tr("History: %1").arg(run.historyProblem);
    m_result->setText(lines.join(u'\n'));
}

void DistillPanel::chooseTrainingSet()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose Training Set"), QFileInfo(m_modelPath).absolutePath(),
                                                      tr("CompressLab datasets (*.safetensors);;All files (*)"));
    if (!path.isEmpty())
        m_trainPath->setText(path);
}

void DistillPanel::chooseStudentFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose Student Model"), QFileInfo(m_modelPath).absolutePath(),
                                                      tr("TorchScript models (*.pt *.pth *.ptl *.torchscript);;All files (*)"));
    if (!path.isEmpty())
        setStudentFile(path);
}

} // namespace compresslab
