#include "LiveTuning.h"
#include "CoreText.h"

#include "Settings.h"
#include "charts/TradeoffChart.h"
#include "common/UserError.h"
#include "data/Dataset.h"
#include "eval/EvalResult.h"
#include "experiment/RecordedRun.h"
#include "history/History.h"
#include "host/ModelHostClient.h"
#include "jobs/Job.h"
#include "model/ModelDescription.h"
#include "model/ModelSummary.h"
#include "panels/TunePanel.h"
#include "report/FromJson.h"

#include <QEvent>
#include <QFileInfo>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>

using namespace Qt::StringLiterals;

namespace compresslab {

// What the jobs share; filled lazily on a worker (dataset header, baseline evaluation, file hashes).
struct LiveTuning::State {
    std::shared_ptr<const ModelDescription> model;
    QString datasetPath;
    std::mutex dataMutex; // guards the dataset's description
    std::mutex baselineMutex; // guards the baseline and the hashes (held by full measurements only)
    std::optional<DatasetInfo> dataset; // from its header: the tensors are the model host's
    std::shared_ptr<EvalResult> baseline;
    QString modelSha, dataSha;
    std::atomic<double> secondsPerSample{0}; // of the original on the full evaluation set
    std::atomic<double> quickSecondsPerSample{0}; // of the latest quick subset, until the full set's is known

    DatasetInfo data()
    {
        std::lock_guard<std::mutex> lock(dataMutex);
        if (!dataset)
            dataset = readDatasetInfo(datasetPath);
        return *dataset;
    }

    // An "evaluate" request to the model host for this model and dataset.
    QJsonObject evaluateRequest(qint64 limit, int batchSize) const
    {
        QJsonObject request = ModelHostClient::request(u"evaluate"_s, model->path);
        request.insert(u"data"_s, datasetPath);
        request.insert(u"limit"_s, double(limit));
        request.insert(u"batch_size"_s, batchSize);
        return request;
    }
};

namespace {

// The quick subset: as many samples as evaluate in about 20 ms, judged from the original's full evaluation
// (before that: 64 samples, or 4 sequences). A rough first answer, refined on the full set right after.
qint64 quickLimit(const DatasetInfo &d, double secondsPerSample)
{
    constexpr double kBudgetSeconds = 0.02;
    if (secondsPerSample > 0)
        return std::clamp<qint64>(qint64(kBudgetSeconds / secondsPerSample), 2, 1024); // 2: two long texts still say something
    return d.task == Task::LanguageModeling ? 4 : 64;
}

// Full-set batches of about 20 ms: a newer configuration cancels this job at the end of a batch, and until then
// both jobs share the cores (a fixed batch of 16 long texts took well over 100 ms on spam-transformer).
int fullBatchSize(double secondsPerSample)
{
    if (secondsPerSample <= 0)
        return 4; // not measured yet
    return std::clamp(int(0.02 / secondsPerSample), 1, 16);
}

QString qualityText(const EvalResult &r)
{
    const Metric *m = r.headline();
    return m ? u"%1 %2"_s.arg(displayMetric(m->label)).arg(m->value, 0, 'f', 3) : QString();
}

} // namespace

LiveTuning::LiveTuning(TunePanel *panel, TradeoffChart *chart, std::shared_ptr<ModelHostClient> host, QObject *parent)
    : QObject(parent), m_panel(panel), m_chart(chart), m_host(std::move(host))
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &LiveTuning::runNext);
    connect(panel, &TunePanel::configChanged, this, &LiveTuning::configChanged);
}

LiveTuning::~LiveTuning()
{
    delete m_job; // cancel and wait before the state and the widgets go
    delete m_chartJob;
    delete m_prepareJob;
}

void LiveTuning::setModel(std::shared_ptr<const ModelDescription> model, const QString &datasetPath)
{
    if (m_job)
        m_job->cancel();
    ++m_generation; // results of the previous model's jobs are ignored from now on
    m_state = std::make_shared<State>();
    m_state->model = std::move(model);
    m_state->datasetPath = datasetPath;
    m_chart->clearLivePoint();
    refreshChart();
    if (m_state->datasetPath.isEmpty()) {
        m_panel->setStatus(tr("Choose an evaluation set to see each configuration measured."));
        return;
    }
    // The host loads both now (about half a second for a zoo model) rather than at the first control change.
    // A failure here is not reported: the measurement that follows meets it and says so.
    if (m_prepareJob)
        m_prepareJob->cancel();
    QJsonObject prepare = m_state->evaluateRequest(0, 0);
    prepare.insert(u"op"_s, u"prepare"_s);
    auto *job = new Job(tr("Loading the model for measurements"), [host = m_host, prepare](const ProgressCallback &progress) {
        host->call(prepare, progress);
    }, this);
    m_prepareJob = job;
    connect(job, &Job::finished, job, &QObject::deleteLater);
    job->start();
    configChanged(m_panel->configJson());
}

