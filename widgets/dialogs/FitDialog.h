#pragma once
// Model ▸ Fit to Device…: the `fit` planner in the window. The user picks a device and the budgets (the size of
// uniform N-bit quantization, a memory budget, or what the device leaves; optionally a latency and a loss
// budget); a job measures the per-layer sensitivity, plans a width and pruning ratio per layer, and measures
// the plan (and uniform quantization of the same size) for real. Apply sets the Compression controls and the
// per-layer overrides to the plan, so the live measurement and the history take it from there. The plan is made
// and measured in the model host's process (core/host), never in the window's.
#include "analysis/FitPlan.h"

#include <QDialog>
#include <QPointer>

#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTableWidget;

namespace compresslab {

class Job;
class ModelHostClient;
class TunePanel;

class FitDialog : public QDialog {
    Q_OBJECT
public:
    FitDialog(const QString &modelPath, const QString &datasetPath, TunePanel *tune, QWidget *parent = nullptr);
    ~FitDialog() override; // cancels a running plan and waits for it
    void setHost(std::shared_ptr<ModelHostClient> host); // the window's; by default one of its own

    QComboBox *deviceBox() const { return m_device; }
    QSpinBox *uniformBitsBox() const { return m_uniformBits; }
    QCheckBox *pruningBox() const { return m_pruning; }
    QSpinBox *samplesBox() const { return m_samples; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *applyButton() const { return m_apply; }
    QTableWidget *layerTable() const { return m_layers; }
    QLabel *summaryLabel() const { return m_summary; }
    const FitResult *result() const { return m_result.get(); }

public Q_SLOTS:
    void run();
    void apply(); // the plan into the Compression controls and the per-layer overrides

Q_SIGNALS:
    void planned();                      // a run ended with a measured plan (result() holds it)
    void failed(const QString &reason); // or with this reason (cancelled included)

protected:
    void reject() override; // closing cancels a running plan

private:
    FitParams params() const;
    void showResult(const FitResult &r);
    void setRunning(bool running);

    QString m_modelPath, m_datasetPath;
    QPointer<TunePanel> m_tune;
    std::shared_ptr<ModelHostClient> m_host;
    QComboBox *m_device;
    QRadioButton *m_byUniform, *m_byMemory, *m_byDevice;
    QSpinBox *m_uniformBits;
    QDoubleSpinBox *m_memoryMb;
    QCheckBox *m_limitLatency, *m_limitLoss, *m_pruning;
    QDoubleSpinBox *m_latencyMs, *m_loss;
    QSpinBox *m_samples;
    QProgressBar *m_progress;
    QLabel *m_summary;
    QTableWidget *m_layers;
    QPushButton *m_run, *m_cancel, *m_apply;
    QPointer<Job> m_job;
    std::shared_ptr<const FitResult> m_result;
};

} // namespace compresslab
