#include "devices/DeviceEstimates.h"

#include "common/UserError.h"
#include "compress/CompressionConfig.h"
#include "device/ModelEstimate.h"
#include "host/ModelHostClient.h"
#include "model/ModelDescription.h"
#include "report/FromJson.h"

using namespace Qt::StringLiterals;

namespace compresslab {

DeviceEstimates::DeviceEstimates(QObject *parent)
    : QObject(parent), m_host(std::make_shared<ModelHostClient>()), m_catalog(DeviceCatalog::load())
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &DeviceEstimates::start);
}

DeviceEstimates::~DeviceEstimates()
{
    delete m_job; // cancel and wait before the model goes
}

void DeviceEstimates::setModel(std::shared_ptr<const ModelDescription> model)
{
    m_model = std::move(model);
    m_latest.reset();
    m_debounce.stop();
    start();
}

void DeviceEstimates::setHost(std::shared_ptr<ModelHostClient> host)
{
    if (m_job)
        m_job->cancel();
    m_host = std::move(host);
}

void DeviceEstimates::setConfig(const QJsonObject &config)
{
    m_config = config;
    if (m_job && m_job->isRunning())
        m_job->cancel(); // stops at its next layer; its result would be ignored anyway
    ++m_generation;
    if (m_model)
        m_debounce.start(); // restarts while the control keeps moving
}

void DeviceEstimates::reloadProfiles()
{
    m_catalog = DeviceCatalog::load();
    Q_EMIT profilesChanged();
    if (m_model)
        start();
}

void DeviceEstimates::start()
{
    if (!m_model)
        return;
    const quint64 generation = ++m_generation;
    if (m_job && m_job->isRunning())
        m_job->cancel(); // its result would be ignored anyway
    std::optional<CompressionConfig> config;
    try {
        const CompressionConfig parsed = parseCompressionConfig(m_config);
        if (!parsed.steps.isEmpty())
            config = parsed;
    } catch (const UserError &e) {
        Q_EMIT failed(e.message());
        return;
    }
    QString described = config ? config->describe() : tr("the model as it is");
    if (config && config->quantize.method == QuantMethod::Gptq) {
        // GPTQ stores exactly what round-to-nearest stores (same codes, scales and shapes): sized without calibrating.
        config->quantize.method = QuantMethod::RoundToNearest;
        described = tr("%1 (sized as round-to-nearest: the same layout)").arg(described);
    }
    QJsonObject request = ModelHostClient::request(u"estimate"_s, m_model->path);
    if (config)
        request.insert(u"config"_s, toJson(*config));
    auto out = std::make_shared<ModelEstimate>();
    auto *job = new Job(tr("Estimating on every device profile"), [host = m_host, request, out](const ProgressCallback &progress) {
        *out = modelEstimateFromJson(host->call(request, progress));
    }, this);
    m_job = job;
    connect(job, &Job::succeeded, this, [this, out, described, generation] {
        if (generation != m_generation)
            return;
        m_latest = out;
        Q_EMIT estimated(out, described);
    });
    connect(job, &Job::failed, this, [this, generation](const QString &reason) {
        if (generation == m_generation)
            Q_EMIT failed(reason);
    });
    connect(job, &Job::finished, job, &QObject::deleteLater);
    job->start();
}

} // namespace compresslab