qint64 LiveTuning::quickSamples() const
{
    if (!m_state)
        return 0;
    std::lock_guard<std::mutex> lock(m_state->dataMutex);
    if (!m_state->dataset)
        return 0;
    return std::min(quickLimit(*m_state->dataset, m_state->secondsPerSample), m_state->dataset->samples);
}

void LiveTuning::configChanged(const QJsonObject &config)
{
    if (!m_state || m_state->datasetPath.isEmpty())
        return;
    m_pending = config;
    m_hasPending = true;
    m_debounce.start(); // restarts while the control keeps moving
}

void LiveTuning::runNext()
{
    if (!m_hasPending)
        return;
    // An older configuration's job stops after its current batch; the newer one does not wait for it (a batch
    // of long sequences takes hundreds of milliseconds), and the older one's results are ignored.
    if (m_job && m_job->isRunning())
        m_job->cancel();
    startQuick();
}

void LiveTuning::startQuick()
{
    m_hasPending = false;
    const quint64 generation = ++m_generation;
    CompressionConfig config;
    try {
        config = parseCompressionConfig(m_pending);
    } catch (const UserError &e) {
        m_panel->setStatus(e.message());
        return;
    }
    if (config.steps.isEmpty()) {
        m_chart->clearLivePoint();
        m_panel->setStatus(tr("No compression: the original model."));
        Q_EMIT compressed(CompressionReport{});
        return;
    }
    auto state = m_state;
    auto host = m_host;
    auto report = std::make_shared<CompressionReport>();
    auto quick = std::make_shared<EvalResult>();
    // The host keeps this compressed copy under the generation's name for the full set that follows.
    const QString keptName = QString::number(generation);
    auto *job = new Job(tr("Measuring the configuration"), [state, host, config, keptName, report, quick](const ProgressCallback &progress) {
        const auto data = state->data();
        QJsonObject request = state->evaluateRequest(quickLimit(data, state->secondsPerSample), EvalParams{}.batchSize);
        request.insert(u"config"_s, toJson(config));
        request.insert(u"keep_as"_s, keptName);
        const QJsonObject answer = host->call(request, progress);
        *report = compressionReportFromJson(answer.value(u"report"_s).toObject());
        *quick = evalResultFromJson(answer.value(u"eval"_s).toObject());
        if (quick->samples > 0)
            state->quickSecondsPerSample = quick->wallSeconds / double(quick->samples);
    }, this);
    m_job = job;
    m_panel->setStatus(tr("Measuring %1…").arg(config.describe()));
    connect(job, &Job::succeeded, this, [this, state, report, quick, generation] {
        if (generation != m_generation)
            return; // a newer configuration is being measured
        Q_EMIT compressed(*report);
        m_chart->setLivePoint(double(report->deployedBytes), quick->headline() ? quick->headline()->value : 0, true,
                              tr("current configuration (quick: %1 samples)").arg(quick->samples));
        m_panel->setStatus(tr("%1 → %2, %3 on %4 samples (measured; the full set follows)")
                               .arg(report->config.describe(), formatBytes(report->deployedBytes), qualityText(*quick))
                               .arg(quick->samples));
        Q_EMIT livePointShown(true);
        if (!m_hasPending)
            startFull(state, report, generation);
    });
    connect(job, &Job::failed, this, [this, generation](const QString &reason) {
        if (generation == m_generation)
            m_panel->setStatus(reason);
    });
    connect(job, &Job::finished, job, &QObject::deleteLater);
    job->start();
}

