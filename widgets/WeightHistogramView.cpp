#include "WeightHistogramView.h"

#include "analysis/WeightHistogram.h"
#include "charts/WeightHistogramChart.h"
#include "common/UserError.h"
#include "jobs/Job.h"
#include "analysis/WeightHistogramJson.h"
#include "host/ModelHostClient.h"
#include "model/ModelDescription.h"
#include "model/ModelSummary.h"
#include "panels/ModelTreeView.h"
#include "panels/TunePanel.h"

#include <QEvent>


using namespace Qt::StringLiterals;

namespace compresslab {

// The model shown and GPTQ's calibration set (the host loads it).
struct WeightHistogramView::State {
    std::shared_ptr<const ModelDescription> model;
    QString datasetPath;
};

namespace {
constexpr int kBins = 120;
}

WeightHistogramView::WeightHistogramView(ModelTreeView *tree, TunePanel *panel, QObject *parent)
    : QObject(parent), m_tree(tree), m_panel(panel), m_chart(new WeightHistogramChart), m_host(std::make_shared<ModelHostClient>())
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &WeightHistogramView::start);
    connect(tree, &ModelTreeView::modulePicked, this, &WeightHistogramView::showLayer);
    connect(panel, &TunePanel::configChanged, this, &WeightHistogramView::schedule);
    m_chart->installEventFilter(this);
    m_chart->showMessage(tr("Open a model to see the weights of its layers"));
}

WeightHistogramView::~WeightHistogramView()
{
    delete m_job; // cancels and waits before the state goes
}

bool WeightHistogramView::isComputing() const { return (m_job && m_job->isRunning()) || m_debounce.isActive() || m_pending; }

bool WeightHistogramView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_chart && event->type() == QEvent::Show && m_stale) {
        m_stale = false;
        m_debounce.start();
    }
    return QObject::eventFilter(watched, event);
}

void WeightHistogramView::setHost(std::shared_ptr<ModelHostClient> host)
{
    if (m_job)
        m_job->cancel();
    m_host = std::move(host);
}

void WeightHistogramView::setModel(std::shared_ptr<const ModelDescription> model, const QString &datasetPath)
{
    if (m_job)
        m_job->cancel();
    ++m_generation; // the previous model's results are ignored from now on
    const bool sameModel = m_state && m_state->model == model && model;
    m_state = std::make_shared<State>();
    m_state->model = std::move(model);
    m_state->datasetPath = datasetPath;
    if (!sameModel || m_layer.isEmpty()) // a new dataset keeps the picked layer
        m_layer = m_state->model ? largestLinearLayer(m_state->model->summary) : QString();
    if (!m_chart)
        return;
    m_chart->setStatus(QString());
    if (m_layer.isEmpty())
        m_chart->showMessage(tr("This model has no Linear layer: pick a Conv or Embedding layer in the tree"));
    else
        schedule();
}

void WeightHistogramView::showLayer(const QString &path)
{
    if (!m_state || !m_state->model || !m_chart)
        return;
    const ModelSummary &summary = m_state->model->summary;
    if (!isHistogramLayer(summary, path)) {
        QString type;
        for (const ModuleNode &m : summary.modules)
            if (m.path == path)
                type = m.type;
        ++m_generation; // a running job's histogram would no longer be the one asked for
        m_debounce.stop();
        m_layer.clear();
        m_chart->setStatus(QString());
        m_chart->showMessage(tr("%1 is a %2: pick a Linear, Conv or Embedding layer")
                                 .arg(path.isEmpty() ? m_state->model->displayName() : path, type));
        return;
    }
    m_layer = path;
    schedule();
}

void WeightHistogramView::schedule()
{
    if (!m_state || !m_state->model || m_layer.isEmpty() || !m_chart)
        return;
    if (!m_chart->isVisible()) { // a hidden tab computes nothing; it catches up when shown
        m_stale = true;
        return;
    }
    m_debounce.start(); // restarts while a slider keeps moving
}

void WeightHistogramView::start()
{
    if (!m_chart || m_layer.isEmpty())
        return;
    if (m_job && m_job->isRunning()) { // one at a time: the newest request starts when this one has stopped
        m_job->cancel();
        m_pending = true;
        return;
    }
    m_pending = false;
    CompressionConfig config;
    try {
        config = parseCompressionConfig(m_panel->configJson());
    } catch (const UserError &e) {
        m_chart->showMessage(e.message());
        return;
    }
    const bool gptq = config.has(Step::Quantize) && config.quantize.method == QuantMethod::Gptq;
    if (gptq && m_state->datasetPath.isEmpty()) {
        m_chart->showMessage(tr("GPTQ calibrates on data: choose a dataset (File ▸ Choose Dataset) to see its weights"));
        return;
    }
    const quint64 generation = ++m_generation;
    WeightHistogramParams params;
    params.layer = m_layer;
    params.bins = kBins;
    QJsonObject request = ModelHostClient::request(u"weight_histogram"_s, m_state->model->path);
    request.insert(u"config"_s, toJson(config));
    request.insert(u"params"_s, toJson(params));
    request.insert(u"data"_s, gptq ? m_state->datasetPath : QString()); // GPTQ's calibration only
    auto result = std::make_shared<WeightHistogram>();
    auto *job = new Job(tr("Weight histogram"), [host = m_host, request, result](const ProgressCallback &progress) {
        *result = weightHistogramFromJson(host->call(request, progress));
    }, this);
    m_job = job;
    m_chart->setStatus(tr("Computing the weights of %1…").arg(m_layer));
    connect(job, &Job::succeeded, this, [this, result, generation] {
        if (generation != m_generation || !m_chart)
            return;
        m_chart->setHistogram(*result);
        m_chart->setStatus(tr("Computed in %1 ms (measured). Pick a layer in the tree to see its weights.").arg(qRound64(result->seconds * 1000)));
        Q_EMIT histogramShown(result->layer);
    });
    connect(job, &Job::failed, this, [this, generation](const QString &reason) {
        if (generation != m_generation || !m_chart)
            return;
        m_chart->setStatus(QString());
        m_chart->showMessage(reason);
        Q_EMIT failed(reason);
    });
    connect(job, &Job::finished, this, [this, job] {
        job->deleteLater();
        if (m_pending)
            start();
    });
    job->start();
}

} // namespace compresslab
