#pragma once
// Re-evaluates the compression controls' configuration in the background as they move: debounced, then a
// quick measurement on a subset of the evaluation set (the live point appears), then the full set (the point
// settles and the experiment is recorded in the history, and the trade-off chart re-reads it). A newer
// configuration cancels an older one's jobs after their current batch. The model runs in the model host's
// process, never in the window's: a file that crashes on some input costs a message, not the window.
#include "compress/CompressionReport.h"
#include "jobs/Job.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace compresslab {

class Dataset;
struct ModelDescription;
class ModelHostClient;
class TradeoffChart;
class TunePanel;
struct EvalResult;

class LiveTuning : public QObject {
    Q_OBJECT
public:
    // Every configuration is compressed and evaluated by `host`, in its own process (core/host).
    LiveTuning(TunePanel *panel, TradeoffChart *chart, std::shared_ptr<ModelHostClient> host, QObject *parent = nullptr);
    ~LiveTuning() override;

    void setModel(std::shared_ptr<const ModelDescription> model, const QString &datasetPath);
    static constexpr int kDebounceMs = 30; // skips the positions a drag passes through (a slider step takes ~10 ms by hand at most)
    qint64 quickSamples() const; // the subset of the live point (all samples when the set is smaller)

public Q_SLOTS:
    void refreshChart(); // re-reads this model's experiments from the history

Q_SIGNALS:
    void livePointShown(bool quick); // the measured point is on the chart (quick subset, or full)
    // The current configuration's per-layer report (sizes, errors) once it is compressed; empty: no compression.
    void compressed(const compresslab::CompressionReport &report);
    void recorded(qint64 experimentId);

protected:
    bool event(QEvent *event) override;

private:
    struct State;
    static QString qualityAxisLabel(bool languageModel);
    void configChanged(const QJsonObject &config);
    void startQuick();
    void startFull(std::shared_ptr<State> state, std::shared_ptr<CompressionReport> report, quint64 generation);
    void runNext();

    TunePanel *m_panel;
    TradeoffChart *m_chart;
    std::shared_ptr<ModelHostClient> m_host;
    QTimer m_debounce;
    std::shared_ptr<State> m_state; // model, dataset, baseline: shared with the jobs
    QJsonObject m_pending;          // the configuration waiting for the running job to stop
    bool m_hasPending = false;
    QPointer<Job> m_job;            // the newest configuration's job; older ones finish their batch and go
    quint64 m_generation = 0;       // of the newest configuration: older jobs' results are ignored
    QPointer<Job> m_chartJob;
    QPointer<Job> m_prepareJob;     // has the host load the model and dataset before the first measurement
    quint64 m_chartRead = 0;        // the newest history read: older ones' results are ignored
};

} // namespace compresslab
