#pragma once
// The "Weights" tab: the weight histogram of the layer picked in the module tree (the largest Linear until one
// is picked) under the Compression panel's current configuration, recomputed in a background job as either
// changes (debounced; a newer request cancels the running one). Only while the chart is visible. The compression
// runs in the model host's process (core/host): GPTQ's calibration runs the model.
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace compresslab {

class Job;
struct ModelDescription;
class ModelHostClient;
class ModelTreeView;
class TunePanel;
class WeightHistogramChart;

class WeightHistogramView : public QObject {
    Q_OBJECT
public:
    WeightHistogramView(ModelTreeView *tree, TunePanel *panel, QObject *parent = nullptr);
    ~WeightHistogramView() override;

    WeightHistogramChart *chart() const { return m_chart; } // the caller places it (a tab) and owns it from then on
    void setModel(std::shared_ptr<const ModelDescription> model, const QString &datasetPath); // datasetPath: GPTQ's calibration
    void setHost(std::shared_ptr<ModelHostClient> host); // the window's; by default one of its own
    QString layer() const { return m_layer; }
    bool isComputing() const;
    static constexpr int kDebounceMs = 120;

public Q_SLOTS:
    void showLayer(const QString &path); // a module picked in the tree

Q_SIGNALS:
    void histogramShown(const QString &layer); // a new histogram is on the chart
    void failed(const QString &reason);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct State;
    void schedule();
    void start();

    ModelTreeView *m_tree;
    TunePanel *m_panel;
    QPointer<WeightHistogramChart> m_chart;
    std::shared_ptr<State> m_state; // model and dataset, shared with the jobs
    std::shared_ptr<ModelHostClient> m_host;
    QString m_layer;
    QTimer m_debounce;
    QPointer<Job> m_job;
    bool m_pending = false; // a request came while a job ran: start it when that one ends
    bool m_stale = false;   // a request came while the chart was hidden: start it when it shows
    quint64 m_generation = 0;
};

} // namespace compresslab