void LiveTuning::startFull(std::shared_ptr<State> state, std::shared_ptr<CompressionReport> report, quint64 generation)
{
    auto full = std::make_shared<EvalResult>();
    auto id = std::make_shared<qint64>(0);
    auto problem = std::make_shared<QString>();
    auto host = m_host;
    const QString keptName = QString::number(generation);
    const QString historyPath = Settings::instance().historyPath();
    auto *job = new Job(tr("Measuring the configuration on the full set"), [state, host, keptName, report, full, id, problem, historyPath](const ProgressCallback &progress) {
        const auto data = state->data();
        EvalParams fullParams;
        fullParams.batchSize = fullBatchSize(state->secondsPerSample > 0 ? state->secondsPerSample.load() : state->quickSecondsPerSample.load());
        QJsonObject request = state->evaluateRequest(-1, fullParams.batchSize);
        request.insert(u"use_kept"_s, keptName);
        *full = evalResultFromJson(host->call(request, progress).value(u"eval"_s).toObject());
        {
            std::lock_guard<std::mutex> lock(state->baselineMutex);
            if (!state->baseline) {
                const QJsonObject original = host->call(state->evaluateRequest(-1, fullParams.batchSize), progress);
                state->baseline = std::make_shared<EvalResult>(evalResultFromJson(original.value(u"eval"_s).toObject()));
                state->secondsPerSample = state->baseline->wallSeconds / double(std::max<qint64>(1, state->baseline->samples));
            }
            if (state->modelSha.isEmpty()) {
                state->modelSha = fileSha256(state->model->path);
                state->dataSha = fileSha256(state->datasetPath);
            }
        }
        // Recorded like a `compress` run (no latency: the window measures that on request).
        CompressionRunParams params;
        params.modelPath = state->model->path;
        params.dataPath = state->datasetPath;
        params.config = report->config;
        params.measureLatency = false;
        params.eval = fullParams;
        CompressionRun run;
        run.modelName = state->model->displayName();
        run.modelParameters = state->model->summary.parameterCount;
        run.modelBytes = state->model->summary.totalBytes();
        run.datasetName = data.name;
        run.datasetSamples = data.samples;
        run.report = *report;
        run.before = *state->baseline;
        run.after = *full;
        RecordOptions options;
        options.tags = {u"live"_s};
        std::unique_ptr<history::History> history;
        try {
            history = std::make_unique<history::History>(historyPath);
        } catch (const UserError &e) {
            *problem = e.message();
            return;
        }
        ExperimentRecorder recorder(history.get(), true);
        recorder.begin(experimentStart(params, run, options, state->modelSha, state->dataSha));
        recorder.finish(outcomeOf(run));
        *id = recorder.id();
        *problem = recorder.problem();
    }, this);
    m_job = job;
    connect(job, &Job::succeeded, this, [this, report, full, id, problem, generation] {
        if (*id)
            refreshChart(); // recorded either way: the history and the chart show it
        if (generation != m_generation)
            return;
        m_chart->setLivePoint(double(report->deployedBytes), full->headline() ? full->headline()->value : 0, false,
                              tr("current configuration (%1 samples)").arg(full->samples));
        QString status = tr("%1 → %2, %3 on all %4 samples (measured)")
                             .arg(report->config.describe(), formatBytes(report->deployedBytes), qualityText(*full))
                             .arg(full->samples);
        if (*id)
            status += tr("; recorded as experiment %1").arg(*id);
        if (!problem->isEmpty())
            status += tr("; history: %1").arg(*problem);
        m_panel->setStatus(status);
        Q_EMIT livePointShown(false);
        if (*id)
            Q_EMIT recorded(*id);
    });
    connect(job, &Job::failed, this, [this, generation](const QString &reason) {
        if (generation == m_generation)
            m_panel->setStatus(reason);
    });
    connect(job, &Job::finished, job, &QObject::deleteLater);
    job->start();
}

QString LiveTuning::qualityAxisLabel(bool languageModel)
{
    return languageModel ? tr("perplexity (measured)\nlower is better") /* two lines: one is taller than a short chart */ : tr("accuracy, % (measured)");
}

bool LiveTuning::event(QEvent *event)
{
    // The window passes a language switch on to its children; the chart's metric label is named here.
    if (event->type() == QEvent::LanguageChange && m_state && m_state->model) {
        m_chart->setQualityLabel(qualityAxisLabel(m_state->model->metadata.task == Task::LanguageModeling));
    }
    return QObject::event(event);
}

void LiveTuning::refreshChart()
{
    if (!m_state || !m_state->model)
        return;
    const QString historyPath = Settings::instance().historyPath();
    const QString modelName = m_state->model->displayName();
    const bool languageModel = m_state->model->metadata.task == Task::LanguageModeling;
    auto points = std::make_shared<history::ParetoResult>();
    // An older read still running is left to finish on its thread (deleting it would wait on the GUI thread);
    // only the newest read's result reaches the chart.
    const quint64 read = ++m_chartRead;
    auto *job = new Job(tr("Reading the history"), [historyPath, modelName, languageModel, points](const ProgressCallback &) {
        if (!QFileInfo::exists(historyPath))
            return;
        history::OpenOptions readOnly;
        readOnly.readOnly = true;
        history::History history(historyPath, readOnly);
        history::Filter filter;
        filter.model = modelName;
        *points = history.pareto(history::parseAxis(u"deployed_bytes"_s), history::parseAxis(languageModel ? u"perplexity"_s : u"accuracy"_s), filter);
    }, this);
    m_chartJob = job;
    connect(job, &Job::succeeded, this, [this, points, languageModel, read] {
        if (read != m_chartRead)
            return;
        m_chart->setExperiments(*points, qualityAxisLabel(languageModel));
    });
    connect(job, &Job::finished, job, &QObject::deleteLater);
    job->start();
}

} // namespace compresslab
