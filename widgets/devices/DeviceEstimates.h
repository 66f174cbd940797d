#pragma once
// Keeps the device estimates of the loaded model, as compressed by the compression controls, up to date:
// each configuration (debounced) is compressed for real in the model host's process (core/host), for exact
// sizes and the shapes structured pruning leaves, then the roofline estimator runs for every device profile. Nothing here is
// measured: every number the estimates hold is an estimate from a device model.
#include "device/DeviceCatalog.h"
#include "jobs/Job.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace compresslab {

struct ModelDescription;
class ModelHostClient;
struct ModelEstimate;

class DeviceEstimates : public QObject {
    Q_OBJECT
public:
    explicit DeviceEstimates(QObject *parent = nullptr);
    ~DeviceEstimates() override;

    void setModel(std::shared_ptr<const ModelDescription> model); // estimates the current configuration at once
    void setHost(std::shared_ptr<ModelHostClient> host); // the window's; by default one of its own
    const DeviceCatalog &catalog() const { return m_catalog; }
    std::shared_ptr<const ModelEstimate> latest() const { return m_latest; }
    bool isBusy() const { return m_job && m_job->isRunning(); }
    bool isSettled() const { return !isBusy() && !m_debounce.isActive(); } // the estimate shown is of the current configuration
    // Waits this long after the last control change, and a change cancels a running estimate at once: estimates
    // compete for the cores with the live measurement, whose quick point comes first.
    static constexpr int kDebounceMs = 400;

public Q_SLOTS:
    void setConfig(const QJsonObject &config); // the compression controls' JSON; {} = the model as it is
    void reloadProfiles();                     // after the profiles were edited or "This computer" calibrated

Q_SIGNALS:
    void estimated(std::shared_ptr<const compresslab::ModelEstimate> estimate, const QString &configuration);
    void failed(const QString &reason);
    void profilesChanged();

private:
    void start();

    std::shared_ptr<const ModelDescription> m_model;
    std::shared_ptr<ModelHostClient> m_host;
    DeviceCatalog m_catalog;
    QJsonObject m_config;
    QTimer m_debounce;
    QPointer<Job> m_job;
    quint64 m_generation = 0; // of the newest request: older jobs' results are ignored
    std::shared_ptr<const ModelEstimate> m_latest;
};

} // namespace compresslab
